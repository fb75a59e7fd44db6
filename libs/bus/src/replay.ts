import { Pool } from 'pg';
import type { Bus } from './connection';
import type { BusLogger } from './logger';
import { SELECT_COLUMNS, publishOutboxRow, type OutboxRow } from './publish';
import { domainOf } from './subjects';

export interface ReplayOutboxOptions {
  databaseUrl: string;
  bus: Bus;
  /** Only rows created at or after this instant; all rows when absent. */
  since?: Date;
  logger: BusLogger;
  batchSize?: number;
}

/**
 * Re-drives outbox rows (published or not) into JetStream in `seq` order with their original
 * `Nats-Msg-Id`: JetStream drops the ones still inside its duplicate window, consumers' inboxes the rest.
 * Ensures the streams first (e.g. after a stream was lost). Resolves to the number of rows published.
 */
export async function replayOutbox(options: ReplayOutboxOptions): Promise<number> {
  const { bus, logger } = options;
  const since = options.since ?? null;
  const batchSize = options.batchSize ?? 500;
  const pool = new Pool({ connectionString: options.databaseUrl, max: 1 });
  try {
    const types = await pool.query<{ type: string }>(
      'SELECT DISTINCT type FROM outbox WHERE ($1::timestamptz IS NULL OR created_at >= $1)',
      [since],
    );
    const domains = new Set(types.rows.map((r) => domainOf(r.type)));
    for (const domain of domains) await bus.ensureStream(domain);

    let count = 0;
    let afterSeq = '0';
    for (;;) {
      // keyset pagination: rows may be added or purged while we replay
      const { rows } = await pool.query<OutboxRow>(
        `SELECT ${SELECT_COLUMNS} FROM outbox
          WHERE ($1::timestamptz IS NULL OR created_at >= $1) AND seq > $2::bigint
          ORDER BY seq LIMIT $3`,
        [since, afterSeq, batchSize],
      );
      for (const row of rows) {
        await publishOutboxRow(bus, row);
        count++;
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) break;
      afterSeq = last.seq;
    }
    logger.info({ count, since: since?.toISOString() ?? null, domains: [...domains] }, 'outbox replayed');
    return count;
  } finally {
    await pool.end();
  }
}
