// The copies of tickets: one upsert, used by the commands (through Prisma) and by the ticket-event consumer
// (through the consumer's pg transaction), so both keep the newest ticket version the same way.
import type { TicketCatalog } from '../app/ports';
import type { TicketInfo } from '../domain/entry';
import type { PrismaClient } from './prisma/generated/client';

/** A Prisma client or transaction (`$executeRawUnsafe`) or a pg client (`query`). */
export type SqlWriter =
  | { $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<unknown> }
  | { query(text: string, values?: unknown[]): PromiseLike<unknown> };

export const TITLE_MAX_LENGTH = 300;

// Only a newer ticket version replaces the copy: events may arrive late or twice, and a snapshot the gateway
// read may be older than an event already applied. time_sequence belongs to timekeeping and is never touched.
const UPSERT_TICKET_SQL = `
INSERT INTO tickets (tenant_id, id, number, title, client_id, version, updated_at)
VALUES ($1::uuid, $2::uuid, $3, $4, $5::uuid, $6, now())
ON CONFLICT (tenant_id, id) DO UPDATE
SET number = EXCLUDED.number, title = EXCLUDED.title, client_id = EXCLUDED.client_id,
    version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
WHERE tickets.version < EXCLUDED.version`;

/** Stores a ticket copy unless one at the same or a newer version is there. */
export async function recordTicket(db: SqlWriter, ticket: TicketInfo): Promise<void> {
  const values = [
    ticket.tenantId,
    ticket.id,
    ticket.number,
    ticket.title.slice(0, TITLE_MAX_LENGTH),
    ticket.clientId,
    ticket.version,
  ];
  if ('$executeRawUnsafe' in db) await db.$executeRawUnsafe(UPSERT_TICKET_SQL, ...values);
  else await db.query(UPSERT_TICKET_SQL, values);
}

/** Records snapshots in their own short statement, outside any command's transaction. */
export class PrismaTicketCatalog implements TicketCatalog {
  constructor(private readonly prisma: PrismaClient) {}

  record(ticket: TicketInfo): Promise<void> {
    return recordTicket(this.prisma, ticket);
  }
}
