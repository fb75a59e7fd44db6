// Durable consumer `automation--tenant-defaults` on HELPDESK_IDENTITY: a new tenant gets the default rules. It reads
// the stream from its beginning, so tenants created before the automation service (the demo tenant of
// `npm start`) get them too.
import { catalogHandler, startConsumer, type Bus, type PgPool, type RunningConsumer } from '@helpdesk/bus';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { SeedDefaultsUseCase } from '../../app/seed-defaults.use-case';
import { insertRule } from '../../infra/pg-store';

const tenantCreatedSchema = z.object({
  tenantId: z.guid().transform((v) => v.toLowerCase()),
  timezone: z.string().max(64),
});

const SEEDER = { type: 'system', id: '' };

export function startTenantEventsConsumer(deps: {
  bus: Bus;
  pool: PgPool;
  seed: SeedDefaultsUseCase;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: deps.bus,
    pool: deps.pool,
    domain: 'identity',
    consumer: 'automation',
    purpose: 'tenant-defaults',
    subjects: ['helpdesk.identity.tenant_created'],
    logger: deps.logger,
    handler: catalogHandler(async (event, client) => {
      if (event.type !== 'helpdesk.identity.tenant_created') return;
      const tenant = tenantCreatedSchema.parse(event.data);
      if (tenant.tenantId !== event.tenantId.toLowerCase())
        throw new Error('event data belongs to another tenant');
      await client.query(
        `INSERT INTO tenants (id, timezone, seeded_at) VALUES ($1, $2, now())
         ON CONFLICT (id) DO UPDATE SET timezone = EXCLUDED.timezone`,
        [tenant.tenantId, tenant.timezone],
      );
      const written = await deps.seed.execute(
        { seed: (rule, seedKey) => insertRule(client, rule, SEEDER, seedKey) },
        tenant.tenantId,
      );
      if (written > 0)
        deps.logger.info({ tenantId: tenant.tenantId, written }, 'default automation rules seeded');
    }, deps.logger),
  });
}
