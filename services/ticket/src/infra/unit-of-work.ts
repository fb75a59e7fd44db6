import { createEnvelope, enqueueEvent } from '@helpdesk/bus';
import { ticketEventsV1 } from '@helpdesk/contracts';
import type { EventOutbox, TicketDomainEvent, TransactionContext, UnitOfWork } from '../app/ports';
import { toProtoTicket } from '../transport/ticket.mapper';
import type { Prisma, PrismaClient } from './prisma/generated/client';
import { PrismaTicketWriter } from './ticket.repository';

/** Writes SPEC §10 envelopes into the outbox table through the caller's transaction. */
export class PrismaEventOutbox implements EventOutbox {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async enqueue(event: TicketDomainEvent): Promise<void> {
    const envelope = createEnvelope({
      type: event.type,
      tenantId: event.tenantId,
      data: ticketEventsV1.TicketCreatedEvent.toJSON({ ticket: toProtoTicket(event.ticket) }),
    });
    await enqueueEvent(this.tx, envelope);
  }
}

/** One Prisma interactive transaction: ticket writes and their events commit or roll back together. */
export class PrismaUnitOfWork implements UnitOfWork {
  constructor(private readonly prisma: PrismaClient) {}

  run<T>(work: (ctx: TransactionContext) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) =>
      work({ tickets: new PrismaTicketWriter(tx), outbox: new PrismaEventOutbox(tx) }),
    );
  }
}
