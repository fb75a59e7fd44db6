import { connect } from 'nats';
import Redis from 'ioredis';
import pg from 'pg';

export type ProbeResult = { up: true } | { up: false; reason: string };

const DEFAULT_TIMEOUT_MS = 3000;

function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reasonOf(err.errors[0]);
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  return String(err);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** PostgreSQL answers `SELECT 1` at `url`. */
export async function probePostgres(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ProbeResult> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A dropped connection after the probe must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { up: true };
  } catch (err) {
    return { up: false, reason: reasonOf(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** NATS answers at `url` and JetStream is enabled on it (account info readable). */
export async function probeNats(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ProbeResult> {
  let nc: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false, name: 'helpdesk-local-probe' });
    const jsm = await withTimeout(nc.jetstreamManager({ checkAPI: false }), timeoutMs, 'NATS');
    await withTimeout(jsm.getAccountInfo(), timeoutMs, 'JetStream');
    return { up: true };
  } catch (err) {
    const reason = reasonOf(err);
    // A server without -js answers the JetStream API with 503 "no responders".
    if (nc && /503|no responders|jetstream not enabled/i.test(reason))
      return { up: false, reason: 'NATS answers but JetStream is not enabled' };
    return { up: false, reason };
  } finally {
    await nc?.close().catch(() => undefined);
  }
}

/** Redis answers PING at `url`. */
export async function probeRedis(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ProbeResult> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // Otherwise a refused connection keeps a 2 s timer alive after disconnect().
    disconnectTimeout: 10,
  });
  let lastError: unknown;
  client.on('error', (err) => (lastError = err));
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG'
      ? { up: true }
      : { up: false, reason: `unexpected PING answer ${JSON.stringify(pong)}` };
  } catch (err) {
    return { up: false, reason: reasonOf(lastError ?? err) };
  } finally {
    client.disconnect();
  }
}
