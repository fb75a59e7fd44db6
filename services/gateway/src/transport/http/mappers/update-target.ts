import type { commonV1 } from '@helpdesk/contracts';
import { toActor, type TenantPrincipal } from '../../../app/principal';

/** Who changes which record, expecting which version (`If-Match`): what every update request starts with. */
export interface UpdateTarget {
  tenantId: string;
  actor: commonV1.Actor;
  id: string;
  expectedVersion: number | undefined;
}

export function updateTarget(
  principal: TenantPrincipal,
  id: string,
  ifMatch: number | undefined,
): UpdateTarget {
  return { tenantId: principal.tenantId, actor: toActor(principal), id, expectedVersion: ifMatch };
}
