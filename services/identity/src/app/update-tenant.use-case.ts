import { z } from 'zod';
import { notFound } from '@helpdesk/platform';
import { slugTaken } from './create-tenant.use-case';
import { tenantCreatedEvent } from './identity-events';
import type { Tenant, UnitOfWork } from './ports';
import { displayNameSchema, idSchema, parseCommand, slugSchema, timezoneSchema } from './validation';

const commandSchema = z.object({
  id: idSchema,
  name: displayNameSchema.optional(),
  slug: slugSchema.optional(),
  timezone: timezoneSchema.optional(),
});

export type UpdateTenantCommand = z.input<typeof commandSchema>;

/** Changes a tenant's name, slug or time zone (its admins, through the gateway); publishes tenant_updated. */
export class UpdateTenantUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: UpdateTenantCommand): Promise<Tenant> {
    const { id, ...patch } = parseCommand(commandSchema, input);
    return this.deps.uow.run(async (scope) => {
      if (!(await scope.tenants.lock(id))) throw notFound('tenant');
      const current = (await scope.tenants.findById(id))!;
      if (
        patch.slug !== undefined &&
        patch.slug !== current.slug &&
        (await scope.tenants.slugTaken(patch.slug, id))
      ) {
        throw slugTaken();
      }
      const changed = Object.entries(patch).some(
        ([key, value]) => value !== undefined && value !== current[key as keyof typeof patch],
      );
      if (!changed) return current;
      const tenant = await scope.tenants.update(id, patch);
      await scope.events.add(tenantCreatedEvent(tenant, 'tenantUpdated'));
      return tenant;
    });
  }
}
