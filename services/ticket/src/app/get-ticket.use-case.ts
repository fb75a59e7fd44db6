import { notFound } from '@helpdesk/platform';
import { isUuid } from '../domain/cursor';
import type { Ticket } from '../domain/ticket';
import type { TicketRepository } from './ports';

export interface GetTicketQuery {
  tenantId: string;
  id: string;
}

export class GetTicketUseCase {
  constructor(private readonly tickets: TicketRepository) {}

  async execute(query: GetTicketQuery): Promise<Ticket> {
    // an id that cannot exist is simply not found; passing it on would make PostgreSQL reject the uuid cast
    if (!isUuid(query.id)) throw notFound('ticket');
    const ticket = await this.tickets.findById(query.tenantId, query.id.toLowerCase());
    // another tenant's ticket answers exactly like a missing one
    if (!ticket || ticket.tenantId !== query.tenantId) throw notFound('ticket');
    return ticket;
  }
}
