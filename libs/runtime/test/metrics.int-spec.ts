// The platform metrics a service gets from the runtime and libs/bus, scraped from its health port: outbox backlog
// and age, pool connections, and per durable its processing time, redeliveries, dead letters, lag and DLQ size.
import {
  createEnvelope,
  enqueueEvent,
  OUTBOX_TABLES_SQL,
  startConsumer,
  type EventEnvelope,
} from '@helpdesk/bus';
import { dropDatabase, ensureDatabase, withDatabase } from '@helpdesk/db';
import { createLogger } from '@helpdesk/platform';
import { startTelemetry, type Telemetry } from '@helpdesk/telemetry';
import {
  deletePrefixedStreams,
  NATS_URL,
  PG_ADMIN_URL,
  promSample,
  scrapeMetrics,
  uniquePrefix,
  waitFor,
} from '@helpdesk/testing';
import { Client } from 'pg';
import { runService, type RunningService, type ServiceRuntimeConfig } from '../src';

const TENANT = '5b0c1f9e-8a3d-4c2b-9e7f-1a2b3c4d5e6f';
const logger = createLogger('metrics-test', 'silent');

describe('platform metrics on /metrics', () => {
  const prefix = uniquePrefix('rtm');
  const dbUrl = withDatabase(PG_ADMIN_URL, `hd_test_runtime_${prefix}`);
  let telemetry: Telemetry;
  let running: RunningService<undefined, object>;
  let gate: Promise<void> = Promise.resolve();
  let openGate: () => void = () => undefined;

  const config: ServiceRuntimeConfig = {
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: 5_000,
    DATABASE_URL: dbUrl,
    NATS_URL,
    BUS_PREFIX: prefix,
    GRPC_PORT: 0,
    HEALTH_PORT: 0,
    // rows stay unpublished: the backlog is what this test reads
    OUTBOX_RELAY_ENABLED: false,
    GRPC_MAX_CONCURRENT_CALLS: 8,
    GRPC_MAX_QUEUED_CALLS: 8,
    GRPC_MAX_QUEUE_MS: 100,
  };

  const scrape = () => scrapeMetrics(running.healthPort);
  const event = (kind: string): EventEnvelope =>
    createEnvelope({ type: 'helpdesk.probe.happened', tenantId: TENANT, data: { kind } });
  const publish = (envelope: EventEnvelope) =>
    running.bus.js.publish(running.bus.subject(envelope.type), JSON.stringify(envelope), {
      msgID: envelope.id,
    });

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: 'metrics-probe' });
    await ensureDatabase(dbUrl);
    const client = new Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(OUTBOX_TABLES_SQL);
    await client.end();
    running = await runService(
      {
        name: 'metrics-probe',
        config,
        streams: ['probe'],
        compose: ({ bus, pool }) => ({
          grpc: [],
          consumers: [
            startConsumer({
              bus,
              pool,
              logger,
              domain: 'probe',
              consumer: 'metrics-probe',
              purpose: 'watch',
              subjects: ['helpdesk.probe.>'],
              maxDeliver: 2,
              backoffMs: 50,
              handler: async (envelope) => {
                const { kind } = envelope.data as { kind: string };
                if (kind === 'poison') throw new Error('cannot handle this one');
                if (kind === 'slow') await gate;
              },
            }),
          ],
          expose: {},
        }),
      },
      { logger },
    );
  });

  afterAll(async () => {
    openGate();
    await running?.stop();
    await telemetry?.shutdown();
    await deletePrefixedStreams(prefix);
    await dropDatabase(dbUrl);
  });

  it('reports the outbox backlog and the age of its oldest row', async () => {
    const service = { service_name: 'metrics-probe' };
    const before = await scrape();
    expect(promSample(before, 'helpdesk_outbox_backlog', service)).toBe(0);
    expect(promSample(before, 'helpdesk_outbox_oldest_age', service)).toBe(0);

    const client = await running.pool.connect();
    try {
      for (const kind of ['a', 'b', 'c']) await enqueueEvent(client, event(kind));
    } finally {
      client.release();
    }
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await scrape();
    expect(promSample(after, 'helpdesk_outbox_backlog', service)).toBe(3);
    expect(promSample(after, 'helpdesk_outbox_oldest_age', service)).toBeGreaterThanOrEqual(1);
  });

  it('reports the service pool: its size and connections by state', async () => {
    const text = await scrape();
    const pool = { db_client_connection_pool_name: 'metrics-probe' };
    expect(promSample(text, 'db_client_connection_max', pool)).toBe(10);
    const idle = promSample(text, 'db_client_connection_count', {
      ...pool,
      db_client_connection_state: 'idle',
    });
    const used = promSample(text, 'db_client_connection_count', {
      ...pool,
      db_client_connection_state: 'used',
    });
    expect(idle).toBeGreaterThanOrEqual(1);
    expect(used).toBeGreaterThanOrEqual(0);
    expect(promSample(text, 'db_client_connection_pending_requests', pool)).toBe(0);
  });

  it('counts processed events, redeliveries and dead letters per durable, and the DLQ size', async () => {
    const durable = { messaging_consumer_group_name: 'metrics-probe--watch' };
    await publish(event('fine'));
    await publish(event('poison'));
    const text = await waitFor('the poison event in the DLQ', async () => {
      const t = await scrape();
      return promSample(t, 'helpdesk_dlq_messages', { helpdesk_consumer: 'metrics-probe' }) === 1
        ? t
        : undefined;
    });
    expect(promSample(text, 'helpdesk_consumer_dead_letters_total', durable)).toBe(1);
    // the poison event's second delivery
    expect(promSample(text, 'helpdesk_consumer_redeliveries_total', durable)).toBe(1);
    expect(
      promSample(text, 'messaging_process_duration_count', { ...durable, error_type: 'handler_failed' }),
    ).toBe(2);
    const lines = text.split('\n').filter((l) => l.startsWith('messaging_process_duration_count{'));
    const ok = lines.find((l) => l.includes('metrics-probe--watch') && !l.includes('error_type'));
    expect(ok?.endsWith(' 1')).toBe(true);
  });

  it('reports consumer lag and unacknowledged events from JetStream', async () => {
    const durable = { messaging_consumer_group_name: 'metrics-probe--watch' };
    gate = new Promise<void>((resolve) => (openGate = resolve));
    // the first blocks the durable; at most one pull batch (32) is delivered, the rest waits in the stream
    for (let i = 0; i < 40; i++) await publish(event('slow'));
    const blocked = await waitFor('the lag to show', async () => {
      const t = await scrape();
      return (promSample(t, 'helpdesk_consumer_lag', durable) ?? 0) > 0 ? t : undefined;
    });
    expect(promSample(blocked, 'helpdesk_consumer_ack_pending', durable)).toBeGreaterThanOrEqual(1);
    openGate();
    await waitFor('the lag to drain', async () => {
      const t = await scrape();
      return promSample(t, 'helpdesk_consumer_lag', durable) === 0 &&
        promSample(t, 'helpdesk_consumer_ack_pending', durable) === 0
        ? true
        : undefined;
    });
  });
});
