// A consumer of the tenant events, as several services keep a tenant's defaults or zone from them.
import type { Pool, PoolClient } from 'pg';
import type { Bus } from './connection';
import { startConsumer, type RunningConsumer } from './consumer';
import { announcedTenant, catalogHandler, type CatalogEnvelope } from './events';
import type { BusLogger } from './logger';

type TenantEventType = 'helpdesk.identity.tenant_created' | 'helpdesk.identity.tenant_updated';

/**
 * A durable consumer of one tenant event type on HELPDESK_IDENTITY (`<consumer>--<purpose>`): `handle` gets the
 * announced tenant (checked by announcedTenant), the event and the inbox transaction.
 */
export function startTenantConsumer(options: {
  bus: Bus;
  pool: Pool;
  consumer: string;
  purpose: string;
  type: TenantEventType;
  logger: BusLogger;
  handle(
    tenant: { tenantId: string; timezone: string },
    event: Extract<CatalogEnvelope, { type: TenantEventType }>,
    tx: PoolClient,
  ): Promise<void>;
}): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    pool: options.pool,
    domain: 'identity',
    consumer: options.consumer,
    purpose: options.purpose,
    subjects: [options.type],
    logger: options.logger,
    handler: catalogHandler(async (event, tx) => {
      if (event.type !== options.type) return;
      await options.handle(announcedTenant(event), event, tx);
    }, options.logger),
  });
}
