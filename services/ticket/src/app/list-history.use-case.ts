import { encodeSeqCursor } from '../domain/cursor';
import type { HistoryRepository, StoredHistoryEntry, TicketRepository } from './ports';
import { pageLimit, seqCursor } from './page';
import { requireVisible } from './portal-viewer';

/** GET /tickets/:id/history: every change with actor and time, oldest first (agents only). */
export class ListHistoryUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly history: HistoryRepository,
  ) {}

  async execute(input: {
    tenantId: string;
    ticketId: string;
    limit?: number;
    cursor?: string;
  }): Promise<{ items: StoredHistoryEntry[]; nextCursor: string | null }> {
    const limit = pageLimit(input.limit);
    const afterSeq = seqCursor(input.cursor);
    requireVisible(await this.tickets.findById(input.tenantId, input.ticketId), undefined);
    const rows = await this.history.list(input.tenantId, input.ticketId, limit + 1, afterSeq);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? encodeSeqCursor(last.seq) : null };
  }
}
