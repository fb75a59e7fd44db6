import { encodeSeqCursor } from '@helpdesk/platform';
import type { TicketMessage } from '../domain/message';
import type { Actor } from '../domain/ticket';
import type { AuthorNames } from './author-names';
import type { DirectoryReader, MessageRepository, TicketRepository } from './ports';
import { pageLimit, seqCursor } from './page';
import { requireVisible, viewerFor } from './portal-viewer';

/** A message with its author's display name (agents' names, never their addresses, reach the portal). */
export interface NamedMessage {
  message: TicketMessage;
  authorName: string;
}

export interface ListMessagesInput {
  tenantId: string;
  ticketId: string;
  limit?: number;
  cursor?: string;
  actor?: Actor;
}

/** A ticket's thread, oldest first; a contact never sees internal notes (docs/product/portal.md). */
export class ListMessagesUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly messages: MessageRepository,
    private readonly directory: Pick<DirectoryReader, 'findContact'>,
    private readonly names: AuthorNames,
  ) {}

  async execute(input: ListMessagesInput): Promise<{ items: NamedMessage[]; nextCursor: string | null }> {
    const limit = pageLimit(input.limit);
    const afterSeq = seqCursor(input.cursor);
    const viewer = await viewerFor(this.directory, input.tenantId, input.actor);
    requireVisible(await this.tickets.findById(input.tenantId, input.ticketId), viewer);
    const rows = await this.messages.list({
      tenantId: input.tenantId,
      ticketId: input.ticketId,
      limit: limit + 1,
      afterSeq,
      customerVisibleOnly: viewer !== undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const names = await this.names.of(
      input.tenantId,
      page.map((r) => r.message),
    );
    return {
      items: page.map((r) => ({
        message: r.message,
        authorName: names.get(r.message.author.id ?? '') ?? '',
      })),
      nextCursor: rows.length > limit && last ? encodeSeqCursor(last.seq) : null,
    };
  }
}
