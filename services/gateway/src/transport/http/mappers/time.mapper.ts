// REST ↔ TimekeepingService. proto3 has no null: '' in a proto string is null in REST.
import type { timekeepingV1 } from '@helpdesk/contracts';
import { toCsv } from '../../../app/csv';
import { GatewayError } from '../../../app/errors';
import { toPageRequest, type PageQuery } from '../../../app/pagination';
import { toActor, type TenantPrincipal } from '../../../app/principal';
import { emptyToNull, isoOrNull } from '../../../app/rest-values';
import type { TicketPort } from '../../../app/ports';
import type { z } from 'zod';
import type {
  createTimeEntryBodySchema,
  timeEntrySchema,
  timerSchema,
  timeReportSchema,
  timeSettingsSchema,
  updateTimeEntryBodySchema,
} from '../schemas/time.schema';

/** A time entry as the REST API shows it (docs/product/time-tracking.md, plus flag, source, ticket number and title, version). */
export type TimeEntryDto = z.input<typeof timeEntrySchema>;

export type TimerDto = z.input<typeof timerSchema>;

// Entries and timers always have their instants; a missing one is a broken answer, never a null to show.
function iso(date: Date | undefined, what: string): string {
  if (!date) throw new GatewayError('INTERNAL', `Timekeeping service returned no ${what}`);
  return date.toISOString();
}

export function toTimeEntryDto(entry: timekeepingV1.TimeEntry): TimeEntryDto {
  return {
    id: entry.id,
    ticketId: entry.ticketId,
    userId: entry.userId,
    clientId: emptyToNull(entry.clientId),
    startedAt: iso(entry.startedAt, 'entry start'),
    endedAt: iso(entry.endedAt, 'entry end'),
    durationMinutes: entry.durationMinutes,
    note: entry.note,
    billable: entry.billable,
    workType: emptyToNull(entry.workType),
    flagged: entry.flagged,
    flagReason: emptyToNull(entry.flagReason),
    source: entry.source,
    ticketNumber: entry.ticketNumber,
    ticketTitle: entry.ticketTitle,
    createdAt: isoOrNull(entry.createdAt),
    updatedAt: isoOrNull(entry.updatedAt),
    version: entry.version,
  };
}

export function toTimerDto(timer: timekeepingV1.Timer): TimerDto {
  return {
    id: timer.id,
    ticketId: timer.ticketId,
    userId: timer.userId,
    clientId: emptyToNull(timer.clientId),
    startedAt: iso(timer.startedAt, 'timer start'),
    note: timer.note,
    billable: timer.billable,
    workType: emptyToNull(timer.workType),
    elapsedMinutes: timer.elapsedMinutes,
    flagged: timer.flagged,
    flagReason: emptyToNull(timer.flagReason),
    ticketNumber: timer.ticketNumber,
    ticketTitle: timer.ticketTitle,
  };
}

/** Who calls timekeeping: the principal and whether it is a tenant admin (admins change anyone's entries). */
export function toCaller(principal: TenantPrincipal): timekeepingV1.Caller {
  return { actor: toActor(principal), admin: principal.actor === 'USER' && principal.role === 'admin' };
}

/** The caller's own user id; an API key has no timer or time of its own. */
export function callerUserId(principal: TenantPrincipal): string {
  if (principal.actor !== 'USER') {
    throw new GatewayError('PERMISSION_DENIED', 'Only a signed-in user has a timer and time of their own');
  }
  return principal.userId;
}

/**
 * The ticket as the ticket service shows it to the caller's tenant (NOT_FOUND, so 404, for another tenant's),
 * reduced to what timekeeping keeps of it.
 */
export async function readTicketSnapshot(
  tickets: TicketPort,
  tenantId: string,
  ticketId: string,
): Promise<timekeepingV1.TicketSnapshot> {
  const { ticket } = await tickets.getTicket({ tenantId, id: ticketId, number: 0 });
  if (!ticket) throw new GatewayError('NOT_FOUND', 'ticket not found');
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    clientId: ticket.clientId,
    version: ticket.version,
  };
}

const toDate = (value: string | undefined): Date | undefined =>
  value === undefined ? undefined : new Date(value);

export type TimeEntryInput = z.output<typeof createTimeEntryBodySchema>;

export function toCreateEntryRequest(
  tenantId: string,
  principal: TenantPrincipal,
  ticket: timekeepingV1.TicketSnapshot,
  body: TimeEntryInput,
): timekeepingV1.CreateEntryRequest {
  return {
    tenantId,
    caller: toCaller(principal),
    userId: body.userId ?? '',
    ticket,
    startedAt: toDate(body.startedAt),
    endedAt: toDate(body.endedAt),
    durationMinutes: body.durationMinutes,
    note: body.note ?? '',
    workType: body.workType ?? '',
    billable: body.billable,
  };
}

export type TimeEntryPatch = z.output<typeof updateTimeEntryBodySchema>;

export function toUpdateEntryRequest(
  tenantId: string,
  principal: TenantPrincipal,
  id: string,
  expectedVersion: number | undefined,
  patch: TimeEntryPatch,
): timekeepingV1.UpdateEntryRequest {
  return {
    tenantId,
    caller: toCaller(principal),
    id,
    expectedVersion,
    startedAt: toDate(patch.startedAt),
    endedAt: toDate(patch.endedAt),
    durationMinutes: patch.durationMinutes,
    note: patch.note,
    billable: patch.billable,
    // '' clears the work type
    workType: patch.workType === undefined ? undefined : (patch.workType ?? ''),
  };
}

export interface TimeEntryFilters {
  ticketId?: string | undefined;
  clientId?: string | undefined;
  userId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  billable?: boolean | undefined;
}

export function toListEntriesRequest(
  tenantId: string,
  filters: TimeEntryFilters,
  page: PageQuery,
): timekeepingV1.ListEntriesRequest {
  return {
    tenantId,
    page: toPageRequest(page),
    ticketId: filters.ticketId ?? '',
    clientId: filters.clientId ?? '',
    userId: filters.userId ?? '',
    from: filters.from,
    to: filters.to,
    billable: filters.billable,
  };
}

export type TimeSettingsDto = z.input<typeof timeSettingsSchema>;

export function toTimeSettingsDto(settings: timekeepingV1.TimeSettings): TimeSettingsDto {
  return {
    billableRounding: { minutes: settings.rounding?.minutes ?? 0, mode: settings.rounding?.mode ?? 'up' },
    version: settings.version,
    updatedAt: isoOrNull(settings.updatedAt),
  };
}

type Group = TimeReportDto['groupBy'];
type ReportItem = TimeReportDto['items'][number];

function reportItem(groupBy: Group, row: timekeepingV1.TimeReportRow): ReportItem {
  const minutes = {
    billableMinutes: row.billableMinutes,
    nonBillableMinutes: row.nonBillableMinutes,
    flaggedMinutes: row.flaggedMinutes,
  };
  return groupBy === 'client'
    ? { clientId: emptyToNull(row.key), ...minutes }
    : { userId: row.key, ...minutes };
}

export type TimeReportDto = z.input<typeof timeReportSchema>;

export function toTimeReportDto(
  query: { groupBy: Group; from?: Date | undefined; to?: Date | undefined },
  report: timekeepingV1.GetTimeReportResponse,
): TimeReportDto {
  return {
    groupBy: query.groupBy,
    from: isoOrNull(query.from),
    to: isoOrNull(query.to),
    billableRounding: { minutes: report.rounding?.minutes ?? 0, mode: report.rounding?.mode ?? 'up' },
    items: report.rows.map((row) => reportItem(query.groupBy, row)),
    totals: {
      billableMinutes: report.totals?.billableMinutes ?? 0,
      nonBillableMinutes: report.totals?.nonBillableMinutes ?? 0,
      flaggedMinutes: report.totals?.flaggedMinutes ?? 0,
    },
    flagged: report.flagged.map(toTimeEntryDto),
    flaggedCount: report.flaggedCount,
  };
}

/** The report's rows as CSV: `clientId` or `userId`, then the minutes; an empty clientId is "no client". */
export function timeReportCsv(report: TimeReportDto): string {
  const key = report.groupBy === 'client' ? 'clientId' : 'userId';
  return toCsv(
    [key, 'billableMinutes', 'nonBillableMinutes', 'flaggedMinutes'],
    report.items.map((item) => [
      'clientId' in item ? item.clientId : item.userId,
      item.billableMinutes,
      item.nonBillableMinutes,
      item.flaggedMinutes,
    ]),
  );
}
