// The facts identity publishes (docs/product/events.md): catalog events whose data is the events.proto message.
import type { DomainEvent, Tenant, User } from './ports';

export function tenantCreatedEvent(
  tenant: Tenant,
  type: 'tenantCreated' | 'tenantUpdated' = 'tenantCreated',
): DomainEvent {
  return {
    type: type === 'tenantCreated' ? 'helpdesk.identity.tenant_created' : 'helpdesk.identity.tenant_updated',
    tenantId: tenant.id,
    data: { tenantId: tenant.id, name: tenant.name, timezone: tenant.timezone, slug: tenant.slug },
  };
}

export function userChangedEvent(type: 'userCreated' | 'userUpdated', user: User): DomainEvent {
  return {
    type: type === 'userCreated' ? 'helpdesk.identity.user_created' : 'helpdesk.identity.user_updated',
    tenantId: user.tenantId,
    data: {
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      handle: user.handle,
      active: user.active,
    },
  };
}
