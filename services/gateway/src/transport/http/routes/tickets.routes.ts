import { createTicket } from '../../../app/create-ticket.use-case';
import { GatewayError } from '../../../app/errors';
import { toPage } from '../../../app/pagination';
import { toListTicketsRequest, toTicketDto } from '../../../app/ticket.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { idParamsSchema } from '../schemas/common.schema';
import {
  createTicketBodySchema,
  listTicketsQuerySchema,
  ticketPageSchema,
  ticketSchema,
} from '../schemas/ticket.schema';
import type { RouteDeps } from './route-deps';

export function ticketRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/tickets',
      operationId: 'createTicket',
      summary: 'Creates a ticket',
      tag: 'tickets',
      access: 'tenant',
      body: createTicketBodySchema,
      response: { status: 201, description: 'Created', schema: ticketSchema },
      handle: ({ principal, body }) => createTicket(deps, principal, body),
    }),
    defineRoute({
      method: 'get',
      path: '/tickets',
      operationId: 'listTickets',
      summary: "Lists the tenant's tickets, newest first",
      tag: 'tickets',
      access: 'tenant',
      query: listTicketsQuerySchema,
      response: { status: 200, description: 'A page of tickets', schema: ticketPageSchema },
      handle: async ({ principal, query }) => {
        const response = await deps.tickets.listTickets(
          toListTicketsRequest(principal.tenantId, { status: query.status, priority: query.priority }, query),
        );
        return toPage(response, toTicketDto);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tickets/:id',
      operationId: 'getTicket',
      summary: 'Reads one ticket',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The ticket', schema: ticketSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { ticket } = await deps.tickets.getTicket({ tenantId: principal.tenantId, id: params.id });
        if (!ticket) throw new GatewayError('NOT_FOUND', 'ticket not found');
        return toTicketDto(ticket);
      },
    }),
  ];
}
