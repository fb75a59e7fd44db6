export { createEnvelope, envelopeSchema, parseEnvelope } from './envelope';
export type { CreateEnvelopeInput, EventEnvelope, ParseEnvelopeResult } from './envelope';
export {
  DLQ_DOMAIN,
  EVENT_TYPE_PATTERN,
  dlqSubjectFor,
  domainOf,
  durableNameFor,
  prefixSubject,
  streamNameFor,
  streamSubjectFor,
  subjectFor,
  subjectMatches,
} from './subjects';
export { connectBus, streamConfigFor } from './connection';
export type { Bus, ConnectBusOptions } from './connection';
export type { BusLogger } from './logger';
export { OUTBOX_TABLES_SQL, enqueueEvent, enqueueEvents } from './outbox';
export type { OutboxWriter } from './outbox';
export { OutboxRelay } from './outbox-relay';
export type { OutboxRelayOptions, PgSource } from './outbox-relay';
/** The pg pool type of {@link PgSource}, for code that passes a service's pool along. */
export type { Pool as PgPool } from 'pg';
export { replayOutbox } from './replay';
export type { ReplayOutboxOptions } from './replay';
export { readStream } from './stream-reader';
export { applyOnce, inTransaction } from './transaction';
export { startTenantConsumer } from './tenant-consumer';
export type { ReadStreamOptions, ReadStreamResult } from './stream-reader';
export { IN_TRANSACTION_BATCH, retryDelayMs, startConsumer } from './consumer';
export type { EventHandler, RunningConsumer, StartConsumerOptions } from './consumer';
export {
  announcedTenant,
  catalogHandler,
  createEventEnvelope,
  decodeEnvelope,
  enqueueCatalogEvent,
} from './events';
export type { CatalogEnvelope, CatalogEventHandler } from './events';
export { observeOutbox } from './metrics';
export { handlingTraceparent } from './trace-context';
