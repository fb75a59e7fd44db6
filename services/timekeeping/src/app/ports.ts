// What the use cases need from the outside world; adapters live in src/infra.
import type { KeysetPosition } from '@helpdesk/platform';
import type { EntryView, TicketInfo, TimeEntry } from '../domain/entry';
import type { ReportBucket, ReportGroup } from '../domain/report';
import type { TimeSettings } from '../domain/settings';
import type { RunningTimer } from '../domain/timer';

/** A running timer as read: with its ticket's current client, number and title. */
export interface TimerView extends RunningTimer {
  clientId: string | null;
  ticketNumber: number;
  ticketTitle: string;
}

/** A running timer at a moment: how long it has run and whether it is over 12 hours by then. */
export interface TimerStatus extends TimerView {
  elapsedMinutes: number;
  flagged: boolean;
  flagReason: string | null;
}

export interface EntryFilters {
  ticketId?: string | undefined;
  clientId?: string | undefined;
  userId?: string | undefined;
  /** Entries that started at or after. */
  from?: Date | undefined;
  /** Entries that started before. */
  to?: Date | undefined;
  billable?: boolean | undefined;
}

export interface ListEntriesQuery extends EntryFilters {
  tenantId: string;
  limit: number;
  /** The (startedAt, id) the previous page ended at. */
  after?: KeysetPosition | undefined;
}

export interface ReportQuery {
  tenantId: string;
  groupBy: ReportGroup;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Reads; every method is scoped by tenant. */
export interface TimeReader {
  findEntry(tenantId: string, id: string): Promise<EntryView | null>;
  /** Newest first (startedAt desc, id desc), at most `limit` items strictly after `after`. */
  listEntries(query: ListEntriesQuery): Promise<EntryView[]>;
  findTimer(tenantId: string, userId: string): Promise<TimerView | null>;
  /** The period's entries folded by (group key, billable, flagged, duration). */
  reportBuckets(query: ReportQuery): Promise<ReportBucket[]>;
  /** The period's flagged entries, oldest first, at most `limit`, and how many there are. */
  flaggedEntries(query: ReportQuery, limit: number): Promise<{ items: EntryView[]; count: number }>;
  settings(tenantId: string): Promise<TimeSettings>;
}

/** The total and the next event sequence of a ticket after a change. */
export interface TicketTimeState {
  totalMinutes: number;
  sequence: number;
}

export type TimeEventType =
  | 'helpdesk.time.timer_started'
  | 'helpdesk.time.timer_stopped'
  | 'helpdesk.time.entry_created'
  | 'helpdesk.time.entry_updated'
  | 'helpdesk.time.entry_deleted';

export type TimeEvent = {
  tenantId: string;
  ticketId: string;
  state: TicketTimeState;
  /** The user who acted. */
  actorUserId: string;
} & (
  | { type: 'helpdesk.time.timer_started'; timer: TimerStatus }
  | { type: Exclude<TimeEventType, 'helpdesk.time.timer_started'>; entry: EntryView }
);

/**
 * The copies of tickets timekeeping keeps. A snapshot is stored unless a copy at the same or a newer ticket
 * version is there; it commits on its own, before the command's transaction, so that transaction can lock
 * every ticket it touches in one fixed order.
 */
export interface TicketCatalog {
  record(ticket: TicketInfo): Promise<void>;
}

/** Writes inside one database transaction; everything commits or rolls back together. */
export interface TimeTransaction {
  /**
   * Locks these tickets' rows for the rest of the transaction, in a fixed order (no deadlock between two
   * transactions locking the same tickets), and answers what is known of them.
   */
  lockTickets(tenantId: string, ids: string[]): Promise<Map<string, TicketInfo>>;
  /** The ticket's total after this transaction's changes and its next event sequence (bumped). */
  nextTicketState(tenantId: string, ticketId: string): Promise<TicketTimeState>;
  /** The user's running timer; holds the user's timer lock until commit (one timer command at a time). */
  findTimerForUpdate(tenantId: string, userId: string): Promise<RunningTimer | null>;
  /** Rejects with {@link TimerAlreadyRunningError} when the user has a running timer already. */
  insertTimer(timer: RunningTimer): Promise<void>;
  deleteTimer(timer: RunningTimer): Promise<void>;
  /** The entry, locked. */
  findEntryForUpdate(tenantId: string, id: string): Promise<TimeEntry | null>;
  insertEntry(entry: TimeEntry): Promise<void>;
  updateEntry(entry: TimeEntry): Promise<void>;
  deleteEntry(entry: TimeEntry): Promise<void>;
  saveSettings(settings: TimeSettings, previousVersion: number): Promise<boolean>;
  enqueue(event: TimeEvent): Promise<void>;
}

/** One database transaction. */
export interface UnitOfWork {
  run<T>(work: (tx: TimeTransaction) => Promise<T>): Promise<T>;
}

/** Raised by a unit of work when two starts of one user's timer raced and this one lost. */
export class TimerAlreadyRunningError extends Error {
  constructor() {
    super('the user has a running timer');
    this.name = 'TimerAlreadyRunningError';
  }
}

/** Tells the outbox relay that committed events are waiting, so it need not wait for its next poll. */
export interface OutboxNotifier {
  nudge(): void;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}
