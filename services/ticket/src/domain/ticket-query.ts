// Orders of the ticket list (docs/product/tickets.md "Search and lists",
// `sort`) and their keyset cursors. Pure: no I/O.
import { cursorDate, cursorUuid, decodeOpaque, encodeOpaque, InvalidCursorError } from '@helpdesk/platform';
import { TICKET_PRIORITIES, type Ticket } from './ticket';

/** `-field` is descending. `relevance` (best match first) needs a full-text query. */
export const TICKET_SORTS = [
  '-openedAt',
  'openedAt',
  '-updatedAt',
  'updatedAt',
  '-number',
  'number',
  '-priority',
  'priority',
  'relevance',
] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const DEFAULT_SORT: TicketSort = '-openedAt';

/**
 * The position after which the next page starts: the sort key of the last item and its id (the tie-breaker).
 * `priority` sorts by (priority, openedAt, id); `relevance` by (rank, id).
 */
export type TicketCursor =
  | { sort: '-openedAt' | 'openedAt' | '-updatedAt' | 'updatedAt'; at: Date; id: string }
  | { sort: '-number' | 'number'; number: number; id: string }
  | { sort: '-priority' | 'priority'; priorityRank: number; openedAt: Date; id: string }
  | { sort: 'relevance'; rank: number; id: string };

export function priorityRank(priority: Ticket['priority']): number {
  return TICKET_PRIORITIES.indexOf(priority);
}

/** The cursor after `ticket` in `sort` order; `rank` is the ticket's full-text rank for `relevance`. */
export function cursorAfter(sort: TicketSort, ticket: Ticket, rank = 0): TicketCursor {
  switch (sort) {
    case '-openedAt':
    case 'openedAt':
      return { sort, at: ticket.openedAt, id: ticket.id };
    case '-updatedAt':
    case 'updatedAt':
      return { sort, at: ticket.updatedAt, id: ticket.id };
    case '-number':
    case 'number':
      return { sort, number: ticket.number, id: ticket.id };
    case '-priority':
    case 'priority':
      return { sort, priorityRank: priorityRank(ticket.priority), openedAt: ticket.openedAt, id: ticket.id };
    case 'relevance':
      // -0 is the same position as 0, and JSON (the cursor's encoding) writes it as 0
      return { sort, rank: rank === 0 ? 0 : rank, id: ticket.id };
  }
}

export function encodeTicketCursor(cursor: TicketCursor): string {
  switch (cursor.sort) {
    case '-openedAt':
    case 'openedAt':
    case '-updatedAt':
    case 'updatedAt':
      return encodeOpaque({ s: cursor.sort, t: cursor.at.toISOString(), i: cursor.id });
    case '-number':
    case 'number':
      return encodeOpaque({ s: cursor.sort, n: cursor.number, i: cursor.id });
    case '-priority':
    case 'priority':
      return encodeOpaque({
        s: cursor.sort,
        p: cursor.priorityRank,
        t: cursor.openedAt.toISOString(),
        i: cursor.id,
      });
    case 'relevance':
      return encodeOpaque({ s: cursor.sort, r: cursor.rank, i: cursor.id });
  }
}

/** Decodes a cursor made for `sort`; a cursor of another order (or forged) is InvalidCursorError. */
export function decodeTicketCursor(raw: string, sort: TicketSort): TicketCursor {
  const o = decodeOpaque(raw);
  if (o.s !== sort) throw new InvalidCursorError();
  const id = cursorUuid(o.i);
  switch (sort) {
    case '-openedAt':
    case 'openedAt':
    case '-updatedAt':
    case 'updatedAt':
      return { sort, at: cursorDate(o.t), id };
    case '-number':
    case 'number':
      if (!Number.isSafeInteger(o.n)) throw new InvalidCursorError();
      return { sort, number: o.n as number, id };
    case '-priority':
    case 'priority':
      if (!Number.isInteger(o.p) || (o.p as number) < 0 || (o.p as number) >= TICKET_PRIORITIES.length) {
        throw new InvalidCursorError();
      }
      return { sort, priorityRank: o.p as number, openedAt: cursorDate(o.t), id };
    case 'relevance':
      if (typeof o.r !== 'number' || !Number.isFinite(o.r)) throw new InvalidCursorError();
      return { sort, rank: o.r, id };
  }
}
