import { enqueueCatalogEvent } from '@helpdesk/bus';
import { assertNever, type CatalogEventOf } from '@helpdesk/contracts';
import type {
  DirectoryEvent,
  DirectoryEventOutbox,
  DirectoryTransaction,
  DirectoryUnitOfWork,
} from '../app/ports';
import { toProtoClient, toProtoContact } from '../transport/directory.mapper';
import { PrismaDirectoryReader, PrismaDirectoryWriter } from './directory.repository';
import type { Prisma, PrismaClient } from './prisma/generated/client';

/**
 * Writes the directory's event envelopes (docs/product/events.md) into the
 * outbox table through the caller's transaction.
 */
export class PrismaDirectoryOutbox implements DirectoryEventOutbox {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async enqueue(event: DirectoryEvent): Promise<void> {
    const { type, data } = catalogEvent(event);
    await enqueueCatalogEvent(this.tx, type, tenantOf(event), data);
  }
}

function tenantOf(event: DirectoryEvent): string {
  return 'client' in event ? event.client.tenantId : event.contact.tenantId;
}

function catalogEvent(event: DirectoryEvent): CatalogEventOf<'ticket'> {
  switch (event.type) {
    case 'helpdesk.ticket.client_created':
    case 'helpdesk.ticket.client_updated':
      return { type: event.type, data: { client: toProtoClient(event.client) } };
    case 'helpdesk.ticket.contact_created':
    case 'helpdesk.ticket.contact_updated':
      return { type: event.type, data: { contact: toProtoContact(event.contact) } };
    default:
      return assertNever(event, 'directory event');
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
