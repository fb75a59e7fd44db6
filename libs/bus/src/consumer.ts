import { SpanKind, SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { AckPolicy, DeliverPolicy, headers, nanos, type ConsumerMessages, type JsMsg } from 'nats';
import type { PoolClient } from 'pg';
import { applyBatchOnce, applyOnce } from './transaction';
import { apiErrorCode, type Bus } from './connection';
import { parseEnvelope, type EventEnvelope } from './envelope';
import { errorFields, errorMessage, type BusLogger } from './logger';
import {
  DLQ_DOMAIN,
  domainOf,
  durableNameFor,
  prefixSubject,
  streamSubjectFor,
  subjectMatches,
} from './subjects';
import { consumerMetrics } from './metrics';
import { ownPool, type PgSource } from './outbox-relay';
import { busTracer, extractFromHeaders, injectIntoHeaders } from './trace-context';

const ACK_WAIT_MS = 30_000;
const WORKING_EVERY_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
const REATTACH_MAX_MS = 10_000;
const CONSUMER_NOT_FOUND = 10014;

/**
 * The `batchSize` of a consumer whose handler's effects are all in its transaction: as many events as one pull
 * brings at most.
 */
export const IN_TRANSACTION_BATCH = 32;

/** Handles one event; `tx` is inside the transaction that also records the event id in the inbox. */
export type EventHandler = (envelope: EventEnvelope, tx: PoolClient) => Promise<void>;

export type StartConsumerOptions = PgSource & {
  bus: Bus;
  /** Domain whose stream is consumed, e.g. `ticket`. */
  domain: string;
  /** The consuming service, e.g. `sla`; also names its DLQ subject `helpdesk.dlq.<consumer>`. */
  consumer: string;
  /** What this durable does, e.g. `sla-clock`; the durable is `<consumer>--<purpose>`. */
  purpose: string;
  /** Unprefixed subject filters inside the domain, e.g. `['helpdesk.ticket.>']`. */
  subjects: string[];
  /** Handler attempts before the event goes to the DLQ. */
  maxDeliver?: number;
  /** Delay before the first retry; doubles per delivery, capped at 30 s. */
  backoffMs?: number;
  /**
   * At most this many waiting events applied in one transaction (default 1: each in its own). Under load a batch
   * saves each event its BEGIN, inbox insert and COMMIT. A batch whose handler throws is rolled back and its events
   * applied one at a time, so the handler may run twice for an event: only for handlers whose every effect is in
   * the transaction (reads elsewhere and wake-ups are fine; a mail, a webhook or a gRPC write are not).
   */
  batchSize?: number;
  handler: EventHandler;
  logger: BusLogger;
};

export interface RunningConsumer {
  /** The durable consumer name, `<consumer>--<purpose>`. */
  readonly durable: string;
  /** Resolves once the consumer is attached the first time (or when stopped before that). */
  readonly ready: Promise<void>;
  /** Finishes the in-flight event, hands buffered ones back to the server and closes the pool it opened. */
  stop(): Promise<void>;
}

/** Delay before redelivery number `deliveryCount + 1`: base × 2^(n−1), at most 30 s. */
export function retryDelayMs(baseMs: number, deliveryCount: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, deliveryCount - 1), MAX_BACKOFF_MS);
}

/**
 * Starts a durable JetStream pull consumer. Each event is applied at most once per durable: its id goes into
 * `inbox` in the same PostgreSQL transaction as the handler's effects. Failed events are retried with
 * exponential backoff and, after `maxDeliver` attempts, published to `helpdesk.dlq.<consumer>`; invalid
 * envelopes go there at once. If the stream or the consumer disappears, both are declared again.
 */
export function startConsumer(options: StartConsumerOptions): RunningConsumer {
  const { bus, domain, consumer, handler, logger } = options;
  const maxDeliver = options.maxDeliver ?? 5;
  const backoffMs = options.backoffMs ?? 500;
  const batchSize = options.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1)
    throw new Error('maxDeliver must be a positive integer');
  if (options.subjects.length === 0) throw new Error('subjects must not be empty');
  for (const subject of options.subjects) {
    if (domainOf(subject) !== domain) throw new Error(`subject "${subject}" is outside domain "${domain}"`);
  }
  const durable = durableNameFor(consumer, options.purpose);
  const streamName = bus.streamName(domain);
  const filters = options.subjects.map((s) => prefixSubject(s, bus.prefix));
  // nats-server 2.9 allows one filter subject per consumer: several filters share the domain wildcard
  // and are matched here, so one durable keeps the stream's order across event types
  const filterSubject = filters.length === 1 ? filters[0]! : streamSubjectFor(domain, bus.prefix);
  const filterHere = filters.length > 1;
  const log = { durable, stream: streamName };
  const metrics = consumerMetrics({
    bus,
    stream: streamName,
    durable,
    consumer,
    dlqSubject: bus.dlqSubject(consumer),
  });

  const pool =
    options.pool ??
    ownPool(options.databaseUrl, (err) =>
      logger.warn({ ...log, ...errorFields(err) }, 'consumer idle connection failed'),
    );

  let stopping = false;
  let messages: ConsumerMessages | undefined;
  let wakeSleep: (() => void) | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function ensureConsumer(): Promise<void> {
    await bus.ensureStream(domain);
    const desired = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      // one more than ours so that this code, not the server, decides when to dead-letter
      max_deliver: maxDeliver + 1,
      filter_subject: filterSubject,
    };
    let current;
    try {
      current = (await bus.jsm.consumers.info(streamName, durable)).config;
    } catch (err) {
      if (apiErrorCode(err) !== CONSUMER_NOT_FOUND) throw err;
    }
    if (!current) {
      await bus.jsm.consumers.add(streamName, desired);
      logger.info(log, 'consumer created');
      return;
    }
    if (current.filter_subject !== filterSubject) {
      // 2.9 cannot change a filter in place; the new durable starts over and the inbox skips what was done
      logger.warn(
        { ...log, from: current.filter_subject, to: filterSubject },
        'consumer filter changed; recreating',
      );
      await bus.jsm.consumers.delete(streamName, durable);
      await bus.jsm.consumers.add(streamName, desired);
      return;
    }
    if (current.ack_wait !== desired.ack_wait || current.max_deliver !== desired.max_deliver) {
      await bus.jsm.consumers.update(streamName, durable, {
        ack_wait: desired.ack_wait,
        max_deliver: desired.max_deliver,
      });
      logger.info(log, 'consumer updated');
    }
  }

  async function run(): Promise<void> {
    let attempt = 0;
    while (!stopping) {
      try {
        await ensureConsumer();
        const jsConsumer = await bus.js.consumers.get(streamName, durable);
        // abort instead of waiting: a lost stream or consumer must be declared again by us
        const iterator = await jsConsumer.consume({
          max_messages: IN_TRANSACTION_BATCH,
          expires: 10_000,
          abort_on_missing_resource: true,
        });
        messages = iterator;
        if (stopping) iterator.stop();
        markReady();
        attempt = 0;
        logger.info(log, 'consumer attached');
        await (batchSize === 1 ? drainOneByOne(iterator) : drainInBatches(iterator));
        if (!stopping) logger.warn(log, 'consumer detached; re-attaching');
      } catch (err) {
        if (stopping) break;
        if (bus.nc.isClosed()) {
          logger.error({ ...log, ...errorFields(err) }, 'nats connection closed; consumer stopped');
          break;
        }
        logger.warn({ ...log, ...errorFields(err) }, 'consumer lost its stream or consumer; re-attaching');
        await sleep(Math.min(250 * 2 ** attempt++, REATTACH_MAX_MS));
      }
    }
    markReady();
  }

  async function drainOneByOne(iterator: ConsumerMessages): Promise<void> {
    for await (const msg of iterator) {
      if (stopping) {
        // buffered but not started: give it back for another replica
        msg.nak();
        continue;
      }
      await handleMessage(msg);
    }
  }

  // what arrives while a batch is applied waits in `waiting`; the next batch takes up to batchSize of it
  async function drainInBatches(iterator: ConsumerMessages): Promise<void> {
    const waiting: JsMsg[] = [];
    let arrived: (() => void) | undefined;
    let ended = false;
    let failure: { error: unknown } | undefined;
    const reading = (async () => {
      try {
        for await (const msg of iterator) {
          waiting.push(msg);
          arrived?.();
        }
      } catch (err) {
        failure = { error: err };
      } finally {
        ended = true;
        arrived?.();
      }
    })();
    for (;;) {
      if (waiting.length === 0) {
        if (ended) break;
        await new Promise<void>((resolve) => (arrived = resolve));
        arrived = undefined;
        continue;
      }
      const batch = waiting.splice(0, batchSize);
      if (stopping) {
        for (const msg of batch) msg.nak();
        continue;
      }
      await handleBatch(batch);
    }
    await reading;
    if (failure) throw failure.error;
  }

  // runs of first deliveries go together; a redelivery or an invalid envelope is handled alone, in its place
  async function handleBatch(batch: JsMsg[]): Promise<void> {
    let run: Array<{ msg: JsMsg; envelope: EventEnvelope }> = [];
    for (const msg of batch) {
      if (filterHere && !filters.some((f) => subjectMatches(f, msg.subject))) {
        msg.ack();
        continue;
      }
      const parsed = msg.info.redeliveryCount > 1 ? undefined : parseEnvelope(msg.data);
      const plain = parsed?.ok && bus.subject(parsed.envelope.type) === msg.subject;
      if (plain) {
        run.push({ msg, envelope: parsed.envelope });
        continue;
      }
      await applyRun(run);
      run = [];
      await handleMessage(msg);
    }
    await applyRun(run);
  }

  async function applyRun(run: Array<{ msg: JsMsg; envelope: EventEnvelope }>): Promise<void> {
    if (run.length <= 1) {
      if (run[0]) await handleMessage(run[0].msg);
      return;
    }
    const startedAt = process.hrtime.bigint();
    const traced = run.map(({ msg, envelope }) => {
      const parent = extractFromHeaders(msg.headers);
      const span = busTracer.startSpan(
        `process ${msg.subject}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            ...spanAttributes(msg),
            'messaging.batch.message_count': run.length,
            'messaging.message.id': envelope.id,
            'tenant.id': envelope.tenantId,
          },
        },
        parent,
      );
      return { span, context: trace.setSpan(parent, span) };
    });
    // a slow batch must not let ack_wait expire and its events go to another replica meanwhile
    const keepAlive = setInterval(() => run.forEach(({ msg }) => msg.working()), WORKING_EVERY_MS);
    let fresh: boolean[] | undefined;
    try {
      fresh = await context.with(traced[0]!.context, () =>
        applyBatchOnce(pool, durable, run, (i, envelope, client) =>
          context.with(traced[i]!.context, () => handler(envelope, client)),
        ),
      );
    } catch (err) {
      logger.warn(
        { ...log, ...errorFields(err), events: run.length },
        'event batch failed; applying its events one at a time',
      );
    } finally {
      clearInterval(keepAlive);
    }
    if (!fresh) {
      for (const { span } of traced) span.end();
      for (const { msg } of run) await handleMessage(msg);
      return;
    }
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9 / run.length;
    for (const [i, { msg }] of run.entries()) {
      if (!fresh[i]) traced[i]!.span.setAttribute('helpdesk.duplicate', true);
      msg.ack();
      traced[i]!.span.end();
      metrics.processed(seconds, false);
    }
  }

  function spanAttributes(msg: JsMsg) {
    return {
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': msg.subject,
      'messaging.consumer.group.name': durable,
      'messaging.nats.delivery_count': msg.info.redeliveryCount,
    };
  }

  async function handleMessage(msg: JsMsg): Promise<void> {
    if (filterHere && !filters.some((f) => subjectMatches(f, msg.subject))) {
      msg.ack();
      return;
    }
    const startedAt = process.hrtime.bigint();
    if (msg.info.redeliveryCount > 1) metrics.redelivered();
    const parent = extractFromHeaders(msg.headers);
    const span = busTracer.startSpan(
      `process ${msg.subject}`,
      { kind: SpanKind.CONSUMER, attributes: spanAttributes(msg) },
      parent,
    );
    let failed = true;
    try {
      failed = !(await context.with(trace.setSpan(parent, span), () => processMessage(msg, span)));
    } catch (err) {
      // processMessage handles its failures; this is a bug guard so the loop survives
      logger.error({ ...log, ...errorFields(err) }, 'consumer failed to settle a message');
      msg.nak(retryDelayMs(backoffMs, msg.info.redeliveryCount));
    } finally {
      span.end();
      metrics.processed(Number(process.hrtime.bigint() - startedAt) / 1e9, failed);
    }
  }

  // true when the event was applied (or was a duplicate), false when it failed or went to the DLQ
  async function processMessage(msg: JsMsg, span: Span): Promise<boolean> {
    const deliveryCount = msg.info.redeliveryCount;
    const parsed = parseEnvelope(msg.data);
    let invalid = parsed.ok ? undefined : parsed.error;
    if (parsed.ok && bus.subject(parsed.envelope.type) !== msg.subject) {
      invalid = `invalid envelope: type ${parsed.envelope.type} does not match the subject`;
    }
    if (!parsed.ok || invalid) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: invalid });
      await deadLetter(msg, undefined, invalid ?? 'invalid envelope', deliveryCount);
      return false;
    }
    const envelope = parsed.envelope;
    span.setAttribute('messaging.message.id', envelope.id);
    span.setAttribute('tenant.id', envelope.tenantId);
    let outcome: 'processed' | 'duplicate';
    try {
      outcome = await applyInInbox(envelope, msg);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
      if (deliveryCount >= maxDeliver) {
        await deadLetter(msg, envelope, errorMessage(err), deliveryCount);
      } else {
        const delay = retryDelayMs(backoffMs, deliveryCount);
        logger.warn(
          {
            ...log,
            ...errorFields(err),
            eventId: envelope.id,
            type: envelope.type,
            deliveryCount,
            retryInMs: delay,
          },
          'event handler failed; will retry',
        );
        msg.nak(delay);
      }
      return false;
    }
    if (outcome === 'duplicate') span.setAttribute('helpdesk.duplicate', true);
    msg.ack();
    return true;
  }

  async function applyInInbox(envelope: EventEnvelope, msg: JsMsg): Promise<'processed' | 'duplicate'> {
    const applied = await applyOnce(pool, durable, envelope, async (event, client) => {
      // a slow handler must not let ack_wait expire and the event go to another replica meanwhile
      const keepAlive = setInterval(() => msg.working(), WORKING_EVERY_MS);
      try {
        await handler(event, client);
      } finally {
        clearInterval(keepAlive);
      }
    });
    return applied ? 'processed' : 'duplicate';
  }

  async function deadLetter(
    msg: JsMsg,
    envelope: EventEnvelope | undefined,
    error: string,
    deliveryCount: number,
  ): Promise<void> {
    const h = headers();
    injectIntoHeaders(context.active(), h);
    h.set('Helpdesk-Error', headerValue(error));
    h.set('Helpdesk-Consumer', durable);
    h.set('Helpdesk-Original-Subject', msg.subject);
    h.set('Helpdesk-Original-Stream', msg.info.stream);
    h.set('Helpdesk-Original-Sequence', String(msg.info.streamSequence));
    h.set('Helpdesk-Deliveries', String(deliveryCount));
    // same id on a retried dead-lettering, so the DLQ keeps one copy
    const msgID = envelope
      ? `${durable}:${envelope.id}`
      : `${durable}:${msg.info.stream}:${msg.info.streamSequence}`;
    const subject = bus.dlqSubject(consumer);
    try {
      try {
        await bus.js.publish(subject, msg.data, { msgID, headers: h });
      } catch (err) {
        if (String((err as { code?: unknown }).code) !== '503') throw err;
        // the DLQ stream is gone: declare it and try once more
        await bus.ensureStream(DLQ_DOMAIN);
        await bus.js.publish(subject, msg.data, { msgID, headers: h });
      }
      msg.term();
      metrics.deadLettered();
      logger.error(
        { ...log, eventId: envelope?.id, subject: msg.subject, deliveryCount, reason: headerValue(error) },
        'event sent to the dead-letter queue',
      );
    } catch (err) {
      logger.error({ ...log, ...errorFields(err) }, 'dead-letter publish failed; will retry');
      msg.nak(retryDelayMs(backoffMs, deliveryCount));
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  const loop = run();
  let stopped: Promise<void> | undefined;
  return {
    durable,
    ready,
    stop(): Promise<void> {
      stopped ??= (async () => {
        stopping = true;
        messages?.stop();
        wakeSleep?.();
        await loop;
        metrics.close();
        if (!options.pool) await pool.end();
        logger.info(log, 'consumer stopped');
      })();
      return stopped;
    },
  };
}

function headerValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').slice(0, 512);
}
