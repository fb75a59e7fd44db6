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
