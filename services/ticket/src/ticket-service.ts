// Composition of the ticket service: config → Prisma → bus + outbox relay → use cases → gRPC → health.
// main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { connectBus, OutboxRelay, type Bus } from '@helpdesk/bus';
import { ticketV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { startGrpcServer } from '@helpdesk/grpc';
import {
  createLogger,
  createShutdown,
  startHealthServer,
  type Logger,
  type Shutdown,
} from '@helpdesk/platform';
import { CreateTicketUseCase } from './app/create-ticket.use-case';
import { GetTicketUseCase } from './app/get-ticket.use-case';
import { ListTicketsUseCase } from './app/list-tickets.use-case';
import type { OutboxNotifier } from './app/ports';
import type { TicketConfig } from './config';
import { SanitizeHtmlSanitizer } from './infra/html-sanitizer';
import { PrismaClient } from './infra/prisma/generated/client';
import { PostgresTicketNumbers } from './infra/ticket-number';
import { PrismaTicketRepository } from './infra/ticket.repository';
import { PrismaUnitOfWork } from './infra/unit-of-work';
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
  /** Stops gRPC, the relay, the bus and Prisma, in that order. */
  stop(): Promise<void>;
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

    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      services: [
        {
          definition: ticketV1.TicketServiceService,
          implementation: ticketHandlers({ ...useCases, logger }),
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
      stop: () => shutdown.shutdown('stop'),
    };
  } catch (err) {
    // release whatever did start, so a failed start-up leaves no open sockets or pools behind
    await shutdown.shutdown('start-up failed');
    throw err;
  }
}
