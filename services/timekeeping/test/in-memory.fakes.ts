// In-memory adapters of the ports for use-case specs. A transaction works on a copy of the state and
// replaces it only when the work resolves, so specs observe rollback the way PostgreSQL would behave.
import type { EntryView, TicketInfo, TimeEntry } from '../src/domain/entry';
import { defaultTimeSettings, type TimeSettings } from '../src/domain/settings';
import type { RunningTimer } from '../src/domain/timer';
import {
  TimerAlreadyRunningError,
  type Clock,
  type ListEntriesQuery,
  type OutboxNotifier,
  type ReportQuery,
  type TicketCatalog,
  type TimeEvent,
  type TimeReader,
  type TimerView,
  type TimeTransaction,
  type UnitOfWork,
} from '../src/app/ports';
import type { ReportBucket } from '../src/domain/report';

interface State {
  tickets: Map<string, TicketInfo & { sequence: number }>;
  timers: Map<string, RunningTimer>;
  entries: Map<string, TimeEntry>;
  settings: Map<string, TimeSettings>;
  events: TimeEvent[];
}

const key = (tenantId: string, id: string) => `${tenantId}/${id}`;

export class InMemoryTimeStore implements UnitOfWork, TimeReader, TicketCatalog {
  state: State = {
    tickets: new Map(),
    timers: new Map(),
    entries: new Map(),
    settings: new Map(),
    events: [],
  };
  /** Called inside a transaction right before a timer insert (a spec lets another start win the race). */
  beforeTimerInsert?: () => void;

  get events(): TimeEvent[] {
    return this.state.events;
  }

  async record(ticket: TicketInfo): Promise<void> {
    const current = this.state.tickets.get(key(ticket.tenantId, ticket.id));
    if (!current) this.state.tickets.set(key(ticket.tenantId, ticket.id), { ...ticket, sequence: 0 });
    else if (current.version < ticket.version) {
      this.state.tickets.set(key(ticket.tenantId, ticket.id), { ...ticket, sequence: current.sequence });
    }
  }

  async run<T>(work: (tx: TimeTransaction) => Promise<T>): Promise<T> {
    const draft: State = structuredClone(this.state);
    const timersAtStart = new Set([...this.state.timers.values()].map((t) => t.id));
    const result = await work(this.transaction(draft, timersAtStart));
    this.state = draft;
    return result;
  }

  private transaction(s: State, timersAtStart: Set<string>): TimeTransaction {
    return {
      lockTickets: async (tenantId, ids) =>
        new Map(
          ids
            .map((id) => s.tickets.get(key(tenantId, id)))
            .filter((t): t is TicketInfo & { sequence: number } => t !== undefined)
            .map(({ sequence: _sequence, ...t }) => [t.id, t]),
        ),
      nextTicketState: async (tenantId, ticketId) => {
        const ticket = s.tickets.get(key(tenantId, ticketId))!;
        ticket.sequence += 1;
        const totalMinutes = [...s.entries.values()]
          .filter((e) => e.tenantId === tenantId && e.ticketId === ticketId)
          .reduce((n, e) => n + e.durationMinutes, 0);
        return { sequence: ticket.sequence, totalMinutes };
      },
      findTimerForUpdate: async (tenantId, userId) => clone(s.timers.get(key(tenantId, userId))),
      insertTimer: async (timer) => {
        this.beforeTimerInsert?.();
        const k = key(timer.tenantId, timer.userId);
        // like the primary key: a timer in this transaction, or one another transaction committed meanwhile
        const committed = this.state.timers.get(k);
        if (s.timers.has(k) || (committed && !timersAtStart.has(committed.id))) {
          throw new TimerAlreadyRunningError();
        }
        s.timers.set(key(timer.tenantId, timer.userId), clone(timer)!);
      },
      deleteTimer: async (timer) => void s.timers.delete(key(timer.tenantId, timer.userId)),
      findEntryForUpdate: async (tenantId, id) => {
        const entry = s.entries.get(id);
        return entry && entry.tenantId === tenantId ? clone(entry)! : null;
      },
      insertEntry: async (entry) => void s.entries.set(entry.id, plainEntry(entry)),
      updateEntry: async (entry) => void s.entries.set(entry.id, plainEntry(entry)),
      deleteEntry: async (entry) => void s.entries.delete(entry.id),
      saveSettings: async (settings, previousVersion) => {
        const current = s.settings.get(settings.tenantId)?.version ?? 0;
        if (current !== previousVersion) return false;
        s.settings.set(settings.tenantId, clone(settings)!);
        return true;
      },
      enqueue: async (event) => void s.events.push(structuredClone(event)),
    };
  }

  async findEntry(tenantId: string, id: string): Promise<EntryView | null> {
    const entry = this.state.entries.get(id);
    return entry && entry.tenantId === tenantId ? this.view(entry) : null;
  }

  async listEntries(q: ListEntriesQuery): Promise<EntryView[]> {
    return [...this.state.entries.values()]
      .filter((e) => e.tenantId === q.tenantId)
      .map((e) => this.view(e))
      .filter((e) => !q.ticketId || e.ticketId === q.ticketId)
      .filter((e) => !q.userId || e.userId === q.userId)
      .filter((e) => !q.clientId || e.clientId === q.clientId)
      .filter((e) => q.billable === undefined || e.billable === q.billable)
      .filter((e) => inPeriod(e, q))
      .filter((e) => !q.after || newestFirst(e, { startedAt: q.after.at, id: q.after.id }) > 0)
      .sort(newestFirst)
      .slice(0, q.limit);
  }

  async findTimer(tenantId: string, userId: string): Promise<TimerView | null> {
    const timer = this.state.timers.get(key(tenantId, userId));
    if (!timer) return null;
    const ticket = this.state.tickets.get(key(tenantId, timer.ticketId))!;
    return {
      ...clone(timer)!,
      clientId: ticket.clientId,
      ticketNumber: ticket.number,
      ticketTitle: ticket.title,
    };
  }

  async reportBuckets(q: ReportQuery): Promise<ReportBucket[]> {
    return [...this.state.entries.values()]
      .filter((e) => e.tenantId === q.tenantId && inPeriod(e, q))
      .map((e) => this.view(e))
      .map((e) => ({
        key: q.groupBy === 'client' ? e.clientId : e.userId,
        billable: e.billable,
        flagged: e.flagged,
        durationMinutes: e.durationMinutes,
        entries: 1,
      }));
  }

  async flaggedEntries(q: ReportQuery, limit: number): Promise<{ items: EntryView[]; count: number }> {
    const all = [...this.state.entries.values()]
      .filter((e) => e.tenantId === q.tenantId && e.flagged && inPeriod(e, q))
      .sort((a, b) => -newestFirst(a, b))
      .map((e) => this.view(e));
    return { items: all.slice(0, limit), count: all.length };
  }

  async settings(tenantId: string): Promise<TimeSettings> {
    return clone(this.state.settings.get(tenantId)) ?? defaultTimeSettings(tenantId);
  }

  private view(entry: TimeEntry): EntryView {
    const ticket = this.state.tickets.get(key(entry.tenantId, entry.ticketId))!;
    return {
      ...clone(entry)!,
      clientId: ticket.clientId,
      ticketNumber: ticket.number,
      ticketTitle: ticket.title,
    };
  }
}

function clone<T>(value: T | undefined): T | null {
  return value === undefined ? null : structuredClone(value);
}

// what the database keeps of a view: the entry's own columns
function plainEntry(entry: TimeEntry): TimeEntry {
  const { clientId: _c, ticketNumber: _n, ticketTitle: _t, ...own } = entry as EntryView;
  return structuredClone(own);
}

function inPeriod(e: { startedAt: Date }, q: { from?: Date | undefined; to?: Date | undefined }): boolean {
  return (!q.from || e.startedAt >= q.from) && (!q.to || e.startedAt < q.to);
}

// newest first: startedAt desc, then id desc
function newestFirst(a: { startedAt: Date; id: string }, b: { startedAt: Date; id: string }): number {
  const byTime = b.startedAt.getTime() - a.startedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class SettableClock implements Clock {
  constructor(public current = new Date('2026-03-10T08:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

export class CountingNotifier implements OutboxNotifier {
  nudges = 0;
  nudge(): void {
    this.nudges += 1;
  }
}

let counter = 0;
/** Distinct uuids in creation order (readable in failures). */
export const sequentialIds = {
  newId: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
};
