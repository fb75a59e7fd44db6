// The read model's durable consumers, one per stream it reads (docs/product/reports.md "How the numbers are kept"),
// and the one way an event is applied: the rebuild (src/rebuild.ts) applies replayed events through the same
// handler under the same durable names, so an event the live consumer applied is skipped there and vice versa.
import {
  catalogHandler,
  startConsumer,
  type Bus,
  type CatalogEnvelope,
  type EventHandler,
  type PgPool,
  type RunningConsumer,
  IN_TRANSACTION_BATCH,
} from '@helpdesk/bus';
import type { EventType } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import type { PoolClient } from 'pg';
import type { IntakeUseCase } from '../../app/intake.use-case';
import type { IntakeTransaction } from '../../app/ports';
import { PgIntakeTransaction } from '../../infra/read-model.store';
import { factOf, type ReadModelFact } from '../event-facts';

export const CONSUMER = 'reporting';

/** Each stream the read model reads, with its durable's purpose and the event types it takes. */
export const READ_MODEL_FEEDS = [
  {
    domain: 'identity',
    purpose: 'tenant-zones',
    subjects: ['helpdesk.identity.tenant_created', 'helpdesk.identity.tenant_updated'],
  },
  {
    domain: 'ticket',
    purpose: 'tickets',
    subjects: [
      'helpdesk.ticket.created',
      'helpdesk.ticket.updated',
      'helpdesk.ticket.status_changed',
      'helpdesk.ticket.assigned',
      'helpdesk.ticket.message_added',
      'helpdesk.ticket.merged',
    ],
  },
  { domain: 'sla', purpose: 'sla-states', subjects: ['helpdesk.sla.>'] },
] as const satisfies ReadonlyArray<{
  domain: string;
  purpose: string;
  subjects: ReadonlyArray<EventType | `helpdesk.${string}.>`>;
}>;

/** Applies one decoded event to the read model inside `tx` (the transaction that records it in the inbox). */
export function applyEvent(intake: IntakeUseCase, event: CatalogEnvelope, tx: PoolClient): Promise<void> {
  return applyFact(intake, factOf(event), new PgIntakeTransaction(tx));
}

/** Applies what one event tells the read model through `store` (the event's transaction). */
export async function applyFact(
  intake: IntakeUseCase,
  fact: ReadModelFact,
  store: IntakeTransaction,
): Promise<void> {
  switch (fact.kind) {
    case 'tickets':
      return intake.tickets(store, fact.tenantId, fact.tickets);
    case 'sla':
      return intake.sla(store, fact.facts);
    case 'tenant':
      await intake.tenantZone(store, fact.facts);
      return;
    case 'none':
      return;
  }
}

/** The handler every feed runs, live or in a rebuild. */
export function readModelHandler(intake: IntakeUseCase, logger: Logger): EventHandler {
  return catalogHandler((event, tx) => applyEvent(intake, event, tx), logger);
}

export function startReadModelConsumers(deps: {
  bus: Bus;
  pool: PgPool;
  intake: IntakeUseCase;
  logger: Logger;
}): RunningConsumer[] {
  const handler = readModelHandler(deps.intake, deps.logger);
  return READ_MODEL_FEEDS.map((feed) =>
    startConsumer({
      bus: deps.bus,
      pool: deps.pool,
      domain: feed.domain,
      consumer: CONSUMER,
      purpose: feed.purpose,
      subjects: [...feed.subjects],
      batchSize: IN_TRANSACTION_BATCH,
      logger: deps.logger,
      handler,
    }),
  );
}
