import { trace } from '@opentelemetry/api';
import {
  connectBus,
  createEnvelope,
  enqueueEvent,
  OutboxRelay,
  replayOutbox,
  startConsumer,
  type Bus,
  type EventEnvelope,
  type RunningConsumer,
} from '../src';
import {
  NATS_URL,
  createTestDatabase,
  delay,
  deletePrefixedStreams,
  readStream,
  testLogger,
  uniqueSuffix,
  waitFor,
  withClient,
  type TestDatabase,
} from './support/harness';
import { installTestTracing, parseTraceparent, type TestTracing } from './support/tracing';

const tenantId = '7c3e2a1b-4d5f-4e6a-8b9c-0d1e2f3a4b5c';

const LEDGER_SQL = `
CREATE TABLE ledger (
  id BIGSERIAL PRIMARY KEY,
  event_id UUID NOT NULL,
  tenant_id UUID NOT NULL,
  amount INTEGER NOT NULL
);`;

describe('startConsumer', () => {
  const prefix = `bus${uniqueSuffix()}`;
  let db: TestDatabase;
  let bus: Bus;
  let tracing: TestTracing;
  const running: RunningConsumer[] = [];

  beforeAll(async () => {
    tracing = installTestTracing();
    db = await createTestDatabase(LEDGER_SQL);
    bus = await connectBus({ servers: NATS_URL, prefix, name: 'bus-consumer-test', logger: testLogger });
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await deletePrefixedStreams(prefix);
    await bus.close();
    await db.drop();
    await tracing.shutdown();
  });

  const query = <T extends object>(sql: string, values: unknown[] = []): Promise<T[]> =>
    withClient(db.url, async (c) => (await c.query<T & Record<string, unknown>>(sql, values)).rows);

  async function ledgerRows(): Promise<Array<{ event_id: string; amount: number }>> {
    return query('SELECT event_id, amount FROM ledger ORDER BY id');
  }

  /** Settled = everything in the stream delivered and acknowledged (or terminated). */
  async function settled(stream: string, durable: string): Promise<boolean> {
    const [s, c] = await Promise.all([bus.jsm.streams.info(stream), bus.jsm.consumers.info(stream, durable)]);
    return c.num_pending === 0 && c.num_ack_pending === 0 && c.delivered.stream_seq === s.state.last_seq;
  }

  async function publishRaw(subject: string, body: string | Uint8Array, msgID: string): Promise<void> {
    await bus.js.publish(subject, typeof body === 'string' ? Buffer.from(body) : body, { msgID });
  }

  async function dlqMessages(durable: string) {
    const all = await readStream(bus.jsm, bus.streamName('dlq'));
    return all.filter((m) => m.header.get('Helpdesk-Consumer') === durable);
  }

  it('applies each event once, skips redelivered ids and re-attaches after the stream is lost and replayed', async () => {
    const N = 12;
    const applied: string[] = [];
    const consumer = startConsumer({
      bus,
      databaseUrl: db.url,
      domain: 'ticket',
      consumer: 'billing',
      purpose: 'ledger',
      subjects: ['helpdesk.ticket.>'],
      logger: testLogger,
      handler: async (envelope, tx) => {
        applied.push(envelope.id);
        const data = envelope.data as { amount: number };
        await tx.query('INSERT INTO ledger (event_id, tenant_id, amount) VALUES ($1, $2, $3)', [
          envelope.id,
          envelope.tenantId,
          data.amount,
        ]);
      },
    });
    running.push(consumer);
    expect(consumer.durable).toBe('billing--ledger');
    await consumer.ready;

    // N events written through the outbox and relayed
    const tracer = trace.getTracer('test');
    const envelopes = await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      const out: EventEnvelope[] = [];
      for (let i = 1; i <= N; i++) {
        out.push(
          await tracer.startActiveSpan('post ledger entry', async (span) => {
            const e = createEnvelope({ type: 'helpdesk.ticket.created', tenantId, data: { amount: i } });
            await enqueueEvent(c, e);
            span.end();
            return e;
          }),
        );
      }
      await c.query('COMMIT');
      return out;
    });
    const relay = new OutboxRelay({ databaseUrl: db.url, bus, logger: testLogger, pollIntervalMs: 20 });
    relay.start();
    await waitFor('ledger filled', async () => (await ledgerRows()).length === N);
    await relay.stop();
    expect((await ledgerRows()).map((r) => r.amount)).toEqual(envelopes.map((_, i) => i + 1));

    // trace: the handler ran in `process <subject>` (CONSUMER) whose parent is the publish span
    const spans = tracing.exporter.getFinishedSpans();
    const processSpan = spans.find((s) => s.name === `process ${prefix}.helpdesk.ticket.created`);
    const publishSpan = spans.find((s) => s.spanContext().spanId === processSpan?.parentSpanContext?.spanId);
    expect(processSpan?.kind).toBe(4); // SpanKind.CONSUMER
    expect(publishSpan?.name).toBe(`publish ${prefix}.helpdesk.ticket.created`);
    const origin = envelopes.find((e) => e.id === processSpan!.attributes['messaging.message.id'])!;
    expect(processSpan!.spanContext().traceId).toBe(parseTraceparent(origin.traceparent!).traceId);

    // the same event again under another Nats-Msg-Id passes JetStream; the inbox must stop it
    await publishRaw(
      bus.subject('helpdesk.ticket.created'),
      JSON.stringify(envelopes[0]),
      `${envelopes[0]!.id}-again`,
    );
    const stream = bus.streamName('ticket');
    await waitFor('duplicate acknowledged', () => settled(stream, consumer.durable));
    expect(await ledgerRows()).toHaveLength(N);
    expect(applied).toHaveLength(N);

    // lose the stream (and with it the durable), then re-drive the outbox
    const createdBefore = (await bus.jsm.consumers.info(stream, consumer.durable)).created;
    await bus.jsm.streams.delete(stream);
    const replayed = await replayOutbox({ databaseUrl: db.url, bus, logger: testLogger });
    expect(replayed).toBe(N);
    await waitFor('replayed events acknowledged by the re-attached consumer', async () => {
      const s = await bus.jsm.streams.info(stream);
      return s.state.messages === N && (await settled(stream, consumer.durable));
    });
    const recreated = await bus.jsm.consumers.info(stream, consumer.durable);
    expect(Date.parse(recreated.created)).toBeGreaterThan(Date.parse(createdBefore));
    expect(recreated.ack_floor.stream_seq).toBe(N);
    expect(await ledgerRows()).toHaveLength(N);
    expect(applied).toHaveLength(N);

    // and it keeps consuming new events from the recreated stream
    const fresh = createEnvelope({ type: 'helpdesk.ticket.updated', tenantId, data: { amount: 100 } });
    await withClient(db.url, (c) => enqueueEvent(c, fresh));
    await replayOutbox({
      databaseUrl: db.url,
      bus,
      logger: testLogger,
      since: new Date(Date.now() - 60_000),
    });
    await waitFor('new event applied', async () => (await ledgerRows()).length === N + 1);
    await delay(300);
    const ledger = await ledgerRows();
    expect(ledger).toHaveLength(N + 1);
    expect(new Set(ledger.map((r) => r.event_id)).size).toBe(N + 1);
    const inbox = await query<{ n: string }>('SELECT count(*)::text AS n FROM inbox WHERE consumer = $1', [
      consumer.durable,
    ]);
    expect(inbox[0]!.n).toBe(String(N + 1));
  });

  it('retries a failing handler with backoff and dead-letters the event after maxDeliver attempts', async () => {
    let calls = 0;
    const consumer = startConsumer({
      bus,
      databaseUrl: db.url,
      domain: 'time',
      consumer: 'billing',
      purpose: 'flaky',
      subjects: ['helpdesk.time.entry_added'],
      maxDeliver: 2,
      backoffMs: 50,
      logger: testLogger,
      handler: async (_envelope, tx) => {
        calls++;
        await tx.query('INSERT INTO ledger (event_id, tenant_id, amount) VALUES ($1, $2, 1)', [
          _envelope.id,
          tenantId,
        ]);
        throw new Error('ledger closed\nfor the night');
      },
    });
    running.push(consumer);
    await consumer.ready;
    const envelope = createEnvelope({ type: 'helpdesk.time.entry_added', tenantId, data: { minutes: 15 } });
    const body = JSON.stringify(envelope);
    await publishRaw(bus.subject(envelope.type), body, envelope.id);

    const [dead] = await waitFor('event in the DLQ', async () => {
      const found = await dlqMessages(consumer.durable);
      return found.length > 0 && found;
    });
    expect(dead!.subject).toBe(`${prefix}.helpdesk.dlq.billing`);
    expect(dead!.string()).toBe(body);
    expect(dead!.header.get('Helpdesk-Error')).toBe('ledger closed for the night');
    expect(dead!.header.get('Helpdesk-Deliveries')).toBe('2');
    expect(dead!.header.get('Helpdesk-Original-Subject')).toBe(bus.subject(envelope.type));
    expect(calls).toBe(2);

    // terminated: no third attempt, and nothing of the failed attempts was kept
    await waitFor('message settled', () => settled(bus.streamName('time'), consumer.durable));
    await delay(500);
    expect(calls).toBe(2);
    expect(await dlqMessages(consumer.durable)).toHaveLength(1);
    expect(await query('SELECT 1 FROM ledger WHERE event_id = $1', [envelope.id])).toHaveLength(0);
    expect(await query('SELECT 1 FROM inbox WHERE event_id = $1', [envelope.id])).toHaveLength(0);
  });

  it('dead-letters invalid envelopes at once without calling the handler', async () => {
    let calls = 0;
    const consumer = startConsumer({
      bus,
      databaseUrl: db.url,
      domain: 'mail',
      consumer: 'notification',
      purpose: 'inbound',
      subjects: ['helpdesk.mail.>'],
      logger: testLogger,
      handler: async () => {
        calls++;
      },
    });
    running.push(consumer);
    await consumer.ready;
    const subject = bus.subject('helpdesk.mail.received');
    const mismatched = createEnvelope({ type: 'helpdesk.mail.bounced', tenantId, data: {} });
    await publishRaw(subject, '{"hello":"world"}', 'bad-1');
    await publishRaw(subject, 'not json at all', 'bad-2');
    await publishRaw(subject, JSON.stringify(mismatched), 'bad-3');
    const valid = createEnvelope({ type: 'helpdesk.mail.received', tenantId, data: {} });
    await publishRaw(subject, JSON.stringify(valid), valid.id);

    const dead = await waitFor('three invalid messages in the DLQ', async () => {
      const found = await dlqMessages(consumer.durable);
      return found.length === 3 && found;
    });
    await waitFor('all settled', () => settled(bus.streamName('mail'), consumer.durable));
    expect(calls).toBe(1);
    const errors = dead.map((m) => m.header.get('Helpdesk-Error'));
    expect(errors.every((e) => e.startsWith('invalid envelope'))).toBe(true);
    expect(errors[2]).toContain('does not match the subject');
    expect(dead.map((m) => m.string())).toEqual([
      '{"hello":"world"}',
      'not json at all',
      JSON.stringify(mismatched),
    ]);
    expect(dead.every((m) => m.header.get('Helpdesk-Deliveries') === '1')).toBe(true);
  });

  it('filters several subjects on one durable in stream order', async () => {
    const seen: string[] = [];
    const consumer = startConsumer({
      bus,
      databaseUrl: db.url,
      domain: 'sla',
      consumer: 'notification',
      purpose: 'sla-alerts',
      subjects: ['helpdesk.sla.warning', 'helpdesk.sla.breached'],
      logger: testLogger,
      handler: async (envelope) => {
        seen.push(envelope.type);
      },
    });
    running.push(consumer);
    await consumer.ready;
    for (const type of [
      'helpdesk.sla.warning',
      'helpdesk.sla.paused',
      'helpdesk.sla.breached',
      'helpdesk.sla.warning',
    ]) {
      const e = createEnvelope({ type, tenantId, data: {} });
      await publishRaw(bus.subject(type), JSON.stringify(e), e.id);
    }
    await waitFor('all settled', async () => {
      const s = await bus.jsm.streams.info(bus.streamName('sla'));
      return s.state.messages === 4 && (await settled(bus.streamName('sla'), consumer.durable));
    });
    expect(seen).toEqual(['helpdesk.sla.warning', 'helpdesk.sla.breached', 'helpdesk.sla.warning']);
    const inbox = await query('SELECT 1 FROM inbox WHERE consumer = $1', [consumer.durable]);
    expect(inbox).toHaveLength(3);
  });

  it('applies waiting events in batches, in order and once; a failing event rolls its batch back and the rest apply one at a time', async () => {
    const N = 20;
    const FAILS_ONCE = 7;
    await bus.ensureStream('notify');
    const envelopes = Array.from({ length: N }, (_, i) =>
      createEnvelope({ type: 'helpdesk.notify.created', tenantId, data: { amount: i + 1 } }),
    );
    for (const e of envelopes) await publishRaw(bus.subject(e.type), JSON.stringify(e), e.id);
    // the same event again under another Nats-Msg-Id, inside a later batch: the inbox must stop it
    await publishRaw(bus.subject(envelopes[2]!.type), JSON.stringify(envelopes[2]), 'third-again');

    const calls = new Map<number, number>();
    const consumer = startConsumer({
      bus,
      databaseUrl: db.url,
      domain: 'notify',
      consumer: 'billing',
      purpose: 'batched',
      subjects: ['helpdesk.notify.>'],
      batchSize: 8,
      backoffMs: 50,
      logger: testLogger,
      handler: async (envelope, tx) => {
        const { amount } = envelope.data as { amount: number };
        calls.set(amount, (calls.get(amount) ?? 0) + 1);
        await tx.query('INSERT INTO ledger (event_id, tenant_id, amount) VALUES ($1, $2, $3)', [
          envelope.id,
          tenantId,
          amount,
        ]);
        if (amount === FAILS_ONCE && calls.get(amount) === 1) throw new Error('ledger locked for a moment');
      },
    });
    running.push(consumer);
    await waitFor('all settled', async () => {
      const s = await bus.jsm.streams.info(bus.streamName('notify'));
      return s.state.messages === N + 1 && (await settled(bus.streamName('notify'), consumer.durable));
    });

    const ledger = await query<{ event_id: string; amount: number }>(
      'SELECT event_id, amount FROM ledger WHERE amount <= $1 AND event_id = ANY($2::uuid[]) ORDER BY id',
      [N, envelopes.map((e) => e.id)],
    );
    expect(ledger.map((r) => r.amount)).toEqual(envelopes.map((_, i) => i + 1));
    const inbox = await query('SELECT 1 FROM inbox WHERE consumer = $1', [consumer.durable]);
    expect(inbox).toHaveLength(N);
    // the failing event ran in its batch and once more alone; the duplicate never reached the handler
    expect(calls.get(FAILS_ONCE)).toBe(2);
    expect(calls.get(3)).toBeLessThanOrEqual(2);
    // several events shared a transaction, each still in a span of its own
    const batched = tracing.exporter
      .getFinishedSpans()
      .filter(
        (s) =>
          s.name === `process ${prefix}.helpdesk.notify.created` &&
          Number(s.attributes['messaging.batch.message_count'] ?? 1) > 1,
      );
    expect(batched.length).toBeGreaterThan(1);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() =>
      startConsumer({
        bus,
        databaseUrl: db.url,
        domain: 'notify',
        consumer: 'x',
        purpose: 'y',
        subjects: ['helpdesk.notify.>'],
        batchSize: 0,
        logger: testLogger,
        handler: async () => undefined,
      }),
    ).toThrow('batchSize must be a positive integer');
  });

  it('stop() lets the in-flight event commit and be acknowledged', async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((r) => (entered = r));
    const consumer = startConsumer({
      bus,
      databaseUrl: db.url,
      domain: 'automation',
      consumer: 'billing',
      purpose: 'slow',
      subjects: ['helpdesk.automation.>'],
      logger: testLogger,
      handler: async (envelope, tx) => {
        entered();
        await delay(700);
        await tx.query('INSERT INTO ledger (event_id, tenant_id, amount) VALUES ($1, $2, 7)', [
          envelope.id,
          tenantId,
        ]);
      },
    });
    await consumer.ready;
    const e = createEnvelope({ type: 'helpdesk.automation.rule_ran', tenantId, data: {} });
    await publishRaw(bus.subject(e.type), JSON.stringify(e), e.id);
    await inHandler;
    await consumer.stop();
    expect(await query('SELECT 1 FROM ledger WHERE event_id = $1', [e.id])).toHaveLength(1);
    // acknowledged before stop() returned: nothing left pending for the next start
    await waitFor('ack recorded', () => settled(bus.streamName('automation'), consumer.durable), 5_000);
  });

  it('refuses subjects outside its domain', () => {
    expect(() =>
      startConsumer({
        bus,
        databaseUrl: db.url,
        domain: 'sla',
        consumer: 'x',
        purpose: 'y',
        subjects: ['helpdesk.ticket.>'],
        logger: testLogger,
        handler: async () => undefined,
      }),
    ).toThrow(/outside domain/);
  });
});
