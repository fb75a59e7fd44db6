// Composition of the SLA service: config → Prisma and pg → bus + outbox relay → use cases → consumers, timers,
// gRPC → health. main.ts runs it as a process; integration tests run it in-process on port 0.
import { randomUUID } from 'node:crypto';
import { connectBus, OutboxRelay, type Bus, type RunningConsumer } from '@helpdesk/bus';
import { slaV1 } from '@helpdesk/contracts';
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
import { Pool } from 'pg';
import { ComputeDueUseCase } from './app/compute-due.use-case';
import { CreateCalendarUseCase } from './app/create-calendar.use-case';
import { CreatePolicyUseCase } from './app/create-policy.use-case';
import { FireDueTimersUseCase } from './app/fire-due-timers.use-case';
import { GetCalendarUseCase } from './app/get-calendar.use-case';
import { GetPolicyUseCase } from './app/get-policy.use-case';
import { ListCalendarsUseCase } from './app/list-calendars.use-case';
import { ListPoliciesUseCase } from './app/list-policies.use-case';
import type { TimeSource } from './app/ports';
import { SeedTenantDefaultsUseCase } from './app/seed-tenant-defaults.use-case';
import { GetTicketSlaUseCase, ResetTicketSlaUseCase } from './app/ticket-sla.use-cases';
import { TrackTicketsUseCase } from './app/track-tickets.use-case';
import { UpdateCalendarUseCase } from './app/update-calendar.use-case';
import { UpdatePolicyUseCase } from './app/update-policy.use-case';
import type { SlaConfig } from './config';
import { PrismaCalendarRepository } from './infra/calendar.repository';
import { PgClockUnitOfWork } from './infra/clock-store';
import { DueTimer } from './infra/due-timer';
import { PgListener } from './infra/pg-listener';
import {
  CacheInvalidatingCalendarRepository,
  CachedPolicyRepository,
  PolicyCache,
} from './infra/policy-cache';
import { PrismaPolicyRepository } from './infra/policy.repository';
import { PrismaClient } from './infra/prisma/generated/client';
import { slaHandlers, type SlaUseCases } from './transport/grpc/sla.handlers';
import { startTenantEventsConsumer } from './transport/nats/tenant-events.consumer';
import { startTicketEventsConsumer } from './transport/nats/ticket-events.consumer';

export interface SlaServiceOptions {
  logger?: Logger;
  /** Hooks registered before this call run after the service's own (e.g. telemetry flush). */
  shutdown?: Shutdown;
}

export interface RunningSlaService {
  grpcPort: number;
  healthPort: number;
  logger: Logger;
  prisma: PrismaClient;
  pool: Pool;
  bus: Bus;
  relay: OutboxRelay;
  useCases: SlaUseCases;
  consumers: RunningConsumer[];
  /** Stops gRPC, the timers, the consumers, the relay, the bus and the databases, in that order. */
  stop(): Promise<void>;
}

const systemClock: TimeSource = { now: () => new Date() };

export async function buildSlaService(
  config: SlaConfig,
  options: SlaServiceOptions = {},
): Promise<RunningSlaService> {
  const logger = options.logger ?? createLogger('sla', config.LOG_LEVEL);
  const shutdown = options.shutdown ?? createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const prisma = createPrismaClient(PrismaClient, config.DATABASE_URL);
    shutdown.onShutdown('prisma', () => prisma.$disconnect());
    const pool = new Pool({ connectionString: config.DATABASE_URL, max: config.SLA_DB_POOL_SIZE });
    pool.on('error', (err) => logger.warn({ err }, 'sla pool idle connection failed'));
    shutdown.onShutdown('pg pool', () => pool.end());

    const bus = await connectBus({
      servers: config.NATS_URL,
      prefix: config.BUS_PREFIX,
      name: 'sla',
      logger,
    });
    shutdown.onShutdown('bus', () => bus.close());
    await bus.ensureStream('sla');

    const relay = new OutboxRelay({
      databaseUrl: config.DATABASE_URL,
      bus,
      logger,
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
    shutdown.onShutdown('outbox relay', () => relay.stop());
    relay.start();

    // notifications between replicas: due instants for the timers, policy changes for the policy cache
    const listener = new PgListener(config.DATABASE_URL, logger);
    const cache = new PolicyCache(listener);
    const ids = { newId: () => randomUUID() };
    const calendars = new CacheInvalidatingCalendarRepository(new PrismaCalendarRepository(prisma), cache);
    const policies = new CachedPolicyRepository(new PrismaPolicyRepository(prisma), cache);
    const uow = new PgClockUnitOfWork(pool, config.SLA_TIMER_RESYNC_MS);
    const tracker = new TrackTicketsUseCase({ policies, clock: systemClock });
    const getCalendar = new GetCalendarUseCase(calendars);
    const useCases: SlaUseCases = {
      createCalendar: new CreateCalendarUseCase({ calendars, clock: systemClock, ids }),
      getCalendar,
      listCalendars: new ListCalendarsUseCase(calendars),
      updateCalendar: new UpdateCalendarUseCase({ calendars, clock: systemClock }),
      computeDue: new ComputeDueUseCase(getCalendar),
      createPolicy: new CreatePolicyUseCase({ policies, calendars, clock: systemClock, ids }),
      getPolicy: new GetPolicyUseCase(policies),
      listPolicies: new ListPoliciesUseCase(policies),
      updatePolicy: new UpdatePolicyUseCase({ policies, calendars, clock: systemClock }),
      getTicketSla: new GetTicketSlaUseCase(uow),
      resetTicketSla: new ResetTicketSlaUseCase({
        uow,
        policies,
        tracker,
        outbox: relay,
        clock: systemClock,
      }),
    };

    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      limits: grpcServerLimits(config),
      services: [
        { definition: slaV1.SlaServiceService, implementation: slaHandlers({ ...useCases, logger }) },
      ],
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
    shutdown.onShutdown('grpc server', () => grpc.shutdown());

    const consumers = [
      startTenantEventsConsumer({
        bus,
        databaseUrl: config.DATABASE_URL,
        seed: new SeedTenantDefaultsUseCase({ defaults: policies, clock: systemClock, ids }),
        clocks: uow,
        tracker,
        logger,
      }),
      startTicketEventsConsumer({ bus, databaseUrl: config.DATABASE_URL, clocks: uow, tracker, logger }),
    ];
    for (const consumer of consumers)
      shutdown.onShutdown(`consumer ${consumer.durable}`, () => consumer.stop());

    const fire = new FireDueTimersUseCase({ uow, outbox: relay, clock: systemClock });
    const timer = new DueTimer({
      listener,
      fire: (limit) => fire.execute(limit),
      nextDue: () => uow.nextDue(),
      batchSize: config.SLA_TIMER_BATCH,
      resyncMs: config.SLA_TIMER_RESYNC_MS,
      logger,
    });
    shutdown.onShutdown('pg listener', () => listener.stop());
    await listener.start();
    shutdown.onShutdown('sla timers', () => timer.stop());
    await timer.start();
    await Promise.all(consumers.map((c) => c.ready));

    const health = await startHealthServer({
      port: config.HEALTH_PORT,
      logger,
      checks: {
        db: async () => {
          await pool.query('SELECT 1');
        },
        nats: () => bus.ping(),
      },
    });
    shutdown.onShutdown('health server', () => health.close());

    logger.info({ grpcPort: grpc.port, healthPort: health.port }, 'sla service started');
    return {
      grpcPort: grpc.port,
      healthPort: health.port,
      logger,
      prisma,
      pool,
      bus,
      relay,
      useCases,
      consumers,
      stop: () => shutdown.shutdown('stop'),
    };
  } catch (err) {
    // release whatever did start, so a failed start-up leaves no open sockets or pools behind
    await shutdown.shutdown('start-up failed');
    throw err;
  }
}
