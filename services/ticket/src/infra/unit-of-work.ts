import { enqueueCatalogEvent } from '@helpdesk/bus';
import { assertCallerWaiting, callTimeLeftMs } from '@helpdesk/grpc';
import { assertNever, type CatalogEventOf } from '@helpdesk/contracts';
import type { EventOutbox, TicketDomainEvent, TransactionContext, UnitOfWork } from '../app/ports';
import { toProtoActor, toProtoChanges, toProtoMessage, toProtoTicket } from '../transport/ticket.mapper';
import { PrismaAttachmentWriter } from './attachment.repository';
import { appendHistory } from './history.repository';
import { PrismaMessageWriter } from './message.repository';
import type { Prisma, PrismaClient } from './prisma/generated/client';
import { PrismaTicketWriter } from './ticket.repository';
import { PrismaTodoWriter } from './todo.repository';
import { activeUserIdsByHandle } from './user-view.repository';

/** A ticket event as its catalog event (the events.proto message); a new type fails to compile here. */
export function ticketCatalogEvent(event: TicketDomainEvent): CatalogEventOf<'ticket'> {
  const ticket = toProtoTicket(event.ticket);
  const actor = toProtoActor(event.actor);
  switch (event.type) {
    case 'helpdesk.ticket.created':
      return {
        type: event.type,
        data: { ticket, actor, message: event.message ? toProtoMessage(event.message) : undefined },
      };
    case 'helpdesk.ticket.updated':
      return { type: event.type, data: { ticket, actor, changes: toProtoChanges(event.changes) } };
    case 'helpdesk.ticket.status_changed':
      return { type: event.type, data: { ticket, actor, from: event.from, to: event.to } };
    case 'helpdesk.ticket.assigned':
      return {
        type: event.type,
        data: {
          ticket,
          actor,
          previousAssigneeId: event.previousAssigneeId ?? '',
          previousTeamId: event.previousTeamId ?? '',
        },
      };
    case 'helpdesk.ticket.message_added':
      return { type: event.type, data: { ticket, actor, message: toProtoMessage(event.message) } };
    case 'helpdesk.ticket.merged':
      return {
        type: event.type,
        data: { ticket, actor, into: toProtoTicket(event.into), movedMessages: event.movedMessages },
      };
    default:
      return assertNever(event, 'ticket event');
  }
}

/** Writes event envelopes (docs/product/events.md) into the outbox table through the caller's transaction. */
export class PrismaEventOutbox implements EventOutbox {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async enqueue(event: TicketDomainEvent): Promise<void> {
    const { type, data } = ticketCatalogEvent(event);
    await enqueueCatalogEvent(this.tx, type, event.tenantId, data);
  }
}

/** One Prisma interactive transaction: ticket writes and their events commit or roll back together. */
export class PrismaUnitOfWork implements UnitOfWork {
  constructor(private readonly prisma: PrismaClient) {}

  run<T>(work: (ctx: TransactionContext) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        const result = await work({
          tickets: new PrismaTicketWriter(tx),
          messages: new PrismaMessageWriter(tx),
          attachments: new PrismaAttachmentWriter(tx),
          history: { append: (entry) => appendHistory(tx, entry) },
          todos: new PrismaTodoWriter(tx),
          usersByHandle: (tenantId, handles) => activeUserIdsByHandle(tx, tenantId, handles),
          outbox: new PrismaEventOutbox(tx),
        });
        // a caller that gave up (deadline, cancel) was answered a failure: it must find nothing written
        assertCallerWaiting();
        return result;
      },
      // a merge of two long threads does more than the default 5 s allows on a busy machine; no point waiting for
      // a connection longer than the caller waits
      { timeout: 30_000, maxWait: Math.max(1, Math.min(10_000, callTimeLeftMs())) },
    );
  }
}
