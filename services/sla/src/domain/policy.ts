// SLA policies (docs/product/sla.md): targets per priority, the statuses that pause the clocks, the warning point, and
// which policy a ticket gets. Pure rules; no I/O.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { BusinessCalendar, Weekday } from './calendar';

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Statuses a ticket can wait in; `resolved` and `closed` stop the clocks instead of pausing them. */
export const PAUSABLE_STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
] as const;
export type PausableStatus = (typeof PAUSABLE_STATUSES)[number];

/** Statuses in which a ticket counts as resolved: its resolution target is fulfilled. */
export const DONE_STATUSES: readonly string[] = ['resolved', 'closed'];

/** The longest target: a year of business minutes. */
export const MAX_TARGET_MINUTES = 525_600;

export interface PriorityTarget {
  readonly firstResponseMinutes: number;
  readonly resolutionMinutes: number;
}

export type PolicyTargets = Readonly<Record<Priority, PriorityTarget>>;

/** Empty lists do not restrict; a match without any criterion applies only through a client's policy. */
export interface PolicyMatch {
  readonly clientIds: readonly string[];
  readonly priorities: readonly Priority[];
  readonly types: readonly string[];
}

/** What an admin sets on a policy. */
export interface PolicySettings {
  readonly name: string;
  /** null: 24×7. */
  readonly calendarId: string | null;
  readonly targets: PolicyTargets;
  readonly pauseStatuses: readonly PausableStatus[];
  /** 1–100; 100 raises no warning before the breach. */
  readonly warnAtPercent: number;
  readonly match: PolicyMatch;
  readonly isDefault: boolean;
}

export interface Policy extends PolicySettings {
  readonly id: string;
  readonly tenantId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

const minutes = z
  .number()
  .int('must be whole minutes')
  .min(1, 'must be at least 1 minute')
  .max(MAX_TARGET_MINUTES, `must be at most ${MAX_TARGET_MINUTES} minutes (a year)`);

const priorityTargetSchema = z.object({ firstResponseMinutes: minutes, resolutionMinutes: minutes }).strict();

const uuid = z.guid('must be a uuid').transform((v) => v.toLowerCase());
const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];

/** Validates the settable fields of a policy; issues name the field. */
export const policySettingsSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  calendarId: uuid.nullable(),
  targets: z
    .object({
      critical: priorityTargetSchema,
      high: priorityTargetSchema,
      medium: priorityTargetSchema,
      low: priorityTargetSchema,
    })
    .strict(),
  pauseStatuses: z
    .array(z.enum(PAUSABLE_STATUSES))
    .max(PAUSABLE_STATUSES.length * 2)
    .transform(unique),
  warnAtPercent: z.number().int().min(1).max(100),
  match: z
    .object({
      clientIds: z.array(uuid).max(1000).transform(unique),
      priorities: z
        .array(z.enum(PRIORITIES))
        .max(PRIORITIES.length * 2)
        .transform(unique),
      types: z.array(z.string().trim().min(1).max(100)).max(100).transform(unique),
    })
    .strict(),
  isDefault: z.boolean(),
});

/**
 * The MSP seed's default policy (docs/product/sla.md "Default policy"): 15 min /
 * 4 h, 2 h / 8 h, 8 h / 24 h, 24 h / 72 h.
 */
export function defaultPolicySettings(calendarId: string | null): PolicySettings {
  const h = 60;
  return {
    name: 'Default SLA',
    calendarId,
    targets: {
      critical: { firstResponseMinutes: 15, resolutionMinutes: 4 * h },
      high: { firstResponseMinutes: 2 * h, resolutionMinutes: 8 * h },
      medium: { firstResponseMinutes: 8 * h, resolutionMinutes: 24 * h },
      low: { firstResponseMinutes: 24 * h, resolutionMinutes: 72 * h },
    },
    pauseStatuses: ['waiting_on_customer', 'waiting_on_third_party'],
    warnAtPercent: 80,
    match: { clientIds: [], priorities: [], types: [] },
    isDefault: true,
  };
}

/**
 * The seeded business hours (docs/product/sla.md "Default policy"): Monday to Friday, 08:00–18:00 in the tenant's
 * zone. Identity validated the zone; one this host's time-zone data does not know falls back to UTC.
 */
export function defaultBusinessCalendar(timezone: string): BusinessCalendar {
  const day: Array<readonly [string, string]> = [['08:00', '18:00']];
  const closed: Array<readonly [string, string]> = [];
  const hours: Record<Weekday, ReadonlyArray<readonly [string, string]>> = {
    mon: day,
    tue: day,
    wed: day,
    thu: day,
    fri: day,
    sat: closed,
    sun: closed,
  };
  return { timezone: IANAZone.isValidZone(timezone) ? timezone : 'UTC', hours, holidays: [] };
}

export function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

/** A ticket's priority as SLA reads it: an unknown value counts as `medium`, the ticket service's default. */
export function slaPriority(value: string): Priority {
  return isPriority(value) ? value : 'medium';
}

/** What policy choice looks at. */
export interface PolicySubject {
  readonly clientId: string | null;
  readonly priority: string;
  readonly type: string | null;
}

function hasCriteria(match: PolicyMatch): boolean {
  return match.clientIds.length > 0 || match.priorities.length > 0 || match.types.length > 0;
}

function matches(match: PolicyMatch, subject: PolicySubject): boolean {
  if (!hasCriteria(match)) return false;
  if (match.clientIds.length > 0 && !(subject.clientId && match.clientIds.includes(subject.clientId)))
    return false;
  if (match.priorities.length > 0 && !(match.priorities as readonly string[]).includes(subject.priority))
    return false;
  const type = subject.type?.toLowerCase();
  if (match.types.length > 0 && !(type && match.types.some((t) => t.toLowerCase() === type))) return false;
  return true;
}

/**
 * The policy a ticket gets: its client's policy when the client names one of the tenant's policies; otherwise
 * the first policy (in `policies` order, oldest first) whose match criteria all hold; otherwise the default.
 * Undefined when the tenant has no policy that applies.
 */
export function selectPolicy<P extends Policy>(
  policies: readonly P[],
  subject: PolicySubject,
  clientPolicyId: string | null,
): P | undefined {
  if (clientPolicyId) {
    const own = policies.find((p) => p.id === clientPolicyId);
    if (own) return own;
  }
  return policies.find((p) => !p.isDefault && matches(p.match, subject)) ?? policies.find((p) => p.isDefault);
}
