import { DomainError } from '@helpdesk/platform';
import { Prisma } from './prisma/generated/client';

// Unique indexes whose violation is the caller's mistake (or a race a caller resolves). Checked by the database,
// so two concurrent writes cannot both win.
const UNIQUE_MESSAGES: Array<{ match: RegExp; field: string; message: string }> = [
  {
    match: /client_domains_pkey|"domain"/,
    field: 'domains',
    message: 'A domain already belongs to another client',
  },
  {
    match: /contacts_tenant_id_email_key|"email"/,
    field: 'email',
    message: 'A contact with this e-mail address already exists',
  },
  {
    match: /ticket_templates_tenant_sort_name_key|"sort_name"/,
    field: 'name',
    message: 'A template with this name already exists',
  },
  {
    match: /dedupe_key/,
    field: 'dedupeKey',
    message: 'This dedupe key was used already',
  },
];

/** Runs a write; a unique violation becomes ALREADY_EXISTS naming the field, when the index is a known one. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) {
      // with a driver adapter the violated constraint sits in meta.driverAdapterError rather than meta.target
      const where = `${JSON.stringify(err.meta ?? {})} ${err.message}`;
      const known = UNIQUE_MESSAGES.find((entry) => entry.match.test(where));
      throw new DomainError(
        'ALREADY_EXISTS',
        known?.message ?? 'The record already exists',
        known ? [{ path: [known.field], message: known.message }] : undefined,
      );
    }
    throw err;
  }
}

// P2002 from the query builder; a raw statement (P2010) carries PostgreSQL's own 23505 instead.
function isUniqueViolation(err: unknown): err is Prisma.PrismaClientKnownRequestError {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (err.code === 'P2002') return true;
  const cause = (err.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)
    ?.driverAdapterError?.cause;
  return err.code === 'P2010' && cause?.originalCode === '23505';
}
