import { defaultBusinessCalendar, defaultPolicySettings, type Policy } from '../domain';
import type { CalendarRecord, IdGenerator, TenantDefaultsWriter, TimeSource } from './ports';

export const DEFAULT_CALENDAR_NAME = 'Business hours';

/**
 * The seed for a new tenant (docs/product/sla.md "Default policy"): a calendar Monday–Friday 08:00–18:00 in the
 * tenant's zone and the default policy on it. Written once per tenant; a repeated tenant_created changes nothing.
 */
export class SeedTenantDefaultsUseCase {
  constructor(
    private readonly deps: { defaults: TenantDefaultsWriter; clock: TimeSource; ids: IdGenerator },
  ) {}

  async execute(tenant: { tenantId: string; timezone: string }): Promise<boolean> {
    const now = this.deps.clock.now();
    const calendar: CalendarRecord = {
      ...defaultBusinessCalendar(tenant.timezone),
      id: this.deps.ids.newId(),
      tenantId: tenant.tenantId,
      name: DEFAULT_CALENDAR_NAME,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const policy: Policy = {
      ...defaultPolicySettings(calendar.id),
      id: this.deps.ids.newId(),
      tenantId: tenant.tenantId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    return this.deps.defaults.seed(
      { tenantId: tenant.tenantId, timezone: calendar.timezone },
      calendar,
      policy,
    );
  }
}
