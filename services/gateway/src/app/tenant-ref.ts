import type { identityV1 } from '@helpdesk/contracts';
import { isDomainError } from '@helpdesk/platform';
import { GatewayError } from './errors';
import type { IdentityPort } from './ports';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant a public call names (docs/product/portal.md `tenant`): its slug or its id (slugs never look like ids).
 * An unknown one, or one that cannot be a slug, is NOT_FOUND "No such help desk".
 */
export async function resolveTenant(
  identity: Pick<IdentityPort, 'getTenant' | 'getTenantBySlug'>,
  ref: string,
): Promise<identityV1.Tenant> {
  const value = ref.trim();
  try {
    const { tenant } = UUID.test(value)
      ? await identity.getTenant({ id: value.toLowerCase() })
      : await identity.getTenantBySlug({ slug: value.toLowerCase() });
    if (tenant) return tenant;
  } catch (err) {
    if (!(isDomainError(err) && (err.code === 'NOT_FOUND' || err.code === 'INVALID_ARGUMENT'))) throw err;
  }
  throw new GatewayError('NOT_FOUND', 'No such help desk');
}
