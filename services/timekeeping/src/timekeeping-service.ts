// Composition of the timekeeping service: config → Prisma → bus + outbox relay + ticket-event consumer →
// use cases → gRPC → health. main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { connectBus, OutboxRelay, type Bus, type RunningConsumer } from '@helpdesk/bus';
import { timekeepingV1 } from '@helpdesk/contracts';
import { createPrismaClient } from '@helpdesk/db';
import { startGrpcServer } from '@helpdesk/grpc';
import {
  createLogger,
  createShutdown,
  grpcServerLimits,
  startHealthServer,
  type Logger,
  type Shutdown,
} from '@helpdesk/platform';
import { CreateEntryUseCase } from './app/create-entry.use-case';
import { DeleteEntryUseCase } from './app/delete-entry.use-case';
import { GetEntryUseCase } from './app/get-entry.use-case';
import { GetRunningTimerUseCase } from './app/get-running-timer.use-case';
import { ListEntriesUseCase } from './app/list-entries.use-case';
import type { Clock, OutboxNotifier } from './app/ports';
import { StartTimerUseCase } from './app/start-timer.use-case';
import { StopTimerUseCase } from './app/stop-timer.use-case';
import { TimeReportUseCase } from './app/time-report.use-case';
import { GetTimeSettingsUseCase, UpdateTimeSettingsUseCase } from './app/time-settings.use-case';
import { UpdateEntryUseCase } from './app/update-entry.use-case';
import type { TimekeepingUseCases } from './app/use-cases';
import type { TimekeepingConfig } from './config';
import { PrismaClient } from './infra/prisma/generated/client';
import { PrismaTicketCatalog } from './infra/ticket-catalog';
import { PrismaTimeReader } from './infra/time.repository';
import { PrismaUnitOfWork } from './infra/unit-of-work';
import { timekeepingHandlers } from './transport/grpc/time.handlers';
import { startTicketEventsConsumer } from './transport/nats/ticket-events.consumer';

export interface TimekeepingServiceOptions {
  logger?: Logger;
  /** Hooks registered before this call run after the service's own (e.g. telemetry flush). */
  shutdown?: Shutdown;
}

export interface RunningTimekeepingService {
  grpcPort: number;
  healthPort: number;
  logger: Logger;
  prisma: PrismaClient;
  bus: Bus;
  relay: OutboxRelay | undefined;
  ticketEvents: RunningConsumer;
  useCases: TimekeepingUseCases;
  /** Stops gRPC, the consumer, the relay, the bus and Prisma, in that order. */
  stop(): Promise<void>;
}

const noNudge: OutboxNotifier = { nudge: () => undefined };
const systemClock: Clock = { now: () => new Date() };

export async function buildTimekeepingService(
  config: TimekeepingConfig,
  options: TimekeepingServiceOptions = {},
): Promise<RunningTimekeepingService> {
  const logger = options.logger ?? createLogger('timekeeping', config.LOG_LEVEL);
  const shutdown = options.shutdown ?? createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const prisma = createPrismaClient(PrismaClient, config.DATABASE_URL);
    shutdown.onShutdown('prisma', () => prisma.$disconnect());

    const bus = await connectBus({
      servers: config.NATS_URL,
      prefix: config.BUS_PREFIX,
      name: 'timekeeping',
      logger,
    });
    shutdown.onShutdown('bus', () => bus.close());
    await bus.ensureStream('time');

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

    const ticketEvents = startTicketEventsConsumer({ bus, databaseUrl: config.DATABASE_URL, logger });
    shutdown.onShutdown('ticket events consumer', () => ticketEvents.stop());

    const useCases = buildUseCases(prisma, relay ?? noNudge, systemClock);

    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      limits: grpcServerLimits(config),
      services: [
        {
          definition: timekeepingV1.TimekeepingServiceService,
          implementation: timekeepingHandlers(useCases, logger),
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
      'timekeeping service started',
    );
    return {
      grpcPort: grpc.port,
      healthPort: health.port,
      logger,
      prisma,
      bus,
      relay,
      ticketEvents,
      useCases,
      stop: () => shutdown.shutdown('stop'),
    };
  } catch (err) {
    // release whatever did start, so a failed start-up leaves no open sockets or pools behind
    await shutdown.shutdown('start-up failed');
    throw err;
  }
}

function buildUseCases(prisma: PrismaClient, outbox: OutboxNotifier, clock: Clock): TimekeepingUseCases {
  const reader = new PrismaTimeReader(prisma);
  const uow = new PrismaUnitOfWork(prisma);
  const tickets = new PrismaTicketCatalog(prisma);
  const ids = { newId: () => randomUUID() };
  return {
    startTimer: new StartTimerUseCase({ uow, tickets, outbox, clock, ids }),
    stopTimer: new StopTimerUseCase({ uow, outbox, clock }),
    getRunningTimer: new GetRunningTimerUseCase(reader, clock),
    createEntry: new CreateEntryUseCase({ uow, tickets, outbox, clock, ids }),
    getEntry: new GetEntryUseCase(reader),
    updateEntry: new UpdateEntryUseCase({ uow, outbox, clock }),
    deleteEntry: new DeleteEntryUseCase({ uow, outbox }),
    listEntries: new ListEntriesUseCase(reader),
    timeReport: new TimeReportUseCase(reader),
    getTimeSettings: new GetTimeSettingsUseCase(reader),
    updateTimeSettings: new UpdateTimeSettingsUseCase({ reader, uow, clock }),
  };
}
