// REST ↔ SlaService: proto3 has no null and no "absent" for plain fields, so REST's null becomes '' and an
// absent PATCH field stays unset on the optional proto fields.
import type { slaV1, ticketV1 } from '@helpdesk/contracts';
import { TICKET_PRIORITIES, emptyToNull, isoOrNull } from '../../../app/rest-values';
import { toPageRequest, type PageQuery } from '../../../app/pagination';
import type { z } from 'zod';
import type {
  calendarSchema,
  createCalendarBodySchema,
  createPolicyBodySchema,
  policySchema,
  ticketSlaSchema,
  updateCalendarBodySchema,
  updatePolicyBodySchema,
} from '../schemas/sla.schema';
import type { UpdateTarget } from './update-target';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
type Range = [string, string];
type Week = Record<Weekday, Range[]>;
type Priority = (typeof TICKET_PRIORITIES)[number];

/** A calendar as the REST API shows it (docs/product/sla.md). */
export type CalendarDto = z.input<typeof calendarSchema>;

function toWeek(hours: slaV1.WeeklyHours | undefined): Week {
  const week = {} as Week;
  for (const day of WEEKDAYS) week[day] = (hours?.[day] ?? []).map((r) => [r.start, r.end]);
  return week;
}

function toProtoWeek(hours: Partial<Record<Weekday, Range[]>>): slaV1.WeeklyHours {
  const week = {} as slaV1.WeeklyHours;
  for (const day of WEEKDAYS) week[day] = (hours[day] ?? []).map(([start, end]) => ({ start, end }));
  return week;
}

export function toCalendarDto(c: slaV1.Calendar): CalendarDto {
  return {
    id: c.id,
    name: c.name,
    timezone: c.timezone,
    hours: toWeek(c.hours),
    holidays: c.holidays,
    createdAt: isoOrNull(c.createdAt),
    updatedAt: isoOrNull(c.updatedAt),
    version: c.version,
  };
}

export type CalendarInput = z.output<typeof createCalendarBodySchema>;

export function toCreateCalendarRequest(
  tenantId: string,
  actor: slaV1.CreateCalendarRequest['actor'],
  body: CalendarInput,
): slaV1.CreateCalendarRequest {
  return {
    tenantId,
    actor,
    name: body.name,
    timezone: body.timezone,
    hours: toProtoWeek(body.hours),
    holidays: body.holidays ?? [],
  };
}

export type CalendarPatch = z.output<typeof updateCalendarBodySchema>;

export function toUpdateCalendarRequest(
  target: UpdateTarget,
  patch: CalendarPatch,
): slaV1.UpdateCalendarRequest {
  return {
    ...target,
    name: patch.name,
    timezone: patch.timezone,
    hours: patch.hours === undefined ? undefined : toProtoWeek(patch.hours),
    holidays: patch.holidays === undefined ? undefined : { dates: patch.holidays },
  };
}

type TargetDto = PolicyDto['targets'][Priority];

export type PolicyMatchDto = PolicyDto['match'];

/** A policy as the REST API shows it (docs/product/sla.md). */
export type PolicyDto = z.input<typeof policySchema>;

const target = (t: slaV1.PriorityTarget | undefined): TargetDto => ({
  firstResponseMinutes: t?.firstResponseMinutes ?? 0,
  resolutionMinutes: t?.resolutionMinutes ?? 0,
});

// docs/product/sla.md shows the match criteria as optional: an empty one is left out
function toMatchDto(match: slaV1.PolicyMatch | undefined): PolicyMatchDto {
  const dto: PolicyMatchDto = {};
  if (match?.clientIds.length) dto.clientIds = match.clientIds;
  if (match?.priorities.length) dto.priorities = match.priorities;
  if (match?.types.length) dto.types = match.types;
  return dto;
}

export function toPolicyDto(p: slaV1.Policy): PolicyDto {
  return {
    id: p.id,
    name: p.name,
    calendarId: emptyToNull(p.calendarId),
    targets: {
      critical: target(p.targets?.critical),
      high: target(p.targets?.high),
      medium: target(p.targets?.medium),
      low: target(p.targets?.low),
    },
    pauseStatuses: p.pauseStatuses,
    warnAtPercent: p.warnAtPercent,
    match: toMatchDto(p.match),
    isDefault: p.isDefault,
    createdAt: isoOrNull(p.createdAt),
    updatedAt: isoOrNull(p.updatedAt),
    version: p.version,
  };
}

const toProtoMatch = (m: PolicyMatchDto): slaV1.PolicyMatch => ({
  clientIds: m.clientIds ?? [],
  priorities: m.priorities ?? [],
  types: m.types ?? [],
});

export type PolicyInput = z.output<typeof createPolicyBodySchema>;

export function toCreatePolicyRequest(
  tenantId: string,
  actor: slaV1.CreatePolicyRequest['actor'],
  body: PolicyInput,
): slaV1.CreatePolicyRequest {
  return {
    tenantId,
    actor,
    name: body.name,
    calendarId: body.calendarId ?? '',
    targets: body.targets,
    pauseStatuses: body.pauseStatuses,
    warnAtPercent: body.warnAtPercent,
    match: toProtoMatch(body.match),
    isDefault: body.isDefault,
  };
}

export type PolicyPatch = z.output<typeof updatePolicyBodySchema>;

export function toUpdatePolicyRequest(target: UpdateTarget, patch: PolicyPatch): slaV1.UpdatePolicyRequest {
  return {
    ...target,
    name: patch.name,
    calendarId: patch.calendarId === undefined ? undefined : (patch.calendarId ?? ''),
    targets: patch.targets,
    pauseStatuses: patch.pauseStatuses === undefined ? undefined : { statuses: patch.pauseStatuses },
    warnAtPercent: patch.warnAtPercent,
    match: patch.match === undefined ? undefined : toProtoMatch(patch.match),
    isDefault: patch.isDefault,
  };
}

export function toListRequest(tenantId: string, query: PageQuery) {
  return { tenantId, page: toPageRequest(query) };
}

type TargetStateDto = TicketSlaDto['firstResponse'];

/** The `sla` of a ticket (docs/product/sla.md); the ticket DTO can show the same object once the ticket service stores it. */
export type TicketSlaDto = z.input<typeof ticketSlaSchema>;

const targetState = (t: ticketV1.SlaTargetState | undefined): TargetStateDto => ({
  state: t?.state ?? '',
  breachedAt: isoOrNull(t?.breachedAt),
  metAt: isoOrNull(t?.metAt),
});

export function toTicketSlaDto(sla: ticketV1.TicketSla): TicketSlaDto {
  return {
    policyId: sla.policyId,
    firstResponseDueAt: isoOrNull(sla.firstResponseDueAt),
    resolutionDueAt: isoOrNull(sla.resolutionDueAt),
    firstResponse: targetState(sla.firstResponse),
    resolution: targetState(sla.resolution),
    warning: sla.warning,
  };
}
