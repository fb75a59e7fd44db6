// Durable consumer `sla--tenant-defaults` on HELPDESK_IDENTITY: a new tenant gets the calendar and default
// policy (docs/product/sla.md). It reads the stream from its beginning, so tenants created before the SLA service
// (the demo tenant of `npm start`) get them too.
import { startTenantConsumer, type Bus, type PgPool, type RunningConsumer } from '@helpdesk/bus';
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
  return startTenantConsumer({
    bus: deps.bus,
    pool: deps.pool,
    logger: deps.logger,
    consumer: 'sla',
    purpose: 'tenant-defaults',
    type: 'helpdesk.identity.tenant_created',
    async handle(tenant, _event, client) {
      // seeded in its own transaction; the tenants row makes a redelivery a no-op
      if (await deps.seed.execute(tenant))
        deps.logger.info({ tenantId: tenant.tenantId }, 'tenant SLA defaults seeded');
      // tickets whose events came first get their clocks now (also after a redelivery, should that step have failed)
      const started = await deps.tracker.catchUp(deps.clocks.on(client), tenant.tenantId);
      if (started > 0)
        deps.logger.info({ tenantId: tenant.tenantId, started }, 'clocks started for earlier tickets');
    },
  });
}
