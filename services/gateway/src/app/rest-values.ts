import { TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES, commonV1 } from '@helpdesk/contracts';

export { TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES };

// Values shared by the REST shapes; kept here so that schemas and mappers agree.
export const TICKET_SORTS = [
  '-openedAt',
  'openedAt',
  '-updatedAt',
  'updatedAt',
  '-priority',
  'priority',
  '-number',
  'number',
  'relevance',
] as const;
/** Statuses an SLA policy may pause its clocks in (resolved and closed stop them instead). */
export const SLA_PAUSABLE_STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
] as const;
export const SLA_STATES = ['running', 'paused', 'met', 'breached'] as const;
export const USER_ROLES = ['admin', 'agent'] as const;
export const PORTAL_ACCESS_LEVELS = ['none', 'own', 'client'] as const;
export const ACTOR_KINDS = ['user', 'api_key', 'contact', 'system', 'automation'] as const;
export const REPORT_GROUPS = ['client', 'user'] as const;
export const REPORT_FORMATS = ['json', 'csv'] as const;
export const ROUNDING_MODES = ['up', 'nearest', 'down'] as const;

export type ActorKind = (typeof ACTOR_KINDS)[number];

export function actorKind(type: commonV1.ActorType): ActorKind | null {
  switch (type) {
    case commonV1.ActorType.ACTOR_TYPE_USER:
      return 'user';
    case commonV1.ActorType.ACTOR_TYPE_API_KEY:
      return 'api_key';
    case commonV1.ActorType.ACTOR_TYPE_CONTACT:
      return 'contact';
    case commonV1.ActorType.ACTOR_TYPE_SYSTEM:
      return 'system';
    case commonV1.ActorType.ACTOR_TYPE_AUTOMATION:
      return 'automation';
    case commonV1.ActorType.ACTOR_TYPE_UNSPECIFIED:
    case commonV1.ActorType.UNRECOGNIZED:
      return null;
  }
}

export function isoOrNull(date: Date | undefined): string | null {
  return date ? date.toISOString() : null;
}

// proto3 strings cannot be absent: an empty string is "not set".
export function emptyToNull(value: string): string | null {
  return value === '' ? null : value;
}
