// runService against the real PostgreSQL and NATS, in a database and a BUS_PREFIX of its own: the one start-up
// order, the reverse shutdown order, and what a failed start-up releases.
import { createEnvelope, enqueueEvent, OUTBOX_TABLES_SQL, type RunningConsumer } from '@helpdesk/bus';
import { dropDatabase, ensureDatabase, withDatabase } from '@helpdesk/db';
import { createLogger, createShutdown, type Logger } from '@helpdesk/platform';
import {
  deletePrefixedStreams,
  freePort,
  NATS_URL,
  PG_ADMIN_URL,
  uniquePrefix,
  waitFor,
} from '@helpdesk/testing';
import { connect } from 'nats';
import { Client } from 'pg';
import { runService, type ServiceRuntimeConfig, type ServiceSpec } from '../src';

interface LogLine {
  level: number;
  msg: string;
  hook?: string;
  [key: string]: unknown;
}

function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger('runtime-test', 'debug', {
    write: (s: string) => void lines.push(JSON.parse(s)),
  });
  return { logger, lines };
}

/** Hook names in the order they finished. */
const hooksDone = (lines: LogLine[]) =>
  lines.filter((l) => l.msg === 'shutdown hook done').map((l) => l.hook);
const hooksFailed = (lines: LogLine[]) => lines.filter((l) => l.msg === 'shutdown hook failed');

/** A Prisma stand-in that records what the runtime calls on it. */
function fakePrisma(events: string[]) {
  return {
    $disconnect: async () => void events.push('prisma disconnected'),
    $queryRawUnsafe: async (sql: string) => {
      events.push(`prisma ${sql}`);
      return [];
    },
  };
}

describe('runService', () => {
  const prefix = uniquePrefix('rt');
  const dbUrl = withDatabase(PG_ADMIN_URL, `hd_test_runtime_${prefix}`);

  const config = (overrides: Partial<ServiceRuntimeConfig> = {}): ServiceRuntimeConfig => ({
    LOG_LEVEL: 'debug',
    SHUTDOWN_TIMEOUT_MS: 5_000,
    DATABASE_URL: dbUrl,
    NATS_URL,
    BUS_PREFIX: prefix,
    GRPC_PORT: 0,
    HEALTH_PORT: 0,
    OUTBOX_POLL_INTERVAL_MS: 50,
    GRPC_MAX_CONCURRENT_CALLS: 8,
    GRPC_MAX_QUEUED_CALLS: 8,
    GRPC_MAX_QUEUE_MS: 100,
    ...overrides,
  });

  beforeAll(async () => {
    await ensureDatabase(dbUrl);
    const client = new Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(OUTBOX_TABLES_SQL);
    await client.end();
  });

  afterAll(async () => {
    await deletePrefixedStreams(prefix);
    await dropDatabase(dbUrl);
  });

  it('starts in the one order, serves readiness with the extra checks, and stops in reverse', async () => {
    const { logger, lines } = capturingLogger();
    const shutdown = createShutdown(logger, 5_000);
    // registered before runService, as main.ts registers the telemetry flush: it must run last
    shutdown.onShutdown('telemetry', () => undefined);
    const events: string[] = [];
    let consumerStopped = false;
    const consumer: RunningConsumer = {
      durable: 'runtime-test--probe',
      ready: Promise.resolve(),
      stop: async () => {
        consumerStopped = true;
      },
    };
    let seen: { pool: unknown; relay: unknown } | undefined;
    const spec: ServiceSpec<ServiceRuntimeConfig, ReturnType<typeof fakePrisma>, { answer: number }> = {
      name: 'probe',
      config: config(),
      prisma: () => fakePrisma(events),
      streams: ['probe'],
      compose(ctx) {
        seen = { pool: ctx.pool, relay: ctx.relay };
        ctx.shutdown.onShutdown('service part', () => undefined);
        return {
          grpc: [],
          consumers: [consumer],
          health: { extra: async () => void events.push('extra check') },
          started: { flavour: 'plain' },
          expose: { answer: 42 },
        };
      },
    };

    const running = await runService(spec, { logger, shutdown });
    expect(running.answer).toBe(42);
    expect(running.grpcPort).toBeGreaterThan(0);
    expect(seen?.pool).toBe(running.pool);
    expect(seen?.relay).toBe(running.relay);
    expect(running.relay).toBeDefined();

    const started = lines.filter((l) => l.msg === 'probe service started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      grpcPort: running.grpcPort,
      healthPort: running.healthPort,
      relay: true,
      flavour: 'plain',
    });

    // the owned stream and the DLQ exist
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await nc.jetstreamManager();
      await expect(jsm.streams.info(running.bus.streamName('probe'))).resolves.toBeDefined();
      await expect(jsm.streams.info(running.bus.streamName('dlq'))).resolves.toBeDefined();
    } finally {
      await nc.close();
    }

    const ready = await fetch(`http://127.0.0.1:${running.healthPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { db: 'ok', nats: 'ok', extra: 'ok' } });
    expect(events).toEqual(expect.arrayContaining(['prisma SELECT 1', 'extra check']));

    // the relay publishes from the service's shared pool
    const envelope = createEnvelope({
      type: 'helpdesk.probe.happened',
      tenantId: '5b0c1f9e-8a3d-4c2b-9e7f-1a2b3c4d5e6f',
      data: { n: 1 },
    });
    const client = await running.pool.connect();
    try {
      await enqueueEvent(client, envelope);
    } finally {
      client.release();
    }
    running.relay?.nudge();
    await waitFor('the relay to publish the event', async () => {
      const { rows } = await running.pool.query('SELECT published_at FROM outbox WHERE id = $1', [
        envelope.id,
      ]);
      return rows[0]?.published_at ? true : undefined;
    });

    await running.stop();
    expect(consumerStopped).toBe(true);
    expect(hooksDone(lines)).toEqual([
      'health server',
      'grpc server',
      'consumer runtime-test--probe',
      'service part',
      'outbox relay',
      'bus',
      'pg pool',
      'prisma',
      'telemetry',
    ]);
    // a shared pool is ended once, by the runtime, not again by the relay
    expect(hooksFailed(lines)).toEqual([]);
    expect(events).toContain('prisma disconnected');
    expect(running.pool.ended).toBe(true);
  });

  it('releases Prisma and the pool and rethrows when NATS does not answer', async () => {
    const { logger, lines } = capturingLogger();
    const events: string[] = [];
    const deadPort = await freePort();
    let composed = false;
    const start = runService(
      {
        name: 'probe',
        config: config({ NATS_URL: `nats://127.0.0.1:${deadPort}` }),
        prisma: () => fakePrisma(events),
        streams: ['probe'],
        compose() {
          composed = true;
          return { grpc: [], expose: {} };
        },
      },
      { logger },
    );
    await expect(start).rejects.toThrow();
    expect(composed).toBe(false);
    expect(hooksDone(lines)).toEqual(['pg pool', 'prisma']);
    expect(hooksFailed(lines)).toEqual([]);
    expect(events).toEqual(['prisma disconnected']);
    expect(lines.some((l) => l.msg === 'probe service started')).toBe(false);
  });

  it('releases what started before a failing compose, without a relay when it is switched off', async () => {
    const { logger, lines } = capturingLogger();
    const events: string[] = [];
    let nudged: (() => void) | undefined;
    const start = runService(
      {
        name: 'probe',
        config: config({ OUTBOX_RELAY_ENABLED: false }),
        prisma: () => fakePrisma(events),
        streams: ['probe'],
        compose(ctx) {
          expect(ctx.relay).toBeUndefined();
          nudged = () => ctx.outbox.nudge();
          ctx.shutdown.onShutdown('half-built part', () => undefined);
          throw new Error('use cases could not be built');
        },
      },
      { logger },
    );
    await expect(start).rejects.toThrow('use cases could not be built');
    expect(nudged).toBeDefined();
    expect(() => nudged?.()).not.toThrow();
    expect(lines.some((l) => l.msg.startsWith('outbox relay disabled'))).toBe(true);
    expect(hooksDone(lines)).toEqual(['half-built part', 'bus', 'pg pool', 'prisma']);
    expect(events).toEqual(['prisma disconnected']);
  });

  it('runs a service without Prisma or an outbox on the pool alone', async () => {
    const { logger, lines } = capturingLogger();
    const running = await runService(
      {
        name: 'probe',
        config: config(),
        streams: [],
        outbox: false,
        compose: () => ({ grpc: [], expose: {} }),
      },
      { logger },
    );
    try {
      expect(running.prisma).toBeUndefined();
      expect(running.relay).toBeUndefined();
      const ready = await fetch(`http://127.0.0.1:${running.healthPort}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { db: 'ok', nats: 'ok' } });
      const started = lines.find((l) => l.msg === 'probe service started');
      expect(started).toBeDefined();
      expect(started).not.toHaveProperty('relay');
      expect(lines.some((l) => l.msg.startsWith('outbox relay disabled'))).toBe(false);
    } finally {
      await running.stop();
    }
    expect(hooksDone(lines)).toEqual(['health server', 'grpc server', 'bus', 'pg pool']);
  });
});
