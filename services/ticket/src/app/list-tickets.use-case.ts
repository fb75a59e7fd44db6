import { invalidArgument } from '@helpdesk/platform';
import {
  DEFAULT_SORT,
  decodeTicketCursor,
  encodeTicketCursor,
  type TicketSort,
} from '../domain/ticket-query';
import type { Actor, Ticket } from '../domain/ticket';
import type { DirectoryReader, TicketFilter, TicketRepository } from './ports';
import { pageCursor, pageLimit } from './page';
import { viewerFor } from './portal-viewer';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page';

export const QUERY_MAX_LENGTH = 500;

export interface ListTicketsInput {
  tenantId: string;
  limit?: number;
  cursor?: string;
  sort?: TicketSort;
  filter?: Partial<Omit<TicketFilter, 'viewer'>>;
  actor?: Actor;
}

export interface TicketPage {
  items: Ticket[];
  /** null on the last page */
  nextCursor: string | null;
}

/**
 * GET /tickets: filters of docs/product/tickets.md "Search and lists", full text over title,
 * description and thread, keyset pages in any order.
 */
export class ListTicketsUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly directory: Pick<DirectoryReader, 'findContact'>,
  ) {}

  async execute(input: ListTicketsInput): Promise<TicketPage> {
    const limit = pageLimit(input.limit);
    const q = input.filter?.q?.trim() || undefined;
    if (q && q.length > QUERY_MAX_LENGTH) {
      throw invalidArgument(`q must be at most ${QUERY_MAX_LENGTH} characters`, [
        { path: ['q'], message: 'too long' },
      ]);
    }
    const sort = input.sort ?? (q ? 'relevance' : DEFAULT_SORT);
    if (sort === 'relevance' && !q) {
      throw invalidArgument('sort=relevance needs a full-text query (q)', [
        { path: ['sort'], message: 'needs q' },
      ]);
    }
    const after = pageCursor(input.cursor, (raw) => decodeTicketCursor(raw, sort));
    const f = input.filter ?? {};
    const filter: TicketFilter = {
      statuses: dedupe(f.statuses),
      priorities: dedupe(f.priorities),
      clientIds: dedupe(f.clientIds),
      assigneeIds: dedupe(f.assigneeIds),
      unassigned: f.unassigned ?? false,
      teamIds: dedupe(f.teamIds),
      categories: dedupe(f.categories),
      types: dedupe(f.types),
      tags: dedupe(f.tags?.map((t) => t.trim().toLowerCase())),
      contactIds: dedupe(f.contactIds),
      ...(f.slaState ? { slaState: f.slaState } : {}),
      ...(q ? { q } : {}),
    };
    const viewer = await viewerFor(this.directory, input.tenantId, input.actor);
    if (viewer) filter.viewer = viewer;
    // one extra row tells whether another page exists without a count query
    const rows = await this.tickets.list({ tenantId: input.tenantId, limit: limit + 1, sort, after, filter });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => r.ticket),
      nextCursor: rows.length > limit && last ? encodeTicketCursor(last.cursor) : null,
    };
  }
}

function dedupe<T>(values: T[] | undefined): T[] {
  return [...new Set(values ?? [])];
}
