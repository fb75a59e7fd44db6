// Composition of the ticket service: use cases, blob store, consumers and gRPC services on the shared runtime.
// main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { attachmentV1, directoryV1, templateV1, ticketSettingsV1, ticketV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { runService, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { AddMessageUseCase } from './app/add-message.use-case';
import { AttachmentUseCases } from './app/attachments.use-case';
import { AuthorNames } from './app/author-names';
import { CreateClientUseCase } from './app/create-client.use-case';
import { CreateContactUseCase } from './app/create-contact.use-case';
import { CreateTicketUseCase } from './app/create-ticket.use-case';
import { CustomerFeedbackUseCases } from './app/customer-feedback.use-case';
import { FindTicketByEmailUseCase } from './app/find-ticket-by-email.use-case';
import { GetClientUseCase } from './app/get-client.use-case';
import { GetContactUseCase } from './app/get-contact.use-case';
import { GetMessageUseCase } from './app/get-message.use-case';
import { GetTicketUseCase } from './app/get-ticket.use-case';
import { ListClientsUseCase } from './app/list-clients.use-case';
import { ListContactsUseCase } from './app/list-contacts.use-case';
import { ListHistoryUseCase } from './app/list-history.use-case';
import { ListMessagesUseCase } from './app/list-messages.use-case';
import { ListTicketsUseCase } from './app/list-tickets.use-case';
import { ListTodosUseCase } from './app/list-todos.use-case';
import { MergeTicketUseCase } from './app/merge-ticket.use-case';
import type { BlobStore, OutboxNotifier } from './app/ports';
import { PortalSignInUseCases } from './app/portal-sign-in.use-case';
import { ResolveContactUseCase } from './app/resolve-contact.use-case';
import { SetContactBouncingUseCase } from './app/set-contact-bouncing.use-case';
import { TicketSettingsUseCases } from './app/ticket-settings.use-case';
import { TicketTemplateUseCases } from './app/ticket-templates.use-case';
import { UpdateClientUseCase } from './app/update-client.use-case';
import { UpdateContactUseCase } from './app/update-contact.use-case';
import { UpdateTicketUseCase } from './app/update-ticket.use-case';
import type { TicketConfig } from './config';
import { Argon2PasswordHasher } from '@helpdesk/security';
import { PrismaAttachmentRepository } from './infra/attachment.repository';
import { LocalBlobStore } from './infra/blob/local-blob-store';
import { S3BlobStore } from './infra/blob/s3-blob-store';
import { PrismaDirectoryReader } from './infra/directory.repository';
import { PrismaDirectoryUnitOfWork } from './infra/directory-unit-of-work';
import { PrismaHistoryRepository } from './infra/history.repository';
import { SanitizeHtmlSanitizer } from './infra/html-sanitizer';
import { PrismaMessageRepository } from './infra/message.repository';
import { PrismaPortalTokenStore } from './infra/portal-token.store';
import { PrismaClient } from './infra/prisma/generated/client';
import { PrismaSettingsRepository } from './infra/settings.repository';
import { PrismaTemplateRepository } from './infra/template.repository';
import { PostgresTicketNumbers } from './infra/ticket-number';
import { PrismaTicketRepository } from './infra/ticket.repository';
import { PrismaTodoRepository } from './infra/todo.repository';
import { PrismaUnitOfWork } from './infra/unit-of-work';
import { PrismaUserViewRepository } from './infra/user-view.repository';
import { attachmentHandlers } from './transport/grpc/attachment.handlers';
import { directoryHandlers, type DirectoryHandlerDeps } from './transport/grpc/directory.handlers';
import { settingsHandlers, templateHandlers } from './transport/grpc/template.handlers';
import { ticketHandlers, type TicketHandlerDeps } from './transport/grpc/ticket.handlers';
import { startIdentityEventsConsumer } from './transport/nats/identity-events.consumer';
import { startSlaEventsConsumer } from './transport/nats/sla-events.consumer';
import { startTimeEventsConsumer } from './transport/nats/time-events.consumer';

export type TicketServiceOptions = RuntimeOptions;

export type RunningTicketService = RunningService<
  PrismaClient,
  { useCases: TicketUseCases; directory: DirectoryUseCases; blobs: BlobStore }
>;

// the handlers' dependencies name the use cases; the composition builds exactly those
export type TicketUseCases = Omit<TicketHandlerDeps, 'logger'> & {
  templates: TicketTemplateUseCases;
  settings: TicketSettingsUseCases;
  attachments: AttachmentUseCases;
};

export type DirectoryUseCases = Omit<DirectoryHandlerDeps, 'logger'>;

export function buildTicketService(
  config: TicketConfig,
  options: TicketServiceOptions = {},
): Promise<RunningTicketService> {
  return runService(
    {
      name: 'ticket',
      config,
      prisma: (url) => createPrismaClient(PrismaClient, url),
      streams: ['ticket'],
      compose({ prisma, pool, bus, outbox, logger, shutdown }) {
        const directory = buildDirectoryUseCases(prisma, outbox);
        const blobs = createBlobStore(config);
        shutdown.onShutdown('blob store', async () => {
          if (blobs instanceof S3BlobStore) blobs.close();
        });
        const useCases = buildTicketUseCases(prisma, outbox, directory, blobs);
        return {
          consumers: [
            startIdentityEventsConsumer({ bus, pool, logger }),
            startTimeEventsConsumer({ bus, pool, logger }),
            startSlaEventsConsumer({ bus, pool, logger }),
          ],
          grpc: [
            {
              definition: ticketV1.TicketServiceService,
              implementation: ticketHandlers({ ...useCases, logger }),
            },
            {
              definition: directoryV1.DirectoryServiceService,
              implementation: directoryHandlers({ ...directory, logger }),
            },
            {
              definition: attachmentV1.AttachmentServiceService,
              implementation: attachmentHandlers({ attachments: useCases.attachments, logger }),
            },
            {
              definition: templateV1.TemplateServiceService,
              implementation: templateHandlers({ templates: useCases.templates, logger }),
            },
            {
              definition: ticketSettingsV1.TicketSettingsServiceService,
              implementation: settingsHandlers({ settings: useCases.settings, logger }),
            },
          ],
          expose: { useCases, directory, blobs },
        };
      },
    },
    options,
  );
}

function createBlobStore(config: TicketConfig): BlobStore {
  if (config.BLOB_STORE === 's3') {
    return new S3BlobStore({
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      prefix: config.S3_PREFIX,
    });
  }
  return new LocalBlobStore(config.BLOB_DIR);
}

function buildTicketUseCases(
  prisma: PrismaClient,
  outbox: OutboxNotifier,
  directory: DirectoryUseCases,
  blobs: BlobStore,
): TicketUseCases {
  const tickets = new PrismaTicketRepository(prisma);
  const messages = new PrismaMessageRepository(prisma);
  const directoryReader = new PrismaDirectoryReader(prisma);
  const settings = new PrismaSettingsRepository(prisma);
  const templates = new PrismaTemplateRepository(prisma);
  const sanitizer = new SanitizeHtmlSanitizer();
  const clock = { now: () => new Date() };
  const ids = { newId: () => randomUUID() };
  const uow = new PrismaUnitOfWork(prisma);
  const authorNames = new AuthorNames(new PrismaUserViewRepository(prisma), directoryReader);
  const createTicket = new CreateTicketUseCase({
    uow,
    tickets,
    messages,
    numbers: new PostgresTicketNumbers(prisma),
    sanitizer,
    outbox,
    clock,
    ids,
    settings,
    templates,
    directory: directoryReader,
    resolveContact: directory.resolveContact,
  });
  const changeDeps = { uow, settings, outbox, clock, ids };
  return {
    createTicket,
    getTicket: new GetTicketUseCase(tickets, directoryReader),
    listTickets: new ListTicketsUseCase(tickets, directoryReader),
    updateTicket: new UpdateTicketUseCase({ ...changeDeps, directory: directoryReader }),
    addMessage: new AddMessageUseCase({
      ...changeDeps,
      tickets,
      messages,
      directory: directoryReader,
      sanitizer,
      createTicket,
    }),
    listMessages: new ListMessagesUseCase(tickets, messages, directoryReader, authorNames),
    getMessage: new GetMessageUseCase(messages),
    listHistory: new ListHistoryUseCase(tickets, new PrismaHistoryRepository(prisma)),
    mergeTicket: new MergeTicketUseCase({ ...changeDeps, sanitizer }),
    feedback: new CustomerFeedbackUseCases({ ...changeDeps, tickets, directory: directoryReader }),
    listTodos: new ListTodosUseCase(new PrismaTodoRepository(prisma)),
    findTicketByEmail: new FindTicketByEmailUseCase(tickets),
    authorNames,
    templates: new TicketTemplateUseCases({ templates, settings, sanitizer, clock, ids }),
    settings: new TicketSettingsUseCases({ settings, clock }),
    attachments: new AttachmentUseCases({
      attachments: new PrismaAttachmentRepository(prisma),
      tickets,
      messages,
      directory: directoryReader,
      settings,
      blobs,
      clock,
      ids,
    }),
  };
}

function buildDirectoryUseCases(prisma: PrismaClient, outbox: OutboxNotifier): DirectoryUseCases {
  const reader = new PrismaDirectoryReader(prisma);
  const deps = {
    uow: new PrismaDirectoryUnitOfWork(prisma),
    outbox,
    clock: { now: () => new Date() },
    ids: { newId: () => randomUUID() },
  };
  const hasher = new Argon2PasswordHasher();
  const createContact = new CreateContactUseCase({ ...deps, hasher });
  return {
    createClient: new CreateClientUseCase(deps),
    getClient: new GetClientUseCase(reader),
    listClients: new ListClientsUseCase(reader),
    updateClient: new UpdateClientUseCase(deps),
    createContact,
    getContact: new GetContactUseCase(reader),
    listContacts: new ListContactsUseCase(reader),
    updateContact: new UpdateContactUseCase({ ...deps, hasher }),
    resolveContact: new ResolveContactUseCase(reader, createContact),
    setContactBouncing: new SetContactBouncingUseCase(deps),
    portalSignIn: new PortalSignInUseCases({
      directory: reader,
      hasher,
      tokens: new PrismaPortalTokenStore(prisma),
      clock: deps.clock,
    }),
  };
}
