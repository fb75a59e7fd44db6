import { trace } from '@opentelemetry/api';
import type { Msg } from 'nats';
import { connectBus, createEnvelope, enqueueEvent, OutboxRelay, type Bus, type EventEnvelope } from '../src';
import {
  NATS_URL,
  createPrivateNats,
  createTestDatabase,
  deletePrefixedStreams,
  readStream,
  testLogger,
  uniqueSuffix,
  waitFor,
  withClient,
  type TestDatabase,
} from './support/harness';
import { installTestTracing, parseTraceparent, type TestTracing } from './support/tracing';

const tenantId = '5b0c1f9e-8a3d-4c2b-9e7f-1a2b3c4d5e6f';

interface OutboxState {
  id: string;
  published: boolean;
  attempts: number;
  last_error: string | null;
}

async function outboxState(db: TestDatabase): Promise<OutboxState[]> {
  return withClient(db.url, async (c) => {
    const { rows } = await c.query<OutboxState>(
      'SELECT id, published_at IS NOT NULL AS published, attempts, last_error FROM outbox ORDER BY seq',
    );
    return rows;
  });
}

/** Enqueues `count` events in one committed transaction, each under its own span. */
async function enqueueCommitted(db: TestDatabase, type: string, count: number): Promise<EventEnvelope[]> {
  const tracer = trace.getTracer('test');
  return withClient(db.url, async (c) => {
    await c.query('BEGIN');
    const envelopes: EventEnvelope[] = [];
    for (let i = 0; i < count; i++) {
      const envelope = await tracer.startActiveSpan('change', async (span) => {
        const e = createEnvelope({ type, tenantId, data: { n: i } });
        await enqueueEvent(c, e);
        span.end();
        return e;
      });
      envelopes.push(envelope);
    }
    await c.query('COMMIT');
    return envelopes;
  });
}

describe('OutboxRelay', () => {
  const prefix = `bus${uniqueSuffix()}`;
  let db: TestDatabase;
  let bus: Bus;
  let tracing: TestTracing;

  beforeAll(async () => {
    tracing = installTestTracing();
    db = await createTestDatabase();
    bus = await connectBus({ servers: NATS_URL, prefix, name: 'bus-relay-test', logger: testLogger });
  });

  afterAll(async () => {
    await deletePrefixedStreams(prefix);
    await bus.close();
    await db.drop();
    await tracing.shutdown();
  });

  beforeEach(() => withClient(db.url, (c) => c.query('TRUNCATE outbox')));

  it('publishes every committed row exactly once with Nats-Msg-Id = id, two relays at a time', async () => {
    // a plain subscription sees every publish, also those JetStream would drop as duplicates
    const wire: Msg[] = [];
    const sub = bus.nc.subscribe(`${prefix}.helpdesk.ticket.>`, { callback: (_err, msg) => wire.push(msg) });
    await bus.nc.flush();

    const envelopes = await enqueueCommitted(db, 'helpdesk.ticket.created', 40);
    // a rolled-back change leaves no event behind
    await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      await enqueueEvent(
        c,
        createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: { rolledBack: true } }),
      );
      await c.query('ROLLBACK');
    });

    // no ensureStream here: the relay declares the stream of each domain it publishes to
    const relays = [1, 2].map(
      () =>
        new OutboxRelay({ databaseUrl: db.url, bus, logger: testLogger, pollIntervalMs: 20, batchSize: 3 }),
    );
    relays.forEach((r) => r.start());
    await waitFor('all rows published', async () => (await outboxState(db)).every((r) => r.published));
    await Promise.all(relays.map((r) => r.stop()));
    await bus.nc.flush();
    sub.unsubscribe();

    const ids = envelopes.map((e) => e.id);
    const wireIds = wire.map((m) => m.headers?.get('Nats-Msg-Id'));
    expect(wireIds).toHaveLength(ids.length);
    expect(new Set(wireIds)).toEqual(new Set(ids));

    const stored = await readStream(bus.jsm, bus.streamName('ticket'));
    expect(stored).toHaveLength(ids.length);
    for (const msg of stored) {
      const body = msg.json<EventEnvelope>();
      expect(msg.header.get('Nats-Msg-Id')).toBe(body.id);
      expect(msg.subject).toBe(`${prefix}.helpdesk.ticket.created`);
      expect(body).toEqual(envelopes.find((e) => e.id === body.id));
    }
    expect((await outboxState(db)).every((r) => r.attempts === 0)).toBe(true);

    // trace: stored traceparent → publish span (PRODUCER) → traceparent header names the publish span
    const first = stored[0]!;
    const body = first.json<EventEnvelope>();
    const publishSpan = tracing.exporter
      .getFinishedSpans()
      .find((s) => s.name === `publish ${first.subject}` && s.attributes['messaging.message.id'] === body.id);
    expect(publishSpan).toBeDefined();
    expect(publishSpan!.kind).toBe(3); // SpanKind.PRODUCER
    expect(publishSpan!.parentSpanContext?.spanId).toBe(parseTraceparent(body.traceparent!).spanId);
    expect(publishSpan!.spanContext().traceId).toBe(parseTraceparent(body.traceparent!).traceId);
    expect(parseTraceparent(first.header.get('traceparent')).spanId).toBe(publishSpan!.spanContext().spanId);
  });

  it('wakes on nudge() long before the poll interval', async () => {
    const relay = new OutboxRelay({ databaseUrl: db.url, bus, logger: testLogger, pollIntervalMs: 60_000 });
    relay.start();
    try {
      // let the first (empty) batch pass so the loop sits in its 60 s sleep
      await new Promise((r) => setTimeout(r, 300));
      await enqueueCommitted(db, 'helpdesk.ticket.updated', 2);
      const started = Date.now();
      relay.nudge();
      await waitFor(
        'nudged rows published',
        async () => (await outboxState(db)).every((r) => r.published),
        5_000,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await relay.stop();
    }
  });

  it('records a failed publish, keeps the row and publishes it once the stream is back', async () => {
    const relay = new OutboxRelay({ databaseUrl: db.url, bus, logger: testLogger, pollIntervalMs: 20 });
    relay.start();
    try {
      await enqueueCommitted(db, 'helpdesk.sla.warning', 1);
      await waitFor('first row published', async () => (await outboxState(db)).every((r) => r.published));
      // the relay believes the stream exists; it is gone, so the next publish has no responder
      await bus.jsm.streams.delete(bus.streamName('sla'));
      const [lost] = await enqueueCommitted(db, 'helpdesk.sla.breached', 1);
      relay.nudge();
      const row = await waitFor('row published after the stream came back', async () =>
        (await outboxState(db)).find((r) => r.id === lost!.id && r.published),
      );
      expect(row.attempts).toBeGreaterThanOrEqual(1);
      expect(row.last_error).toBeTruthy();
      const stored = await readStream(bus.jsm, bus.streamName('sla'));
      expect(stored.map((m) => m.header.get('Nats-Msg-Id'))).toEqual([lost!.id]);
    } finally {
      await relay.stop();
    }
  });

  it('leaves rows unpublished while NATS is down and publishes each once when it returns', async () => {
    const server = await createPrivateNats();
    const privateBus = await connectBus({
      servers: server.url,
      prefix,
      name: 'bus-relay-outage',
      logger: testLogger,
    });
    const relay = new OutboxRelay({
      databaseUrl: db.url,
      bus: privateBus,
      logger: testLogger,
      pollIntervalMs: 50,
    });
    try {
      relay.start();
      const [warmUp] = await enqueueCommitted(db, 'helpdesk.ticket.created', 1);
      await waitFor('warm-up row published', async () => (await outboxState(db)).every((r) => r.published));

      await server.stop();
      const during = await enqueueCommitted(db, 'helpdesk.ticket.created', 5);
      relay.nudge();
      const failed = await waitFor('a failed attempt recorded', async () => {
        const rows = await outboxState(db);
        return rows.some((r) => r.attempts > 0) && rows;
      });
      const duringIds = new Set(during.map((e) => e.id));
      const pending = failed.filter((r) => duringIds.has(r.id));
      expect(pending.every((r) => !r.published)).toBe(true);
      // order is kept: only the oldest pending row was tried
      expect(pending[0]!.attempts).toBeGreaterThan(0);
      expect(pending[0]!.last_error).toBeTruthy();
      expect(pending.slice(1).every((r) => r.attempts === 0)).toBe(true);

      await server.start();
      await waitFor(
        'rows published after recovery',
        async () => (await outboxState(db)).every((r) => r.published),
        30_000,
      );
      const stored = await readStream(privateBus.jsm, privateBus.streamName('ticket'));
      expect(stored.map((m) => m.header.get('Nats-Msg-Id'))).toEqual([
        warmUp!.id,
        ...during.map((e) => e.id),
      ]);
    } finally {
      await relay.stop();
      await privateBus.close();
      await server.dispose();
    }
  });
});
