import {
  connect,
  DiscardPolicy,
  Events,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import { errorFields, type BusLogger } from './logger';
import {
  DLQ_DOMAIN,
  assertPrefix,
  dlqSubjectFor,
  streamNameFor,
  streamSubjectFor,
  subjectFor,
} from './subjects';

const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const PING_TIMEOUT_MS = 2000;
// JetStream API error codes (nats-server 2.9)
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

export interface ConnectBusOptions {
  /** Comma-separated NATS URLs. */
  servers: string;
  /** Isolates subjects and streams (BUS_PREFIX); empty in production. */
  prefix?: string;
  /** Connection name shown by the server (the service name). */
  name: string;
  logger: BusLogger;
}

/** A NATS connection with JetStream handles and the helpers every service needs. */
export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly prefix: string;
  readonly logger: BusLogger;
  /** Creates or updates the stream of `domain` and the DLQ stream; idempotent. */
  ensureStream(domain: string): Promise<void>;
  /** Subject of an event type, prefixed. */
  subject(type: string): string;
  /** Stream name of a domain, prefixed. */
  streamName(domain: string): string;
  /** Dead-letter subject of a consuming service, prefixed. */
  dlqSubject(consumer: string): string;
  /** Round trip to the server; rejects when closed or not answering within 2 s (readiness). */
  ping(): Promise<void>;
  /** Drains and closes the connection. */
  close(): Promise<void>;
}

/** Stream configuration owned by code: file storage, 2 min de-duplication window, 30 days retention. */
export function streamConfigFor(
  domain: string,
  prefix?: string,
): Partial<StreamConfig> & { name: string; subjects: string[] } {
  return {
    name: streamNameFor(domain, prefix),
    subjects: [streamSubjectFor(domain, prefix)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(MAX_AGE_MS),
    num_replicas: 1,
  };
}

/** Connects to NATS (reconnecting forever) and returns the {@link Bus}. */
export async function connectBus(options: ConnectBusOptions): Promise<Bus> {
  const prefix = options.prefix ?? '';
  assertPrefix(prefix);
  const { logger } = options;
  const nc = await connect({
    servers: options.servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
  });
  void watchStatus(nc, logger);
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();

  async function ensureOne(domain: string): Promise<void> {
    const config = streamConfigFor(domain, prefix);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const info = await jsm.streams.info(config.name);
        const current = info.config;
        const same =
          current.subjects.length === 1 &&
          current.subjects[0] === config.subjects[0] &&
          current.duplicate_window === config.duplicate_window &&
          current.max_age === config.max_age;
        if (!same) {
          await jsm.streams.update(config.name, {
            subjects: config.subjects,
            duplicate_window: config.duplicate_window,
            max_age: config.max_age,
          });
          logger.info({ stream: config.name }, 'stream updated');
        }
        if (current.storage !== config.storage) {
          // storage cannot change in place; an operator has to recreate the stream
          logger.warn({ stream: config.name, storage: current.storage }, 'stream storage differs from code');
        }
        return;
      } catch (err) {
        if (apiErrorCode(err) !== STREAM_NOT_FOUND) throw err;
      }
      try {
        await jsm.streams.add(config);
        logger.info({ stream: config.name }, 'stream created');
        return;
      } catch (err) {
        // another process created it between our info and add: loop to compare and update
        if (apiErrorCode(err) !== STREAM_NAME_IN_USE) throw err;
      }
    }
    throw new Error(`stream ${config.name} could not be ensured`);
  }

  return {
    nc,
    js,
    jsm,
    prefix,
    logger,
    async ensureStream(domain: string): Promise<void> {
      await ensureOne(domain);
      if (domain !== DLQ_DOMAIN) await ensureOne(DLQ_DOMAIN);
    },
    subject: (type) => subjectFor(type, prefix),
    streamName: (domain) => streamNameFor(domain, prefix),
    dlqSubject: (consumer) => dlqSubjectFor(consumer, prefix),
    async ping(): Promise<void> {
      if (nc.isClosed()) throw new Error('NATS connection is closed');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('NATS did not answer the ping')), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([nc.rtt(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close(): Promise<void> {
      if (nc.isClosed()) return;
      try {
        await nc.drain();
      } catch {
        // already draining or closed by the server: make sure it is closed
        await nc.close();
      }
    },
  };
}

/** The JetStream API error code of a NatsError, if any. */
export function apiErrorCode(err: unknown): number | undefined {
  return (err as { api_error?: { err_code?: number } } | undefined)?.api_error?.err_code;
}

async function watchStatus(nc: NatsConnection, logger: BusLogger): Promise<void> {
  try {
    for await (const status of nc.status()) {
      // `data` is a server address or an error, never credentials
      if (status.type === Events.Disconnect)
        logger.warn({ server: String(status.data) }, 'nats disconnected');
      else if (status.type === Events.Reconnect)
        logger.info({ server: String(status.data) }, 'nats reconnected');
      else if (status.type === Events.Error)
        logger.error({ err: { message: String(status.data) } }, 'nats error');
    }
  } catch (err) {
    logger.error(errorFields(err), 'nats status stream failed');
  }
}
