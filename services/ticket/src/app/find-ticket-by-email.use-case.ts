import { invalidArgument, notFound } from '@helpdesk/platform';
import { bareMessageId } from '../domain/message';
import type { Ticket } from '../domain/ticket';
import type { TicketRepository } from './ports';

const IDS_MAX = 100;

/** Mail threading: the ticket holding a message with one of these Message-IDs (first match in the given order). */
export class FindTicketByEmailUseCase {
  constructor(private readonly tickets: TicketRepository) {}

  async execute(
    tenantId: string,
    messageIds: string[],
  ): Promise<{ ticket: Ticket; matchedMessageId: string }> {
    const ids = [
      ...new Set(messageIds.map((id) => bareMessageId(id)).filter((id): id is string => id !== null)),
    ];
    if (ids.length === 0) throw invalidArgument('messageIds must name at least one Message-ID');
    const found = await this.tickets.findByEmailMessageIds(tenantId, ids.slice(0, IDS_MAX));
    if (!found) throw notFound('ticket');
    return found;
  }
}
