// Durable consumer `sla--tenant-defaults` on HELPDESK_IDENTITY: a new tenant gets the calendar and default
// policy (docs/product/sla.md). It reads the stream from its beginning, so tenants created before the SLA service
// (the demo tenant of `npm start`) get them too.
import {
  announcedTenant,
  catalogHandler,
  startConsumer,
  type Bus,
  type RunningConsumer,
  type PgPool,
} from '@helpdesk/bus';
import type { Logger } from '@helpdesk/platform';
import type { SeedTenantDefaultsUseCase } from '../../app/seed-tenant-defaults.use-case';
import type { TrackTicketsUseCase } from '../../app/track-tickets.use-case';
import type { PgClockUnitOfWork } from '../../infra/clock-store';

export function startTenantEventsConsumer(deps: {
  bus: Bus;
  pool: PgPool;
  seed: SeedTenantDefaultsUseCase;
  clocks: PgClockUnitOfWork;
  tracker: TrackTicketsUseCase;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: deps.bus,
    pool: deps.pool,
    domain: 'identity',
    consumer: 'sla',
    purpose: 'tenant-defaults',
    subjects: ['helpdesk.identity.tenant_created'],
    logger: deps.logger,
    handler: catalogHandler(async (envelope, client) => {
      if (envelope.type !== 'helpdesk.identity.tenant_created') return;
      const tenant = announcedTenant(envelope);
      // seeded in its own transaction; the tenants row makes a redelivery a no-op
      if (await deps.seed.execute(tenant))
        deps.logger.info({ tenantId: tenant.tenantId }, 'tenant SLA defaults seeded');
      // tickets whose events came first get their clocks now (also after a redelivery, should that step have failed)
      const started = await deps.tracker.catchUp(deps.clocks.on(client), tenant.tenantId);
      if (started > 0)
        deps.logger.info({ tenantId: tenant.tenantId, started }, 'clocks started for earlier tickets');
    }, deps.logger),
  });
}
