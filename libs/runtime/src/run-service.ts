import { connectBus, observeOutbox, OutboxRelay, type Bus, type RunningConsumer } from '@helpdesk/bus';
import { startGrpcServer, type GrpcServiceRegistration } from '@helpdesk/grpc';
import {
  createLogger,
  createShutdown,
  grpcServerLimits,
  startHealthServer,
  type HealthChecks,
  type Logger,
  type Shutdown,
} from '@helpdesk/platform';
import { metricsHandler } from '@helpdesk/telemetry';
import { Pool } from 'pg';
import { observePool } from './pool-metrics';

/** The fields of a service's (zod-parsed) configuration that the runtime reads. */
export interface ServiceRuntimeConfig {
  LOG_LEVEL: string;
  SHUTDOWN_TIMEOUT_MS: number;
  DATABASE_URL: string;
  NATS_URL: string;
  BUS_PREFIX?: string | undefined;
  GRPC_PORT: number;
  HEALTH_PORT: number;
  /** Off only to leave committed events unpublished on purpose (tests of the outbox); default on. */
  OUTBOX_RELAY_ENABLED?: boolean;
  OUTBOX_POLL_INTERVAL_MS?: number;
  GRPC_MAX_CONCURRENT_CALLS: number;
  GRPC_MAX_QUEUED_CALLS: number;
  GRPC_MAX_QUEUE_MS: number;
}

/** Wakes the outbox relay after a commit that enqueued events. */
export interface OutboxNotifier {
  nudge(): void;
}

/** The part of a generated Prisma client the runtime uses (readiness, shutdown). */
export interface PrismaLike {
  $disconnect(): Promise<void>;
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/** What a service's `compose` gets: everything the runtime started before it. */
export interface ServiceContext<C, P> {
  config: C;
  logger: Logger;
  /** Hooks registered here run after the gRPC and health servers stop and before the relay, bus and databases. */
  shutdown: Pick<Shutdown, 'onShutdown'>;
  prisma: P;
  /** The service's one pg pool: the relay's, the consumers' and the service's own SQL. */
  pool: Pool;
  bus: Bus;
  /** Undefined when the service has no outbox or OUTBOX_RELAY_ENABLED is off. */
  relay: OutboxRelay | undefined;
  /** The relay, or a no-op without one. */
  outbox: OutboxNotifier;
}

/** What a service's `compose` returns. */
export interface Composition<E> {
  grpc: GrpcServiceRegistration[];
  /** Stopped by the runtime; start-up waits until each is attached. */
  consumers?: RunningConsumer[];
  /** Readiness checks beside `db` and `nats`. */
  health?: HealthChecks;
  /** Extra fields of the start-up log line. */
  started?: Record<string, unknown>;
  /** Fields added to the running service (use cases, stores for the integration tests). */
  expose: E;
}

export interface ServiceSpec<C extends ServiceRuntimeConfig, P, E> {
  /** Logger `service`, NATS connection name, log messages. */
  name: string;
  config: C;
  /** The service's generated Prisma client; a service without one leaves it out. */
  prisma?: (databaseUrl: string) => P;
  /** Size of the shared pg pool (default 10). */
  poolMax?: number;
  /** Domains whose streams this service publishes to (ensured at start-up). */
  streams: readonly string[];
  /** Whether the service writes an outbox that a relay publishes (default true). */
  outbox?: boolean;
  compose(ctx: ServiceContext<C, P>): Composition<E> | Promise<Composition<E>>;
}

export interface RuntimeOptions {
  logger?: Logger;
  /** Hooks registered before this call run after the service's own (e.g. the telemetry flush). */
  shutdown?: Shutdown;
}

export type RunningService<P, E> = E & {
  grpcPort: number;
  healthPort: number;
  logger: Logger;
  prisma: P;
  pool: Pool;
  bus: Bus;
  relay: OutboxRelay | undefined;
  /** Stops health, gRPC, the service's own parts, consumers, relay, bus, pool and Prisma, in that order. */
  stop(): Promise<void>;
};

const noNudge: OutboxNotifier = { nudge: () => undefined };

/**
 * Starts a service in the one order every service shares: Prisma → pg pool → bus and its streams → outbox relay →
 * `compose` → gRPC server → consumers attached → health server (with `/metrics` when telemetry runs). Each part
 * registers its shutdown hook as soon as it exists; a failure half-way releases what started and rethrows.
 */
export async function runService<C extends ServiceRuntimeConfig, P = undefined, E = object>(
  spec: ServiceSpec<C, P, E>,
  options: RuntimeOptions = {},
): Promise<RunningService<P, E>> {
  const { name, config } = spec;
  const logger = options.logger ?? createLogger(name, config.LOG_LEVEL);
  const shutdown = options.shutdown ?? createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const prisma = spec.prisma?.(config.DATABASE_URL) as P;
    const prismaLike = prisma as PrismaLike | undefined;
    if (prismaLike) shutdown.onShutdown('prisma', () => prismaLike.$disconnect());

    const poolMax = spec.poolMax ?? 10;
    const pool = new Pool({ connectionString: config.DATABASE_URL, max: poolMax });
    // an idle client's connection error must not crash the process; the next query reconnects
    pool.on('error', (err) => logger.warn({ err }, 'idle database connection failed'));
    // the pool's observers (pool counters, outbox backlog) stop before it ends, so no scrape queries a closed pool
    const observers = [observePool(pool, name, poolMax)];
    shutdown.onShutdown('pg pool', () => {
      for (const stop of observers) stop();
      return pool.end();
    });

    const bus = await connectBus({ servers: config.NATS_URL, prefix: config.BUS_PREFIX, name, logger });
    shutdown.onShutdown('bus', () => bus.close());
    for (const stream of spec.streams) await bus.ensureStream(stream);

    const hasOutbox = spec.outbox ?? true;
    // observed with the relay off too: that backlog is exactly what an operator must see
    if (hasOutbox) observers.push(observeOutbox(pool));
    let relay: OutboxRelay | undefined;
    if (hasOutbox && (config.OUTBOX_RELAY_ENABLED ?? true)) {
      const started = new OutboxRelay({ pool, bus, logger, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS });
      shutdown.onShutdown('outbox relay', () => started.stop());
      started.start();
      relay = started;
    } else if (hasOutbox) {
      logger.warn('outbox relay disabled: committed events stay unpublished until a relay runs');
    }

    const composition = await spec.compose({
      config,
      logger,
      shutdown,
      prisma,
      pool,
      bus,
      relay,
      outbox: relay ?? noNudge,
    });
    const consumers = composition.consumers ?? [];
    for (const consumer of consumers)
      shutdown.onShutdown(`consumer ${consumer.durable}`, () => consumer.stop());

    const grpc = await startGrpcServer({
      port: config.GRPC_PORT,
      limits: grpcServerLimits(config),
      services: composition.grpc,
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    });
    shutdown.onShutdown('grpc server', () => grpc.shutdown());
    await Promise.all(consumers.map((c) => c.ready));

    const health = await startHealthServer({
      port: config.HEALTH_PORT,
      logger,
      metrics: metricsHandler(),
      checks: {
        db: async () => {
          await (prismaLike ? prismaLike.$queryRawUnsafe('SELECT 1') : pool.query('SELECT 1'));
        },
        nats: () => bus.ping(),
        ...composition.health,
      },
    });
    shutdown.onShutdown('health server', () => health.close());

    logger.info(
      {
        grpcPort: grpc.port,
        healthPort: health.port,
        ...(hasOutbox ? { relay: Boolean(relay) } : {}),
        ...composition.started,
      },
      `${name} service started`,
    );
    return {
      ...composition.expose,
      grpcPort: grpc.port,
      healthPort: health.port,
      logger,
      prisma,
      pool,
      bus,
      relay,
      stop: () => shutdown.shutdown('stop'),
    };
  } catch (err) {
    // release whatever did start, so a failed start-up leaves no open sockets or pools behind
    await shutdown.shutdown('start-up failed');
    throw err;
  }
}
