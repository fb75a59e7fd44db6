import { invalidArgument } from '@helpdesk/platform';
import { decodeCursor, encodeCursor, InvalidCursorError, type TicketCursor } from '../domain/cursor';
import type { Ticket, TicketPriority, TicketStatus } from '../domain/ticket';
import type { TicketRepository } from './ports';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface ListTicketsInput {
  tenantId: string;
  limit?: number;
  cursor?: string;
  statuses?: TicketStatus[];
  priorities?: TicketPriority[];
}

export interface TicketPage {
  items: Ticket[];
  /** null on the last page */
  nextCursor: string | null;
}

export class ListTicketsUseCase {
  constructor(private readonly tickets: TicketRepository) {}

  async execute(input: ListTicketsInput): Promise<TicketPage> {
    const limit = input.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw invalidArgument(`limit must be between 1 and ${MAX_PAGE_SIZE}`, [
        { path: ['page', 'limit'], message: 'out of range' },
      ]);
    }
    let after: TicketCursor | undefined;
    if (input.cursor) {
      try {
        after = decodeCursor(input.cursor);
      } catch (err) {
        if (err instanceof InvalidCursorError) {
          throw invalidArgument(err.message, [{ path: ['page', 'cursor'], message: err.message }]);
        }
        throw err;
      }
    }
    // one extra row tells whether another page exists without a count query
    const rows = await this.tickets.list({
      tenantId: input.tenantId,
      limit: limit + 1,
      after,
      statuses: dedupe(input.statuses ?? []),
      priorities: dedupe(input.priorities ?? []),
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ openedAt: last.openedAt, id: last.id }) : null;
    return { items, nextCursor };
  }
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}
