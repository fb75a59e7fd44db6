import { ticketV1 } from '@helpdesk/contracts';
import { checkAssignment, createTicket } from '../../../app/create-ticket.use-case';
import { GatewayError } from '../../../app/errors';
import { toPage, toPageRequest } from '../../../app/pagination';
import { toActor, type TenantPrincipal } from '../../../app/principal';
import {
  AGENT_ATTACHMENT_URL,
  toAttachmentDto,
  toHistoryDto,
  toListTicketsRequest,
  toMessageDto,
  toTicketDto,
  toUpdateTicketRequest,
} from '../mappers/ticket.mapper';
import { ANY_FILE, defineRoute, type AnyRoute } from '../route';
import { idempotencyKeyHeadersSchema, idParamsSchema, ifMatchHeadersSchema } from '../schemas/common.schema';
import {
  addMessageBodySchema,
  addMessageResponseSchema,
  attachmentSchema,
  binarySchema,
  createTicketBodySchema,
  downloadQuerySchema,
  historyPageSchema,
  listTicketsQuerySchema,
  mergeBodySchema,
  mergeResponseSchema,
  messagePageSchema,
  ticketPageSchema,
  ticketSchema,
  updateTicketBodySchema,
} from '../schemas/ticket.schema';
import { pageQuerySchema } from '../schemas/common.schema';
import { downloadAnswer, uploadAttachment } from './attachment-transfer';
import type { RouteDeps } from './route-deps';

export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GatewayError('INTERNAL', `Ticket service returned no ${what}`);
  return value;
}

/** Tickets (docs/product/tickets.md), their thread, history, merge and files, for agents and API keys. */
export function ticketRoutes(deps: RouteDeps): AnyRoute[] {
  const getTicket = async (principal: TenantPrincipal, id: string) =>
    present(
      (
        await deps.tickets.getTicket(
          ticketV1.GetTicketRequest.fromPartial({ tenantId: principal.tenantId, id }),
        )
      ).ticket,
      'ticket',
    );

  return [
    defineRoute({
      method: 'post',
      path: '/tickets',
      operationId: 'createTicket',
      summary: "Creates a ticket, for the client the agent picked (clientId) or the requester's",
      tag: 'tickets',
      access: 'tenant',
      body: createTicketBodySchema,
      headers: idempotencyKeyHeadersSchema,
      response: { status: 201, description: 'Created', schema: ticketSchema },
      errors: [404],
      handle: async ({ principal, body, headers }) =>
        toTicketDto(await createTicket(deps, principal, body, headers['idempotency-key'])),
    }),
    defineRoute({
      method: 'get',
      path: '/tickets',
      operationId: 'listTickets',
      summary: "Lists or searches the tenant's tickets",
      tag: 'tickets',
      access: 'tenant',
      query: listTicketsQuerySchema,
      response: { status: 200, description: 'A page of tickets', schema: ticketPageSchema },
      handle: async ({ principal, query }) => {
        if (principal.actor === 'API_KEY' && query.assigneeId?.includes('me')) {
          throw new GatewayError(
            'INVALID_ARGUMENT',
            'assigneeId=me needs a signed-in agent, not an API key',
            [{ path: ['assigneeId'], message: 'no user behind an API key' }],
          );
        }
        const me = principal.actor === 'USER' ? principal.userId : undefined;
        const response = await deps.tickets.listTickets(
          toListTicketsRequest(principal.tenantId, query, query, me),
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
      handle: async ({ principal, params }) => toTicketDto(await getTicket(principal, params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: '/tickets/:id',
      operationId: 'updateTicket',
      summary:
        'Changes status, priority, assignee, team, client, contact, type, category, tags, links or resolution details',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateTicketBodySchema,
      response: { status: 200, description: 'The ticket after the change', schema: ticketSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        await checkAssignment(deps.identity, principal.tenantId, body);
        const { ticket } = await deps.tickets.updateTicket(
          toUpdateTicketRequest(principal, params.id, headers['if-match'], body),
        );
        return toTicketDto(present(ticket, 'ticket'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tickets/:id/messages',
      operationId: 'listMessages',
      summary: "A ticket's thread, oldest first",
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of messages', schema: messagePageSchema },
      errors: [404],
      handle: async ({ principal, params, query }) =>
        toPage(
          await deps.tickets.listMessages(
            ticketV1.ListMessagesRequest.fromPartial({
              tenantId: principal.tenantId,
              ticketId: params.id,
              page: toPageRequest(query),
            }),
          ),
          toMessageDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/tickets/:id/messages',
      operationId: 'addMessage',
      summary: 'Replies to the customer or adds an internal note; @handle mentions are recorded',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      body: addMessageBodySchema,
      response: {
        status: 201,
        description: 'The message and the ticket after it',
        schema: addMessageResponseSchema,
      },
      errors: [404, 409],
      handle: async ({ principal, params, body }) => {
        const added = await deps.tickets.addMessage(
          ticketV1.AddMessageRequest.fromPartial({
            tenantId: principal.tenantId,
            actor: toActor(principal),
            ticketId: params.id,
            message: {
              kind: body.kind,
              bodyHtml: body.bodyHtml ?? '',
              bodyText: body.bodyText ?? '',
              attachmentIds: body.attachmentIds ?? [],
            },
            status: body.status ?? '',
            resolutionDetails: body.resolutionDetails,
          }),
        );
        return {
          message: toMessageDto(present(added.message, 'message')),
          ticket: toTicketDto(present(added.ticket, 'ticket')),
          outcome: added.outcome,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tickets/:id/history',
      operationId: 'getTicketHistory',
      summary: 'Every change of the ticket with actor and time, oldest first',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of history entries', schema: historyPageSchema },
      errors: [404],
      handle: async ({ principal, params, query }) =>
        toPage(
          await deps.tickets.listHistory({
            tenantId: principal.tenantId,
            ticketId: params.id,
            page: toPageRequest(query),
          }),
          toHistoryDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/tickets/:id/merge',
      operationId: 'mergeTicket',
      summary: 'Merges this ticket into another: the thread moves, this one closes and points at the other',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      body: mergeBodySchema,
      response: { status: 200, description: 'Both tickets after the merge', schema: mergeResponseSchema },
      errors: [404, 409],
      handle: async ({ principal, params, body }) => {
        const merged = await deps.tickets.mergeTicket({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          ticketId: params.id,
          intoTicketId: body.intoTicketId,
        });
        return {
          ticket: toTicketDto(present(merged.ticket, 'ticket')),
          into: toTicketDto(present(merged.into, 'ticket')),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/tickets/:id/attachments',
      operationId: 'uploadAttachment',
      summary: 'Uploads a file (multipart/form-data, field "file"), to send with a message by its id',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      upload: { field: 'file' },
      response: { status: 201, description: 'The stored file', schema: attachmentSchema },
      errors: [404],
      handle: async ({ principal, params, file }) =>
        toAttachmentDto(
          await uploadAttachment(deps, principal.tenantId, toActor(principal), params.id, file!),
          AGENT_ATTACHMENT_URL,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/attachments/:id',
      operationId: 'downloadAttachment',
      summary: 'Downloads a file of a ticket of the tenant',
      tag: 'tickets',
      access: 'tenant',
      params: idParamsSchema,
      query: downloadQuerySchema,
      response: {
        status: 200,
        description: 'The file',
        schema: binarySchema,
        media: [ANY_FILE],
        mediaOnly: true,
      },
      errors: [404],
      handle: ({ principal, params, query }) =>
        downloadAnswer(deps, principal.tenantId, toActor(principal), params.id, query.inline),
    }),
  ];
}
