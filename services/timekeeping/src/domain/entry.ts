// A time entry (docs/product/time-tracking.md) and the rules of changing one.
import { normalizeNote, normalizeWorkType, resolveSpan, type SpanInput } from './time-rules';

export const ENTRY_SOURCES = ['timer', 'manual'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

/** What timekeeping knows of a ticket (from the ticket events and the gateway's snapshots). */
export interface TicketInfo {
  tenantId: string;
  id: string;
  number: number;
  title: string;
  clientId: string | null;
  /** The ticket's own version this copy reflects; the newest copy wins. */
  version: number;
}

export interface TimeEntry {
  id: string;
  tenantId: string;
  ticketId: string;
  userId: string;
  startedAt: Date;
  endedAt: Date;
  durationMinutes: number;
  note: string;
  billable: boolean;
  workType: string | null;
  flagged: boolean;
  flagReason: string | null;
  source: EntrySource;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** An entry as read: with its ticket's current client, number and title. */
export interface EntryView extends TimeEntry {
  clientId: string | null;
  ticketNumber: number;
  ticketTitle: string;
}

export interface EntryPatch {
  startedAt?: Date | undefined;
  endedAt?: Date | undefined;
  durationMinutes?: number | undefined;
  note?: string | undefined;
  billable?: boolean | undefined;
  /** null (or empty) clears it. */
  workType?: string | null | undefined;
}

/**
 * The entry after `patch`. Time fields the patch leaves out are taken from the entry so that one given field
 * moves sensibly: a new start or end keeps the other end, a new duration keeps the start. Setting `billable` or
 * the times is the review of a flagged entry and clears its flag.
 */
export function applyEntryPatch<T extends TimeEntry>(entry: T, patch: EntryPatch, now: Date): T {
  const timesChanged =
    patch.startedAt !== undefined || patch.endedAt !== undefined || patch.durationMinutes !== undefined;
  const span = timesChanged ? resolveSpan(fillSpan(entry, patch), now) : entry;
  const reviewed = timesChanged || patch.billable !== undefined;
  return {
    ...entry,
    startedAt: span.startedAt,
    endedAt: span.endedAt,
    durationMinutes: span.durationMinutes,
    note: patch.note === undefined ? entry.note : normalizeNote(patch.note),
    workType: patch.workType === undefined ? entry.workType : normalizeWorkType(patch.workType),
    // a flagged entry was stored non-billable: a review that leaves billable out keeps it so
    billable: patch.billable ?? entry.billable,
    flagged: reviewed ? false : entry.flagged,
    flagReason: reviewed ? null : entry.flagReason,
    updatedAt: now,
    version: entry.version + 1,
  };
}

function fillSpan(entry: TimeEntry, patch: EntryPatch): SpanInput {
  const { startedAt, endedAt, durationMinutes } = patch;
  const given = [startedAt, endedAt, durationMinutes].filter((v) => v !== undefined).length;
  if (given >= 2) return { startedAt, endedAt, durationMinutes };
  if (durationMinutes !== undefined) return { startedAt: entry.startedAt, durationMinutes };
  if (startedAt !== undefined) return { startedAt, endedAt: entry.endedAt };
  return { startedAt: entry.startedAt, endedAt };
}

/** Only the entry's own user or a tenant admin may change or delete it. */
export function mayChangeEntry(
  entry: Pick<TimeEntry, 'userId'>,
  caller: { userId: string; admin: boolean },
): boolean {
  return caller.admin || entry.userId === caller.userId;
}
