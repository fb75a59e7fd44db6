import { DomainError } from '@helpdesk/platform';
import { Prisma } from './prisma/generated/client';

// Unique indexes whose violation is the caller's mistake, not ours. The pre-checks in the use cases give the
// same answers; these catch the race between a check and the insert.
const UNIQUE_MESSAGES: Array<{ match: RegExp; field: string; message: string }> = [
  {
    match: /users_email_key|"email"/,
    field: 'email',
    message: 'A user with this e-mail address already exists',
  },
  {
    match: /tenants_slug_key|"slug"/,
    field: 'slug',
    message: 'This slug is taken',
  },
  {
    match: /users_tenant_id_handle_key|"handle"/,
    field: 'handle',
    message: 'This handle is taken in the tenant',
  },
  {
    match: /teams_tenant_id_name_key|"name"/,
    field: 'name',
    message: 'A team with this name already exists',
  },
];

/** Turns a unique-constraint violation into ALREADY_EXISTS; anything else is returned unchanged. */
export function translatePrismaError(err: unknown): unknown {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== 'P2002') return err;
  // With a driver adapter the violated constraint sits in meta.driverAdapterError rather than meta.target.
  const where = `${JSON.stringify(err.meta ?? {})} ${err.message}`;
  const known = UNIQUE_MESSAGES.find((entry) => entry.match.test(where));
  return known
    ? new DomainError('ALREADY_EXISTS', known.message, { field: known.field })
    : new DomainError('ALREADY_EXISTS', 'The record already exists');
}
