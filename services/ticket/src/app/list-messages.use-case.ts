import { encodeSeqCursor } from '../domain/cursor';
import type { TicketMessage } from '../domain/message';
import type { Actor } from '../domain/ticket';
import type { DirectoryReader, MessageRepository, TicketRepository, UserViewRepository } from './ports';
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

/** A ticket's thread, oldest first; a contact never sees internal notes (SPEC §8). */
export class ListMessagesUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly messages: MessageRepository,
    private readonly directory: Pick<DirectoryReader, 'findContact'>,
    private readonly users: Pick<UserViewRepository, 'names'>,
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
    const names = await this.authorNames(input.tenantId, page.map((r) => r.message));
    return {
      items: page.map((r) => ({ message: r.message, authorName: names.get(r.message.author.id ?? '') ?? '' })),
      nextCursor: rows.length > limit && last ? encodeSeqCursor(last.seq) : null,
    };
  }

  private async authorNames(tenantId: string, messages: TicketMessage[]): Promise<Map<string, string>> {
    const ids = (type: string) => [
      ...new Set(messages.filter((m) => m.author.type === type && m.author.id).map((m) => m.author.id!)),
    ];
    const names = await this.users.names(tenantId, ids('user'));
    for (const id of ids('contact')) {
      const contact = await this.directory.findContact(tenantId, id);
      if (contact) names.set(id, contact.name);
    }
    return names;
  }
}
