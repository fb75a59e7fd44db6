// Composition of the ticket service: config → Prisma → bus + outbox relay → use cases → gRPC → health.
// main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { connectBus, OutboxRelay, type Bus } from '@helpdesk/bus';
import { directoryV1, ticketV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { startGrpcServer } from '@helpdesk/grpc';
import {
  createLogger,
  createShutdown,
  startHealthServer,
  type Logger,
  type Shutdown,
} from '@helpdesk/platform';
import { CreateClientUseCase } from './app/create-client.use-case';
import { CreateContactUseCase } from './app/create-contact.use-case';
import { CreateTicketUseCase } from './app/create-ticket.use-case';
import { GetClientUseCase } from './app/get-client.use-case';
import { GetContactUseCase } from './app/get-contact.use-case';
import { GetTicketUseCase } from './app/get-ticket.use-case';
import { ListClientsUseCase } from './app/list-clients.use-case';
import { ListContactsUseCase } from './app/list-contacts.use-case';
import { ListTicketsUseCase } from './app/list-tickets.use-case';
import type { OutboxNotifier } from './app/ports';
import { ResolveContactUseCase } from './app/resolve-contact.use-case';
import { UpdateClientUseCase } from './app/update-client.use-case';
import { UpdateContactUseCase } from './app/update-contact.use-case';
import type { TicketConfig } from './config';
import { Argon2PasswordHasher } from '@helpdesk/security';
import { PrismaDirectoryReader } from './infra/directory.repository';
import { PrismaDirectoryUnitOfWork } from './infra/directory-unit-of-work';
import { SanitizeHtmlSanitizer } from './infra/html-sanitizer';
import { PrismaClient } from './infra/prisma/generated/client';
import { PostgresTicketNumbers } from './infra/ticket-number';
import { PrismaTicketRepository } from './infra/ticket.repository';
import { PrismaUnitOfWork } from './infra/unit-of-work';
import { directoryHandlers } from './transport/grpc/directory.handlers';
import { ticketHandlers } from './transport/grpc/ticket.handlers';

export interface TicketServiceOptions {
  logger?: Logger;
  /** Hooks registered before this call run after the service's own (e.g. telemetry flush). */
  shutdown?: Shutdown;
}

export interface RunningTicketService {
  grpcPort: number;
  healthPort: number;
  logger: Logger;
  prisma: PrismaClient;
  bus: Bus;
  relay: OutboxRelay | undefined;
  useCases: {
    createTicket: CreateTicketUseCase;
    getTicket: GetTicketUseCase;
    listTickets: ListTicketsUseCase;
  };
  directory: DirectoryUseCases;
  /** Stops gRPC, the relay, the bus and Prisma, in that order. */
  stop(): Promise<void>;
}

export interface DirectoryUseCases {
  createClient: CreateClientUseCase;
  getClient: GetClientUseCase;
  listClients: ListClientsUseCase;
  updateClient: UpdateClientUseCase;
  createContact: CreateContactUseCase;
  getContact: GetContactUseCase;
  listContacts: ListContactsUseCase;
  updateContact: UpdateContactUseCase;
  /** Find-or-create a contact by e-mail, joining the client of its domain (ticket requesters, e-mail intake). */
  resolveContact: ResolveContactUseCase;
}

const noNudge: OutboxNotifier = { nudge: () => undefined };

export async function buildTicketService(
  config: TicketConfig,
  options: TicketServiceOptions = {},
): Promise<RunningTicketService> {
  const logger = options.logger ?? createLogger('ticket', config.LOG_LEVEL);
  const shutdown = options.shutdown ?? createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const prisma = createPrismaClient(PrismaClient, config.DATABASE_URL);
    shutdown.onShutdown('prisma', () => prisma.$disconnect());

    const bus = await connectBus({
      servers: config.NATS_URL,
      prefix: config.BUS_PREFIX,
      name: 'ticket',
      logger,
    });
    shutdown.onShutdown('bus', () => bus.close());
    await bus.ensureStream('ticket');

    let relay: OutboxRelay | undefined;
    if (config.OUTBOX_RELAY_ENABLED) {
      relay = new OutboxRelay({
        databaseUrl: config.DATABASE_URL,
        bus,
        logger,
        pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      });
      shutdown.onShutdown('outbox relay', () => relay?.stop());
      relay.start();
    } else {
      logger.warn('outbox relay disabled: committed events stay unpublished until a relay runs');
    }

    const tickets = new PrismaTicketRepository(prisma);
    const useCases = {
      createTicket: new CreateTicketUseCase({
        uow: new PrismaUnitOfWork(prisma),
        numbers: new PostgresTicketNumbers(prisma),
        sanitizer: new SanitizeHtmlSanitizer(),
        outbox: relay ?? noNudge,
        clock: { now: () => new Date() },
        ids: { newId: () => randomUUID() },
      }),
      getTicket: new GetTicketUseCase(tickets),
      listTickets: new ListTicketsUseCase(tickets),
    };
    const directory = buildDirectoryUseCases(prisma, relay ?? noNudge);

    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      services: [
        {
          definition: ticketV1.TicketServiceService,
          implementation: ticketHandlers({ ...useCases, logger }),
        },
        {
          definition: directoryV1.DirectoryServiceService,
          implementation: directoryHandlers({ ...directory, logger }),
        },
      ],
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
    shutdown.onShutdown('grpc server', () => grpc.shutdown());

    const health = await startHealthServer({
      port: config.HEALTH_PORT,
      logger,
      checks: {
        db: async () => {
          await prisma.$queryRaw`SELECT 1`;
        },
        nats: () => bus.ping(),
      },
    });
    shutdown.onShutdown('health server', () => health.close());

    logger.info(
      { grpcPort: grpc.port, healthPort: health.port, relay: Boolean(relay) },
      'ticket service started',
    );
    return {
      grpcPort: grpc.port,
      healthPort: health.port,
      logger,
      prisma,
      bus,
      relay,
      useCases,
      directory,
      stop: () => shutdown.shutdown('stop'),
    };
  } catch (err) {
    // release whatever did start, so a failed start-up leaves no open sockets or pools behind
    await shutdown.shutdown('start-up failed');
    throw err;
  }
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
  };
}
