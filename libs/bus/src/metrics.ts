import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS_S, lazyInstruments } from '@helpdesk/telemetry';
import type { Pool } from 'pg';
import type { Bus } from './connection';
import { DLQ_DOMAIN } from './subjects';

// A scrape never waits on a slow broker or database for long; a missed observation is a gap, not a hang.
const OBSERVE_TIMEOUT_MS = 2_000;
// Several scrapers (two Prometheus replicas) within this window share one round of JetStream calls.
const LAG_CACHE_MS = 5_000;

function buildInstruments(meter: Meter) {
  return {
    meter,
    outboxBacklog: meter.createObservableGauge('helpdesk.outbox.backlog', {
      description: 'Outbox rows committed but not yet published to JetStream',
      unit: '{event}',
    }),
    outboxOldestAge: meter.createObservableGauge('helpdesk.outbox.oldest_age', {
      description: 'Age of the oldest unpublished outbox row (0 when none)',
      unit: 's',
    }),
    processDuration: meter.createHistogram('messaging.process.duration', {
      description: 'Duration of handling one event by a durable consumer (inbox and handler transaction)',
      unit: 's',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] },
    }),
    redeliveries: meter.createCounter('helpdesk.consumer.redeliveries', {
      description: 'Events delivered again to a durable after a failed or timed-out attempt',
      unit: '{event}',
    }),
    deadLetters: meter.createCounter('helpdesk.consumer.dead_letters', {
      description: 'Events a durable sent to the dead-letter queue',
      unit: '{event}',
    }),
    consumerLag: meter.createObservableGauge('helpdesk.consumer.lag', {
      description: 'Events in the stream not yet delivered to the durable (JetStream num_pending)',
      unit: '{event}',
    }),
    consumerAckPending: meter.createObservableGauge('helpdesk.consumer.ack_pending', {
      description: 'Events delivered to the durable and not yet acknowledged (JetStream num_ack_pending)',
      unit: '{event}',
    }),
    dlqMessages: meter.createObservableGauge('helpdesk.dlq.messages', {
      description: 'Events held in the dead-letter stream for a consuming service',
      unit: '{event}',
    }),
  };
}
const instruments = lazyInstruments('@helpdesk/bus', buildInstruments);

/**
 * Observes the outbox of `pool`'s database: one indexed query per scrape (`published_at IS NULL`). Returns the
 * function that stops observing.
 */
export function observeOutbox(pool: Pool): () => void {
  const { meter, outboxBacklog, outboxOldestAge } = instruments();
  const callback: BatchObservableCallback = async (result) => {
    const { rows } = await withTimeout(
      pool.query<{ backlog: number; age: number | null }>(
        `SELECT count(*)::int AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS age
           FROM outbox WHERE published_at IS NULL`,
      ),
    );
    const row = rows[0];
    result.observe(outboxBacklog, row?.backlog ?? 0);
    result.observe(outboxOldestAge, Math.max(0, row?.age ?? 0));
  };
  meter.addBatchObservableCallback(callback, [outboxBacklog, outboxOldestAge]);
  return () => meter.removeBatchObservableCallback(callback, [outboxBacklog, outboxOldestAge]);
}

/** What a consumer records about itself; created by startConsumer. */
export interface ConsumerMetrics {
  processed(seconds: number, failed: boolean): void;
  redelivered(): void;
  deadLettered(): void;
  /** Stops the lag observation of this durable. */
  close(): void;
}

/** The durable a consumer observes: its lag on its stream, and the DLQ subject of its service. */
export interface ObservedConsumer {
  bus: Bus;
  stream: string;
  durable: string;
  /** The consuming service (`sla`). */
  consumer: string;
  dlqSubject: string;
}

interface LagValues {
  consumers: Array<{ durable: string; lag: number; ackPending: number }>;
  dlq: Array<{ consumer: string; messages: number }>;
}

const observed = new Set<ObservedConsumer>();
let lastRound: { at: number; values: Promise<LagValues> } | undefined;
let lagMeter: Meter | undefined;

async function lagRound(): Promise<LagValues> {
  const all = [...observed];
  const consumers = await Promise.all(
    all.map(async (o) => {
      try {
        const info = await withTimeout(o.bus.jsm.consumers.info(o.stream, o.durable));
        return [{ durable: o.durable, lag: info.num_pending, ackPending: info.num_ack_pending }];
      } catch {
        // not created yet or the broker is away: no sample this round
        return [];
      }
    }),
  );
  // one DLQ lookup per consuming service, however many durables it runs
  const byConsumer = new Map<string, ObservedConsumer>();
  for (const o of all) byConsumer.set(o.dlqSubject, o);
  const dlq = await Promise.all(
    [...byConsumer.values()].map(async (o) => {
      try {
        const info = await withTimeout(
          o.bus.jsm.streams.info(o.bus.streamName(DLQ_DOMAIN), { subjects_filter: o.dlqSubject }),
        );
        return [{ consumer: o.consumer, messages: info.state.subjects?.[o.dlqSubject] ?? 0 }];
      } catch {
        return [];
      }
    }),
  );
  return { consumers: consumers.flat(), dlq: dlq.flat() };
}

const lagCallback: BatchObservableCallback = async (result) => {
  if (observed.size === 0) return;
  const { consumerLag, consumerAckPending, dlqMessages } = instruments();
  const now = Date.now();
  if (!lastRound || now - lastRound.at > LAG_CACHE_MS) lastRound = { at: now, values: lagRound() };
  const values = await lastRound.values;
  for (const c of values.consumers) {
    const attributes = { 'messaging.consumer.group.name': c.durable };
    result.observe(consumerLag, c.lag, attributes);
    result.observe(consumerAckPending, c.ackPending, attributes);
  }
  for (const d of values.dlq) result.observe(dlqMessages, d.messages, { 'helpdesk.consumer': d.consumer });
};

/** Metrics of one durable: processing time, redeliveries, dead letters, and its lag polled on each scrape. */
export function consumerMetrics(entry: ObservedConsumer): ConsumerMetrics {
  const { meter, processDuration, redeliveries, deadLetters, consumerLag, consumerAckPending, dlqMessages } =
    instruments();
  const attributes = { 'messaging.system': 'nats', 'messaging.consumer.group.name': entry.durable };
  const failedAttributes = { ...attributes, 'error.type': 'handler_failed' };
  observed.add(entry);
  // one callback for every durable of the process, on the meter of the running telemetry
  if (lagMeter !== meter) {
    lagMeter = meter;
    meter.addBatchObservableCallback(lagCallback, [consumerLag, consumerAckPending, dlqMessages]);
  }
  return {
    processed: (seconds, failed) => processDuration.record(seconds, failed ? failedAttributes : attributes),
    redelivered: () => redeliveries.add(1, attributes),
    deadLettered: () => deadLetters.add(1, attributes),
    close: () => {
      observed.delete(entry);
      lastRound = undefined;
    },
  };
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('metrics observation timed out')), OBSERVE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}
