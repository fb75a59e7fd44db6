// Helpers shared by the use cases: rule errors → INVALID_ARGUMENT, who the caller is, views, events, pages.
import {
  conflict,
  decodeKeysetCursor,
  internal,
  invalidArgument,
  InvalidCursorError,
  isUuid,
  notFound,
  permissionDenied,
  type KeysetPosition,
} from '@helpdesk/platform';
import type { EntryView, TicketInfo, TimeEntry } from '../domain/entry';
import { TimeRuleError } from '../domain/time-rules';
import { elapsedMinutes, timerFlag, type RunningTimer } from '../domain/timer';
import type { TimerStatus, TimerView, TimeEventType, TimeTransaction } from './ports';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Who performs a command: a user (agent or admin), or another principal (API key, system) with no user id. */
export interface Caller {
  userId: string | null;
  admin: boolean;
}

/** Runs a pure rule; its TimeRuleError becomes INVALID_ARGUMENT naming the field. */
export function ruled<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TimeRuleError) {
      throw invalidArgument(err.message, [{ path: err.field.split('.'), message: err.message }]);
    }
    throw err;
  }
}

/** Time is logged by people: an API key or the system has no timer and no entries of its own. */
export function requireUser(caller: Caller): string {
  if (!caller.userId) throw permissionDenied('Only a signed-in user can track time');
  return caller.userId;
}

/** An id that cannot exist is simply not found; passing it on would make PostgreSQL reject the uuid cast. */
export function requireUuidOrNotFound(id: string, what: string): string {
  if (!isUuid(id)) throw notFound(what);
  return id.toLowerCase();
}

/** If-Match: the caller's version must still be the stored one. */
export function checkVersion(what: string, expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) {
    throw conflict(`${what} was changed by someone else (version ${current}, not ${expected})`, {
      currentVersion: current,
    });
  }
}

export function pageArgs(
  limit: number | undefined,
  cursor: string | undefined,
): { limit: number; after: KeysetPosition | undefined } {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`limit must be between 1 and ${MAX_PAGE_SIZE}`, [
      { path: ['page', 'limit'], message: 'out of range' },
    ]);
  }
  if (!cursor) return { limit: size, after: undefined };
  try {
    return { limit: size, after: decodeKeysetCursor(cursor) };
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw invalidArgument(err.message, [{ path: ['page', 'cursor'], message: err.message }]);
    }
    throw err;
  }
}

export function ticketOf(tickets: Map<string, TicketInfo>, id: string): TicketInfo {
  const ticket = tickets.get(id);
  // the snapshot is recorded before every transaction that locks it; a missing row is our bug
  if (!ticket) throw internal('ticket copy missing');
  return ticket;
}

export function entryView(entry: TimeEntry, ticket: TicketInfo): EntryView {
  return { ...entry, clientId: ticket.clientId, ticketNumber: ticket.number, ticketTitle: ticket.title };
}

export function timerView(timer: RunningTimer, ticket: TicketInfo): TimerView {
  return { ...timer, clientId: ticket.clientId, ticketNumber: ticket.number, ticketTitle: ticket.title };
}

/** A running timer as of `now`: how long it has run and whether it is over 12 hours by then. */
export function timerStatus(timer: TimerView, now: Date): TimerStatus {
  const flag = timerFlag(timer.startedAt, now);
  return {
    ...timer,
    elapsedMinutes: elapsedMinutes(timer.startedAt, now),
    flagged: flag.flagged,
    flagReason: flag.reason,
  };
}

/** Writes an entry's event with its ticket's new total and sequence (the ticket row is locked by now). */
export async function emitEntryEvent(
  tx: TimeTransaction,
  type: Exclude<TimeEventType, 'helpdesk.time.timer_started'>,
  entry: EntryView,
  actorUserId: string,
): Promise<void> {
  const state = await tx.nextTicketState(entry.tenantId, entry.ticketId);
  await tx.enqueue({ type, tenantId: entry.tenantId, ticketId: entry.ticketId, state, actorUserId, entry });
}
