// The rebuild (docs/product/reports.md "Rebuild"): empties the read model and applies every event the streams hold,
// under the durable names of the live consumers, so that an event counts once whether the live consumer or the
// rebuild applied it. The read model depends only on which events were applied, never on their order, so the
// result is the read model the live consumers would have built from the same events, and the service may keep
// running meanwhile.
import {
  applyOnce,
  durableNameFor,
  inTransaction,
  readStream,
  type Bus,
  type EventHandler,
  type ReadStreamResult,
} from '@helpdesk/bus';
import type { Logger } from '@helpdesk/platform';
import type { Pool } from 'pg';
import { CONSUMER, READ_MODEL_FEEDS } from '../transport/nats/read-model.consumers';

export type RebuildResult = Record<string, ReadStreamResult & { applied: number }>;

const ZONES_DURABLE = durableNameFor(CONSUMER, 'tenant-zones');

/**
 * Empties the read model of tickets (tickets, versions, backlog, aggregates, and the inbox of their durables) in one
 * transaction. The tenants' zones stay: identity announces a zone when a tenant is created or changed, and the
 * stream keeps 30 days, so a replay alone would count an older tenant's days in UTC.
 */
export async function emptyReadModel(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(
      'TRUNCATE tickets, ticket_versions, backlog_days, report_open, report_days, report_first_responses',
    );
    await client.query('DELETE FROM inbox WHERE consumer <> $1', [ZONES_DURABLE]);
  });
}

/** Empties the read model of tickets and replays the identity, ticket and SLA streams into it. */
export async function rebuildReadModel(deps: {
  pool: Pool;
  bus: Bus;
  handler: EventHandler;
  logger: Logger;
}): Promise<RebuildResult> {
  const { pool, bus, handler, logger } = deps;
  await emptyReadModel(pool);
  logger.info('read model emptied');
  const result: RebuildResult = {};
  // zones first (a tenant created within the streams' 30 days), so that its days are counted in its zone from the start
  for (const feed of READ_MODEL_FEEDS) {
    const durable = durableNameFor(CONSUMER, feed.purpose);
    let applied = 0;
    const read = await readStream({
      bus,
      domain: feed.domain,
      subjects: feed.subjects,
      logger,
      handle: async (envelope) => {
        if (await applyOnce(pool, durable, envelope, handler)) applied++;
      },
    });
    result[feed.domain] = { ...read, applied };
    logger.info(
      { stream: bus.streamName(feed.domain), ...read, applied },
      'stream replayed into the read model',
    );
  }
  return result;
}
