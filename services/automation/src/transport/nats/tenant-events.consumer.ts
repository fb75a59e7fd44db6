// Durable consumers on HELPDESK_IDENTITY: `automation--tenant-defaults` gives a new tenant the default rules (it reads
// the stream from its beginning, so tenants created before the automation service, the demo tenant of `npm start`
// among them, get them too); `automation--tenant-zones` follows a tenant's zone for the schedule rules that have
// none of their own. Both keep the zone of the newest event only.
import { startTenantConsumer, type Bus, type PgPool, type RunningConsumer } from '@helpdesk/bus';
import type { Logger } from '@helpdesk/platform';
import type { FollowTenantZoneUseCase } from '../../app/schedules.use-cases';
import type { SeedDefaultsUseCase } from '../../app/seed-defaults.use-case';
import { insertRule, PgTenantZoneStore } from '../../infra/pg-store';

const SEEDER = { type: 'system', id: '' };

export function startTenantEventsConsumer(deps: {
  bus: Bus;
  pool: PgPool;
  seed: SeedDefaultsUseCase;
  logger: Logger;
}): RunningConsumer {
  return startTenantConsumer({
    bus: deps.bus,
    pool: deps.pool,
    logger: deps.logger,
    consumer: 'automation',
    purpose: 'tenant-defaults',
    type: 'helpdesk.identity.tenant_created',
    async handle(tenant, event, client) {
      await new PgTenantZoneStore(client).moveZone(
        tenant.tenantId,
        tenant.timezone,
        new Date(event.occurredAt),
      );
      const written = await deps.seed.execute(
        { seed: (rule, seedKey) => insertRule(client, rule, SEEDER, seedKey) },
        tenant.tenantId,
      );
      if (written > 0)
        deps.logger.info({ tenantId: tenant.tenantId, written }, 'default automation rules seeded');
    },
  });
}

export function startTenantZoneConsumer(deps: {
  bus: Bus;
  pool: PgPool;
  follow: FollowTenantZoneUseCase;
  logger: Logger;
}): RunningConsumer {
  return startTenantConsumer({
    bus: deps.bus,
    pool: deps.pool,
    logger: deps.logger,
    consumer: 'automation',
    purpose: 'tenant-zones',
    type: 'helpdesk.identity.tenant_updated',
    async handle(tenant, event, client) {
      const moved = await deps.follow.execute(
        new PgTenantZoneStore(client),
        tenant.tenantId,
        tenant.timezone,
        new Date(event.occurredAt),
      );
      if (moved > 0)
        deps.logger.info({ tenantId: tenant.tenantId, moved }, 'schedules moved to the tenant zone');
    },
  });
}
