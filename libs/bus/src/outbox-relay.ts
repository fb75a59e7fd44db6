import { Pool, type PoolClient } from 'pg';
import type { Bus } from './connection';
import { errorFields, errorMessage, type BusLogger } from './logger';
import { SELECT_COLUMNS, publishOutboxRow, type OutboxRow } from './publish';
import { domainOf } from './subjects';

const MAX_BACKOFF_MS = 10_000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
const PURGE_CHUNK = 5000;

/**
 * Where a relay or a consumer gets its connections: its own small pool from a URL (closed when it stops), or a
 * pool of the service that the service closes.
 */
export type PgSource = { databaseUrl: string; pool?: undefined } | { pool: Pool; databaseUrl?: undefined };

export type OutboxRelayOptions = PgSource & {
  bus: Bus;
  logger: BusLogger;
  /** Idle polling interval; `nudge()` skips the wait. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Published rows are kept this long (for replay), then purged. */
  retentionHours?: number;
};

interface BatchResult {
  published: number;
  failed: boolean;
}

/**
 * Publishes committed outbox rows to JetStream in `seq` order and marks them published. Several replicas
 * may run: each batch locks its rows with `FOR UPDATE SKIP LOCKED`.
 */
export class OutboxRelay {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly bus: Bus;
  private readonly logger: BusLogger;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly retentionHours: number;
  // domains whose stream this relay has ensured; cleared for a domain when a publish finds no stream
  private readonly ensuredDomains = new Set<string>();
  private running = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private nudged = false;
  private wake: (() => void) | undefined;
  private lastPurgeAt = 0;

  constructor(options: OutboxRelayOptions) {
    this.bus = options.bus;
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.batchSize = options.batchSize ?? 100;
    this.retentionHours = options.retentionHours ?? 168;
    this.ownsPool = !options.pool;
    this.pool =
      options.pool ??
      ownPool(options.databaseUrl, (err) =>
        this.logger.warn(errorFields(err), 'outbox relay idle connection failed'),
      );
  }

  /** Starts the polling loop (no-op when running; a stopped relay cannot start again). */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop now; call after committing a transaction that enqueued events. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Stops polling after the in-flight batch and closes the pool it opened (a given pool stays open). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    if (this.ownsPool) await this.pool.end();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let result: BatchResult = { published: 0, failed: false };
      await this.purgeIfDue();
      try {
        result = await this.publishBatch();
      } catch (err) {
        result.failed = true;
        this.logger.error(errorFields(err), 'outbox relay batch failed');
      }
      if (!this.running) break;
      if (result.failed) {
        failures++;
        await this.sleep(Math.min(this.pollIntervalMs * 2 ** failures, MAX_BACKOFF_MS), false);
      } else {
        failures = 0;
        if (result.published < this.batchSize) await this.sleep(this.pollIntervalMs, true);
      }
    }
  }

  private async publishBatch(): Promise<BatchResult> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT ${SELECT_COLUMNS} FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      const published: string[] = [];
      let failed = false;
      // the rows up to the first whose stream cannot be declared
      let sendable = rows.length;
      let failure: { row: OutboxRow; reason: unknown } | undefined;
      for (const [i, row] of rows.entries()) {
        try {
          await this.ensureStreamOf(row.type);
        } catch (err) {
          [sendable, failure] = [i, { row, reason: err }];
          break;
        }
      }
      // their publishes are sent at once (one socket write for the batch; the server stores and acks them in the
      // order sent); rows are marked up to the first failure, and what follows it is published again next round,
      // dropped by JetStream as a duplicate if it was stored meanwhile
      const outcomes = await Promise.allSettled(
        rows.slice(0, sendable).map((row) => publishOutboxRow(this.bus, row)),
      );
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'rejected') {
          failure = { row: rows[i]!, reason: outcome.reason };
          break;
        }
        published.push(rows[i]!.id);
      }
      if (failure) {
        // keep the order: later rows wait until this one is published
        failed = true;
        if (String((failure.reason as { code?: unknown }).code) === '503')
          this.ensuredDomains.delete(domainOf(failure.row.type));
        await this.recordFailure(client, failure.row, failure.reason);
      }
      if (published.length > 0) {
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [published]);
      }
      await client.query('COMMIT');
      return { published: published.length, failed };
    } catch (err) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private async recordFailure(client: PoolClient, row: OutboxRow, err: unknown): Promise<void> {
    this.logger.warn({ ...errorFields(err), eventId: row.id, type: row.type }, 'outbox publish failed');
    await client.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
      row.id,
      errorMessage(err).slice(0, 1000),
    ]);
  }

  private async ensureStreamOf(type: string): Promise<void> {
    const domain = domainOf(type);
    if (this.ensuredDomains.has(domain)) return;
    await this.bus.ensureStream(domain);
    this.ensuredDomains.add(domain);
  }

  private async purgeIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurgeAt < PURGE_EVERY_MS) return;
    this.lastPurgeAt = now;
    let purged = 0;
    try {
      for (;;) {
        // in chunks so a large backlog never holds many row locks at once
        const result = await this.pool.query(
          `DELETE FROM outbox WHERE id IN (
             SELECT id FROM outbox WHERE published_at < now() - $1::double precision * interval '1 hour' LIMIT $2
           )`,
          [this.retentionHours, PURGE_CHUNK],
        );
        purged += result.rowCount ?? 0;
        if ((result.rowCount ?? 0) < PURGE_CHUNK || !this.running) break;
      }
    } catch (err) {
      // publishing matters more than purging: log and try again next hour
      this.logger.warn(errorFields(err), 'outbox purge failed');
    }
    if (purged > 0) this.logger.info({ purged }, 'outbox purged');
  }

  private sleep(ms: number, wakeOnNudge: boolean): Promise<void> {
    if (wakeOnNudge && this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => {
        if (!this.running || wakeOnNudge) done();
      };
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = wake;
    }).then(() => {
      this.wake = undefined;
      if (wakeOnNudge) this.nudged = false;
    });
  }
}

/** A small pool of a relay or a consumer; an idle client's error must not crash the process (the next query reconnects). */
export function ownPool(databaseUrl: string, onError: (err: Error) => void): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', onError);
  return pool;
}
