// Domain calendars, policies and SLA views ↔ the published contract, shared by the gRPC handlers and the events.
import type { slaV1, ticketV1 } from '@helpdesk/contracts';
import type { CalendarRecord } from '../app/ports';
import {
  WEEKDAYS,
  type BusinessCalendar,
  type Policy,
  type SlaView,
  type TargetView,
  type Weekday,
} from '../domain';

export function toProtoHours(hours: BusinessCalendar['hours']): slaV1.WeeklyHours {
  const out = {} as Record<Weekday, slaV1.TimeRange[]>;
  for (const day of WEEKDAYS) out[day] = (hours[day] ?? []).map(([start, end]) => ({ start, end }));
  return out;
}

/** The proto week as the domain's `{mon: [["08:00","18:00"]], …}`, for validation by the calendar schema. */
export function fromProtoHours(
  hours: slaV1.WeeklyHours | undefined,
): Record<Weekday, Array<[string, string]>> {
  const out = {} as Record<Weekday, Array<[string, string]>>;
  for (const day of WEEKDAYS) out[day] = (hours?.[day] ?? []).map((r) => [r.start, r.end]);
  return out;
}

export function toProtoCalendar(c: CalendarRecord): slaV1.Calendar {
  return {
    id: c.id,
    tenantId: c.tenantId,
    name: c.name,
    timezone: c.timezone,
    hours: toProtoHours(c.hours),
    holidays: [...c.holidays],
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    version: c.version,
  };
}

export function toProtoPolicy(p: Policy): slaV1.Policy {
  return {
    id: p.id,
    tenantId: p.tenantId,
    name: p.name,
    calendarId: p.calendarId ?? '',
    targets: {
      critical: { ...p.targets.critical },
      high: { ...p.targets.high },
      medium: { ...p.targets.medium },
      low: { ...p.targets.low },
    },
    pauseStatuses: [...p.pauseStatuses],
    warnAtPercent: p.warnAtPercent,
    match: {
      clientIds: [...p.match.clientIds],
      priorities: [...p.match.priorities],
      types: [...p.match.types],
    },
    isDefault: p.isDefault,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

function toProtoTarget(t: TargetView): ticketV1.SlaTargetState {
  return { state: t.state, breachedAt: t.breachedAt ?? undefined, metAt: t.metAt ?? undefined };
}

/** The ticket's `sla` (helpdesk.ticket.v1.TicketSla) as the ticket service stores it. */
export function toProtoTicketSla(view: SlaView): ticketV1.TicketSla {
  return {
    policyId: view.policyId,
    firstResponseDueAt: view.firstResponseDueAt ?? undefined,
    resolutionDueAt: view.resolutionDueAt ?? undefined,
    firstResponse: toProtoTarget(view.firstResponse),
    resolution: toProtoTarget(view.resolution),
    warning: view.warning,
  };
}
