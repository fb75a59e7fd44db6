// The facts identity publishes (SPEC §10); data is the proto JSON of events.proto.
import { TenantCreatedEvent, UserChangedEvent } from '@helpdesk/contracts/identity/v1/events';
import type { DomainEvent, Tenant, User } from './ports';

export const IDENTITY_EVENT_TYPES = {
  tenantCreated: 'helpdesk.identity.tenant_created',
  tenantUpdated: 'helpdesk.identity.tenant_updated',
  userCreated: 'helpdesk.identity.user_created',
  userUpdated: 'helpdesk.identity.user_updated',
} as const;

export function tenantCreatedEvent(tenant: Tenant, type: 'tenantCreated' | 'tenantUpdated' = 'tenantCreated'): DomainEvent {
  return {
    type: IDENTITY_EVENT_TYPES[type],
    tenantId: tenant.id,
    data: TenantCreatedEvent.toJSON({ tenantId: tenant.id, name: tenant.name, timezone: tenant.timezone, slug: tenant.slug }),
  };
}

export function userChangedEvent(type: 'userCreated' | 'userUpdated', user: User): DomainEvent {
  return {
    type: IDENTITY_EVENT_TYPES[type],
    tenantId: user.tenantId,
    data: UserChangedEvent.toJSON({
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      handle: user.handle,
      active: user.active,
    }),
  };
}
