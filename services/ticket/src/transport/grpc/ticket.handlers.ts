import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { ticketV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type { AddMessageUseCase } from '../../app/add-message.use-case';
import type { AuthorNames } from '../../app/author-names';
import type { CreateTicketUseCase } from '../../app/create-ticket.use-case';
import type { CustomerFeedbackUseCases } from '../../app/customer-feedback.use-case';
import type { FindTicketByEmailUseCase } from '../../app/find-ticket-by-email.use-case';
import type { GetMessageUseCase } from '../../app/get-message.use-case';
import type { GetTicketUseCase } from '../../app/get-ticket.use-case';
import type { ListHistoryUseCase } from '../../app/list-history.use-case';
import type { ListMessagesUseCase } from '../../app/list-messages.use-case';
import type { ListTicketsUseCase } from '../../app/list-tickets.use-case';
import type { ListTodosUseCase } from '../../app/list-todos.use-case';
import type { MergeTicketUseCase } from '../../app/merge-ticket.use-case';
import type { UpdateTicketCommand, UpdateTicketUseCase } from '../../app/update-ticket.use-case';
import { toProtoActor, toProtoChanges, toProtoMessage, toProtoTicket, toProtoTodo } from '../ticket.mapper';
import {
  addMessageRequestSchema,
  confirmResolutionRequestSchema,
  createTicketRequestSchema,
  findTicketByEmailRequestSchema,
  getMessageRequestSchema,
  getTicketRequestSchema,
  listHistoryRequestSchema,
  listMessagesRequestSchema,
  listTicketsRequestSchema,
  listTodosRequestSchema,
  mergeTicketRequestSchema,
  rateTicketRequestSchema,
  updateTicketRequestSchema,
} from './ticket.schemas';

export interface TicketHandlerDeps {
  createTicket: CreateTicketUseCase;
  getTicket: GetTicketUseCase;
  listTickets: ListTicketsUseCase;
  updateTicket: UpdateTicketUseCase;
  addMessage: AddMessageUseCase;
  listMessages: ListMessagesUseCase;
  getMessage: GetMessageUseCase;
  listHistory: ListHistoryUseCase;
  mergeTicket: MergeTicketUseCase;
  feedback: CustomerFeedbackUseCases;
  listTodos: ListTodosUseCase;
  findTicketByEmail: FindTicketByEmailUseCase;
  authorNames: AuthorNames;
  logger: Logger;
}

const none = (v: string | undefined) => (v === undefined ? undefined : v === '' ? null : v);

/** TicketService: proto messages in, zod-checked use-case input, proto messages out. */
export function ticketHandlers(
  deps: TicketHandlerDeps,
): ticketV1.TicketServiceServer & UntypedServiceImplementation {
  const { logger } = deps;
  return {
    createTicket: unary<ticketV1.CreateTicketRequest, ticketV1.CreateTicketResponse>(async (request) => {
      const r = createTicketRequestSchema.parse(request);
      const created = await deps.createTicket.execute({
        tenantId: r.tenantId,
        actor: r.actor,
        title: r.title,
        description: r.description,
        priority: r.priority,
        source: r.source,
        requester: r.requester,
        contactId: r.contactId,
        clientId: r.clientId,
        type: r.type,
        category: r.category,
        assigneeId: r.assigneeId ?? null,
        teamId: r.teamId ?? null,
        tags: r.tags,
        cc: r.cc,
        links: r.links,
        templateId: r.templateId,
        followUpOfId: r.followUpOfId,
        initialMessage: r.initialMessage,
        dedupeKey: r.dedupeKey || undefined,
      });
      if (!created.duplicate) {
        logger.info(
          { tenantId: created.ticket.tenantId, ticketId: created.ticket.id, number: created.ticket.number },
          'ticket created',
        );
      }
      return {
        ticket: toProtoTicket(created.ticket),
        message: created.message ? toProtoMessage(created.message) : undefined,
        duplicate: created.duplicate,
      };
    }, logger),

    getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async (request) => {
      const r = getTicketRequestSchema.parse(request);
      const ticket = await deps.getTicket.execute({
        tenantId: r.tenantId,
        id: r.id || undefined,
        number: r.number || undefined,
        actor: r.actor,
      });
      return { ticket: toProtoTicket(ticket) };
    }, logger),

    listTickets: unary<ticketV1.ListTicketsRequest, ticketV1.ListTicketsResponse>(async (request) => {
      const r = listTicketsRequestSchema.parse(request);
      const page = await deps.listTickets.execute({
        tenantId: r.tenantId,
        limit: r.page.limit,
        cursor: r.page.cursor,
        sort: r.sort || undefined,
        actor: r.actor,
        filter: {
          statuses: r.status,
          priorities: r.priority,
          clientIds: r.clientId,
          assigneeIds: r.assigneeId,
          unassigned: r.unassigned,
          teamIds: r.teamId,
          categories: r.category,
          types: r.type,
          tags: r.tag,
          contactIds: r.contactId ? [r.contactId] : [],
          slaState: r.slaState || undefined,
          q: r.q || undefined,
        },
      });
      return { items: page.items.map(toProtoTicket), nextCursor: page.nextCursor ?? '' };
    }, logger),

    updateTicket: unary<ticketV1.UpdateTicketRequest, ticketV1.UpdateTicketResponse>(async (request) => {
      const r = updateTicketRequestSchema.parse(request);
      const patch: UpdateTicketCommand['patch'] = {
        ...(r.title !== undefined ? { title: r.title } : {}),
        ...(r.status !== undefined ? { status: r.status } : {}),
        ...(r.reopen ? { reopen: true } : {}),
        ...(r.priority !== undefined ? { priority: r.priority } : {}),
        ...(r.assigneeId !== undefined ? { assigneeId: none(r.assigneeId) } : {}),
        ...(r.teamId !== undefined ? { teamId: none(r.teamId) } : {}),
        ...(r.clientId !== undefined ? { clientId: none(r.clientId) } : {}),
        ...(r.type !== undefined ? { type: none(r.type) } : {}),
        ...(r.category !== undefined ? { category: none(r.category) } : {}),
        ...(r.tags !== undefined ? { tags: r.tags } : {}),
        ...(r.links !== undefined
          ? {
              links: {
                ...(r.links.project !== undefined ? { project: r.links.project } : {}),
                ...(r.links.lead !== undefined ? { lead: r.links.lead } : {}),
              },
            }
          : {}),
        ...(r.resolutionDetails !== undefined ? { resolutionDetails: r.resolutionDetails } : {}),
        ...(r.cc !== undefined ? { cc: r.cc.addresses } : {}),
      };
      const ticket = await deps.updateTicket.execute({
        tenantId: r.tenantId,
        actor: r.actor,
        id: r.id,
        expectedVersion: r.expectedVersion,
        patch,
        contactId: r.contactId,
      });
      return { ticket: toProtoTicket(ticket) };
    }, logger),

    addMessage: unary<ticketV1.AddMessageRequest, ticketV1.AddMessageResponse>(async (request) => {
      const r = addMessageRequestSchema.parse(request);
      const added = await deps.addMessage.execute({
        tenantId: r.tenantId,
        actor: r.actor,
        ticketId: r.ticketId,
        message: r.message,
        status: r.status,
        resolutionDetails: r.resolutionDetails,
        dedupeKey: r.dedupeKey || undefined,
      });
      const name = await deps.authorNames.one(r.tenantId, added.message);
      return {
        message: toProtoMessage(added.message, name),
        ticket: toProtoTicket(added.ticket),
        outcome: added.outcome,
      };
    }, logger),

    listMessages: unary<ticketV1.ListMessagesRequest, ticketV1.ListMessagesResponse>(async (request) => {
      const r = listMessagesRequestSchema.parse(request);
      const page = await deps.listMessages.execute({
        tenantId: r.tenantId,
        ticketId: r.ticketId,
        limit: r.page.limit,
        cursor: r.page.cursor,
        actor: r.actor,
      });
      return {
        items: page.items.map((i) => toProtoMessage(i.message, i.authorName)),
        nextCursor: page.nextCursor ?? '',
      };
    }, logger),

    getMessage: unary<ticketV1.GetMessageRequest, ticketV1.GetMessageResponse>(async (request) => {
      const r = getMessageRequestSchema.parse(request);
      return { message: toProtoMessage(await deps.getMessage.execute(r.tenantId, r.id)) };
    }, logger),

    listHistory: unary<ticketV1.ListHistoryRequest, ticketV1.ListHistoryResponse>(async (request) => {
      const r = listHistoryRequestSchema.parse(request);
      const page = await deps.listHistory.execute({
        tenantId: r.tenantId,
        ticketId: r.ticketId,
        limit: r.page.limit,
        cursor: r.page.cursor,
      });
      return {
        items: page.items.map((e) => ({
          id: e.id,
          ticketId: e.ticketId,
          actor: toProtoActor(e.actor),
          changes: toProtoChanges(e.changes),
          at: e.at,
          cause: e.cause,
        })),
        nextCursor: page.nextCursor ?? '',
      };
    }, logger),

    mergeTicket: unary<ticketV1.MergeTicketRequest, ticketV1.MergeTicketResponse>(async (request) => {
      const r = mergeTicketRequestSchema.parse(request);
      const merged = await deps.mergeTicket.execute(r);
      return { ticket: toProtoTicket(merged.ticket), into: toProtoTicket(merged.into) };
    }, logger),

    confirmResolution: unary<ticketV1.ConfirmResolutionRequest, ticketV1.ConfirmResolutionResponse>(
      async (request) => {
        const r = confirmResolutionRequestSchema.parse(request);
        return { ticket: toProtoTicket(await deps.feedback.confirm(r)) };
      },
      logger,
    ),

    rateTicket: unary<ticketV1.RateTicketRequest, ticketV1.RateTicketResponse>(async (request) => {
      const r = rateTicketRequestSchema.parse(request);
      return { ticket: toProtoTicket(await deps.feedback.rate(r)) };
    }, logger),

    listTodos: unary<ticketV1.ListTodosRequest, ticketV1.ListTodosResponse>(async (request) => {
      const r = listTodosRequestSchema.parse(request);
      const page = await deps.listTodos.execute({
        tenantId: r.tenantId,
        userId: r.userId,
        state: r.state || undefined,
        limit: r.page.limit,
        cursor: r.page.cursor,
      });
      return { items: page.items.map(toProtoTodo), nextCursor: page.nextCursor ?? '' };
    }, logger),

    findTicketByEmailMessageId: unary<
      ticketV1.FindTicketByEmailMessageIdRequest,
      ticketV1.FindTicketByEmailMessageIdResponse
    >(async (request) => {
      const r = findTicketByEmailRequestSchema.parse(request);
      const found = await deps.findTicketByEmail.execute(r.tenantId, r.messageIds);
      return { ticket: toProtoTicket(found.ticket), matchedMessageId: found.matchedMessageId };
    }, logger),
  };
}
