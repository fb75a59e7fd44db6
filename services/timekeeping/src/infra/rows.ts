// Database rows → domain objects, shared by the reader and the transaction.
import type { EntryView, TicketInfo, TimeEntry } from '../domain/entry';
import type { RunningTimer } from '../domain/timer';
import type {
  RunningTimer as TimerRow,
  TimeEntry as EntryRow,
  TrackedTicket as TicketRow,
} from './prisma/generated/client';

export function toTicketInfo(row: TicketRow): TicketInfo {
  return {
    tenantId: row.tenantId,
    id: row.id,
    number: row.number,
    title: row.title,
    clientId: row.clientId,
    version: row.version,
  };
}

// Field by field both ways (row → entry, and an entry view → the row's columns), so no extra field slips through.
export function toEntry(row: EntryRow | TimeEntry): TimeEntry {
  return {
    id: row.id,
    tenantId: row.tenantId,
    ticketId: row.ticketId,
    userId: row.userId,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    durationMinutes: row.durationMinutes,
    note: row.note,
    billable: row.billable,
    workType: row.workType,
    flagged: row.flagged,
    flagReason: row.flagReason,
    source: row.source,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

export function toEntryView(row: EntryRow & { ticket: TicketRow }): EntryView {
  return {
    ...toEntry(row),
    clientId: row.ticket.clientId,
    ticketNumber: row.ticket.number,
    ticketTitle: row.ticket.title,
  };
}

export function toTimer(row: TimerRow): RunningTimer {
  return {
    id: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    ticketId: row.ticketId,
    startedAt: row.startedAt,
    note: row.note,
    billable: row.billable,
    workType: row.workType,
  };
}
