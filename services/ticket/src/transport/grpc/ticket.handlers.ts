import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { ticketV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type { CreateTicketUseCase } from '../../app/create-ticket.use-case';
import type { GetTicketUseCase } from '../../app/get-ticket.use-case';
import type { ListTicketsUseCase } from '../../app/list-tickets.use-case';
import { toProtoTicket } from '../ticket.mapper';
import {
  createTicketRequestSchema,
  getTicketRequestSchema,
  listTicketsRequestSchema,
} from './ticket.schemas';

export interface TicketHandlerDeps {
  createTicket: CreateTicketUseCase;
  getTicket: GetTicketUseCase;
  listTickets: ListTicketsUseCase;
  logger: Logger;
}

/** TicketService: proto messages in, zod-checked use-case input, proto messages out. */
export function ticketHandlers(
  deps: TicketHandlerDeps,
): ticketV1.TicketServiceServer & UntypedServiceImplementation {
  const { logger } = deps;
  return {
    createTicket: unary<ticketV1.CreateTicketRequest, ticketV1.CreateTicketResponse>(async (request) => {
      const input = createTicketRequestSchema.parse(request);
      const ticket = await deps.createTicket.execute(input);
      logger.info(
        { tenantId: ticket.tenantId, ticketId: ticket.id, number: ticket.number },
        'ticket created',
      );
      return { ticket: toProtoTicket(ticket) };
    }, logger),

    getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async (request) => {
      const input = getTicketRequestSchema.parse(request);
      return { ticket: toProtoTicket(await deps.getTicket.execute(input)) };
    }, logger),

    listTickets: unary<ticketV1.ListTicketsRequest, ticketV1.ListTicketsResponse>(async (request) => {
      const input = listTicketsRequestSchema.parse(request);
      const page = await deps.listTickets.execute({
        tenantId: input.tenantId,
        limit: input.page.limit,
        cursor: input.page.cursor,
        statuses: input.status,
        priorities: input.priority,
      });
      return { items: page.items.map(toProtoTicket), nextCursor: page.nextCursor ?? '' };
    }, logger),
  };
}
