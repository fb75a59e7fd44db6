import { createEnvelope, enqueueEvent } from '@helpdesk/bus';
import { ticketEventsV1 } from '@helpdesk/contracts';
import type {
  DirectoryEvent,
  DirectoryEventOutbox,
  DirectoryTransaction,
  DirectoryUnitOfWork,
} from '../app/ports';
import { toProtoClient, toProtoContact } from '../transport/directory.mapper';
import { PrismaDirectoryReader, PrismaDirectoryWriter } from './directory.repository';
import type { Prisma, PrismaClient } from './prisma/generated/client';

/** Writes the directory's SPEC §10 envelopes into the outbox table through the caller's transaction. */
export class PrismaDirectoryOutbox implements DirectoryEventOutbox {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async enqueue(event: DirectoryEvent): Promise<void> {
    await enqueueEvent(
      this.tx,
      createEnvelope({ type: event.type, tenantId: tenantOf(event), data: eventData(event) }),
    );
  }
}

function tenantOf(event: DirectoryEvent): string {
  return 'client' in event ? event.client.tenantId : event.contact.tenantId;
}

function eventData(event: DirectoryEvent): unknown {
  switch (event.type) {
    case 'helpdesk.ticket.client_created':
      return ticketEventsV1.ClientCreatedEvent.toJSON({ client: toProtoClient(event.client) });
    case 'helpdesk.ticket.client_updated':
      return ticketEventsV1.ClientUpdatedEvent.toJSON({ client: toProtoClient(event.client) });
    case 'helpdesk.ticket.contact_created':
      return ticketEventsV1.ContactCreatedEvent.toJSON({ contact: toProtoContact(event.contact) });
    case 'helpdesk.ticket.contact_updated':
      return ticketEventsV1.ContactUpdatedEvent.toJSON({ contact: toProtoContact(event.contact) });
  }
}

/** One Prisma interactive transaction over the directory: reads, writes and events commit together. */
export class PrismaDirectoryUnitOfWork implements DirectoryUnitOfWork {
  constructor(private readonly prisma: PrismaClient) {}

  run<T>(work: (tx: DirectoryTransaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) =>
      work({
        reader: new PrismaDirectoryReader(tx),
        writer: new PrismaDirectoryWriter(tx),
        outbox: new PrismaDirectoryOutbox(tx),
      }),
    );
  }
}
