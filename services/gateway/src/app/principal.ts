import { commonV1 } from '@helpdesk/contracts';

export type Role = 'admin' | 'agent';

/** A signed-in agent or admin (from a session JWT). */
export interface UserPrincipal {
  readonly actor: 'USER';
  readonly tenantId: string;
  readonly userId: string;
  readonly role: Role;
}

/** An integration using a tenant API key; API keys act as agents, never as admins. */
export interface ApiKeyPrincipal {
  readonly actor: 'API_KEY';
  readonly tenantId: string;
  readonly apiKeyId: string;
  readonly role: 'agent';
}

/** A customer contact signed in to the portal (docs/product/portal.md); sees only what its portal access allows. */
export interface ContactPrincipal {
  readonly actor: 'CONTACT';
  readonly tenantId: string;
  readonly contactId: string;
}

/** The platform operator (HELPDESK_OPERATOR_TOKEN); belongs to no tenant. */
export interface OperatorPrincipal {
  readonly actor: 'OPERATOR';
}

export type TenantPrincipal = UserPrincipal | ApiKeyPrincipal;
export type Principal = TenantPrincipal | ContactPrincipal | OperatorPrincipal;

export function principalId(principal: Principal): string {
  switch (principal.actor) {
    case 'USER':
      return principal.userId;
    case 'API_KEY':
      return principal.apiKeyId;
    case 'CONTACT':
      return principal.contactId;
    case 'OPERATOR':
      return 'operator';
  }
}

// The operator has no tenant; `-` cannot collide with a tenant id (uuid).
export function principalTenant(principal: Principal): string {
  return principal.actor === 'OPERATOR' ? '-' : principal.tenantId;
}

export function toActor(principal: TenantPrincipal | ContactPrincipal): commonV1.Actor {
  switch (principal.actor) {
    case 'USER':
      return { type: commonV1.ActorType.ACTOR_TYPE_USER, id: principal.userId };
    case 'API_KEY':
      return { type: commonV1.ActorType.ACTOR_TYPE_API_KEY, id: principal.apiKeyId };
    case 'CONTACT':
      return { type: commonV1.ActorType.ACTOR_TYPE_CONTACT, id: principal.contactId };
  }
}

/** The platform itself (public web form): no principal behind it. */
export const SYSTEM_ACTOR: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' };
