import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from './envelope';

/**
 * Runs `work` in a transaction on a client of `pool`: COMMIT when it returns, ROLLBACK when it throws. A client whose
 * ROLLBACK failed too (its connection broke) is destroyed rather than handed to the next caller.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Applies `envelope` with `handler` in the inbox transaction of the durable `consumer`: the inbox row and the
 * handler's writes commit together, so an event is applied once however often it arrives. Answers false for an
 * event the consumer had applied before.
 */
export function applyOnce(
  pool: Pool,
  consumer: string,
  envelope: EventEnvelope,
  handler: (envelope: EventEnvelope, tx: PoolClient) => Promise<void>,
): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const inserted = await client.query(
      'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING',
      [consumer, envelope.id],
    );
    if (inserted.rowCount === 0) return false;
    await handler(envelope, client);
    return true;
  });
}

/**
 * Applies a run of events in one inbox transaction of the durable `consumer`: their ids go into the inbox in one
 * statement, and `handler` runs, in order, for each event the consumer had not applied before (an id twice in the
 * run counts once). Answers, per event, whether it was applied now.
 */
export function applyBatchOnce(
  pool: Pool,
  consumer: string,
  run: ReadonlyArray<{ envelope: EventEnvelope }>,
  handler: (index: number, envelope: EventEnvelope, tx: PoolClient) => Promise<void>,
): Promise<boolean[]> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ event_id: string }>(
      `INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, run.map(({ envelope }) => envelope.id)],
    );
    const fresh = new Set(rows.map((r) => r.event_id));
    const applied: boolean[] = [];
    for (const [i, { envelope }] of run.entries()) {
      const now = fresh.delete(envelope.id.toLowerCase());
      applied.push(now);
      if (now) await handler(i, envelope, client);
    }
    return applied;
  });
}
