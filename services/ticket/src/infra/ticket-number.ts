import type { TicketNumberAllocator } from '../app/ports';
import { FIRST_TICKET_NUMBER } from '../domain/ticket';
import type { PrismaClient } from './prisma/generated/client';

/**
 * Per-tenant ticket numbers from a counter row bumped by one autocommitted statement. The row lock lasts
 * only for that statement, not for the create transaction that follows, so creates of one tenant do not
 * queue behind each other (docs/architecture.md "Per-tenant ticket numbers"). If the create then fails, its number is
 * simply never used: a gap is acceptable, a reused number is not.
 */
export class PostgresTicketNumbers implements TicketNumberAllocator {
  // Must be the root client, never a transaction client: inside a transaction the lock would be held to commit.
  constructor(private readonly prisma: PrismaClient) {}

  async next(tenantId: string): Promise<number> {
    const rows = await this.prisma.$queryRaw<Array<{ number: number }>>`
      INSERT INTO ticket_counter (tenant_id, next_number) VALUES (${tenantId}::uuid, ${FIRST_TICKET_NUMBER + 1})
      ON CONFLICT (tenant_id) DO UPDATE SET next_number = ticket_counter.next_number + 1
      RETURNING next_number - 1 AS number`;
    const number = rows[0]?.number;
    if (typeof number !== 'number') throw new Error('ticket counter returned no number');
    return number;
  }
}
