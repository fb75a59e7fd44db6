import { notFound } from '@helpdesk/platform';
import { isUuid } from '../domain/cursor';
import type { Actor, Ticket } from '../domain/ticket';
import type { DirectoryReader, TicketRepository } from './ports';
import { requireVisible, viewerFor } from './portal-viewer';

export interface GetTicketQuery {
  tenantId: string;
  /** The ticket's id, or else its number. */
  id?: string;
  number?: number;
  /** A contact sees only what its portal access allows; unset is an agent of the tenant. */
  actor?: Actor;
}

export class GetTicketUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly directory: Pick<DirectoryReader, 'findContact'>,
  ) {}

  async execute(query: GetTicketQuery): Promise<Ticket> {
    const viewer = await viewerFor(this.directory, query.tenantId, query.actor);
    let ticket: Ticket | null;
    if (query.id) {
      // an id that cannot exist is simply not found; passing it on would make PostgreSQL reject the uuid cast
      if (!isUuid(query.id)) throw notFound('ticket');
      ticket = await this.tickets.findById(query.tenantId, query.id.toLowerCase());
    } else if (query.number !== undefined && Number.isSafeInteger(query.number) && query.number > 0) {
      ticket = await this.tickets.findByNumber(query.tenantId, query.number);
    } else {
      throw notFound('ticket');
    }
    // another tenant's ticket, or one the contact may not see, answers exactly like a missing one
    if (ticket && ticket.tenantId !== query.tenantId) ticket = null;
    return requireVisible(ticket, viewer);
  }
}
