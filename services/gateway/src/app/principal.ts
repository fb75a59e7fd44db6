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

/** The platform operator (HELPDESK_OPERATOR_TOKEN); belongs to no tenant. */
export interface OperatorPrincipal {
  readonly actor: 'OPERATOR';
}

export type TenantPrincipal = UserPrincipal | ApiKeyPrincipal;
export type Principal = TenantPrincipal | OperatorPrincipal;

export function principalId(principal: Principal): string {
  switch (principal.actor) {
    case 'USER':
      return principal.userId;
    case 'API_KEY':
      return principal.apiKeyId;
    case 'OPERATOR':
      return 'operator';
  }
}

// The operator has no tenant; `-` cannot collide with a tenant id (uuid).
export function principalTenant(principal: Principal): string {
  return principal.actor === 'OPERATOR' ? '-' : principal.tenantId;
}

export function toActor(principal: TenantPrincipal): commonV1.Actor {
  return principal.actor === 'USER'
    ? { type: commonV1.ActorType.ACTOR_TYPE_USER, id: principal.userId }
    : { type: commonV1.ActorType.ACTOR_TYPE_API_KEY, id: principal.apiKeyId };
}
