// The aggregates the reports read instead of the tickets' rows (docs/product/reports.md "How the numbers are kept",
// ADR 48): what each ticket's row adds to the counts of its client and of the whole tenant, per local day and per
// local month. A change of a row moves its contribution: the difference between what the row added before and what
// it adds after is applied in the transaction of the event, so the aggregates are always the sums over the rows.
// Pure: the day of an instant comes from the caller (the tenant's zone).
import { compact, isOpenStatus, type BacklogDelta } from './backlog';

/** The key of the tickets without a client (the aggregates' client key is part of their primary keys). */
export const NO_CLIENT = '00000000-0000-0000-0000-000000000000';
/** The key of the tenant's totals over every client (and the tickets without one). */
export const ALL_CLIENTS = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** The client key of a ticket's client. */
export const clientKey = (clientId: string | null): string => clientId ?? NO_CLIENT;

/** What a ticket's row holds that the reports count (the ticket half as its highest version, the SLA half). */
export interface CountedTicket {
  readonly status: string;
  readonly priority: string;
  readonly clientId: string | null;
  readonly openedAt: Date;
  readonly firstRespondedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly ratingScore: number | null;
  /** Whole calendar minutes from opening to the first agent public reply. */
  readonly firstResponseMinutes: number | null;
  readonly frState: string | null;
  readonly resState: string | null;
  readonly frBusinessMinutes: number | null;
}

/** The aggregates are kept per local day and per local month (a month row = the sum of its days' rows). */
export type Unit = 'day' | 'month';

/** Tickets open now of a client key, per status and priority. */
export interface OpenCount {
  readonly clientKey: string;
  readonly status: string;
  readonly priority: string;
  readonly tickets: number;
}

/** The sums of one client key on one local day (or month: `day` is its first day). */
export interface DayTotals {
  /** Tickets opened that day. */
  readonly created: number;
  /** Tickets resolved or closed now whose current `resolvedAt` falls on that day. */
  readonly resolved: number;
  /** Of the tickets opened that day: targets met and breached in the SLA service's latest state. */
  readonly frMet: number;
  readonly frBreached: number;
  readonly resMet: number;
  readonly resBreached: number;
  /** Of the tickets opened that day: rated ones and the sum of their scores. */
  readonly rated: number;
  readonly ratingSum: number;
}

export interface DayCount extends DayTotals {
  readonly clientKey: string;
  readonly unit: Unit;
  /** `YYYY-MM-DD`; for a month, its first day. */
  readonly day: string;
}

export type FirstResponseKind = 'calendar' | 'business';

/** How many tickets opened on a day (or month) of a client key had a first response of `minutes`. */
export interface FirstResponseCount {
  readonly clientKey: string;
  readonly unit: Unit;
  readonly day: string;
  readonly kind: FirstResponseKind;
  readonly minutes: number;
  readonly tickets: number;
}

/** Changes to every aggregate (or their whole content: a recount), each list in key order, none zero. */
export interface Aggregates {
  readonly open: readonly OpenCount[];
  readonly days: readonly DayCount[];
  readonly firstResponses: readonly FirstResponseCount[];
}

export const EMPTY_TOTALS: DayTotals = {
  created: 0,
  resolved: 0,
  frMet: 0,
  frBreached: 0,
  resMet: 0,
  resBreached: 0,
  rated: 0,
  ratingSum: 0,
};

const TOTAL_FIELDS = Object.keys(EMPTY_TOTALS) as Array<keyof DayTotals>;

const isZero = (t: DayTotals) => TOTAL_FIELDS.every((f) => t[f] === 0);

/** The first day of the month of a date. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

type DayOf = (instant: Date) => string;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sums contributions and changes into per-key lists. */
export class AggregatesBuilder {
  private readonly open = new Map<string, Mutable<OpenCount>>();
  private readonly days = new Map<string, Mutable<DayCount>>();
  private readonly firstResponses = new Map<string, Mutable<FirstResponseCount>>();

  constructor(private readonly dayOf: DayOf) {}

  /** Adds what `ticket` contributes (sign 1) or takes it away (sign −1); null contributes nothing. */
  add(ticket: CountedTicket | null, sign: 1 | -1): this {
    if (!ticket) return this;
    const own = clientKey(ticket.clientId);
    const open = isOpenStatus(ticket.status);
    const opened = this.dayOf(ticket.openedAt);
    const resolved = ticket.resolvedAt && !open ? this.dayOf(ticket.resolvedAt) : null;
    for (const k of [own, ALL_CLIENTS]) {
      if (open) this.addOpen(k, ticket.status, ticket.priority, sign);
      for (const [unit, day] of [
        ['day', opened],
        ['month', monthOf(opened)],
      ] as const) {
        const row = this.dayRow(k, unit, day);
        row.created += sign;
        if (ticket.frState === 'met') row.frMet += sign;
        else if (ticket.frState === 'breached') row.frBreached += sign;
        if (ticket.resState === 'met') row.resMet += sign;
        else if (ticket.resState === 'breached') row.resBreached += sign;
        if (ticket.ratingScore !== null) {
          row.rated += sign;
          row.ratingSum += sign * ticket.ratingScore;
        }
        if (ticket.firstResponseMinutes !== null)
          this.addFirstResponse(k, unit, day, 'calendar', ticket.firstResponseMinutes, sign);
        if (ticket.firstRespondedAt && ticket.frBusinessMinutes !== null)
          this.addFirstResponse(k, unit, day, 'business', ticket.frBusinessMinutes, sign);
      }
      if (resolved) {
        this.dayRow(k, 'day', resolved).resolved += sign;
        this.dayRow(k, 'month', monthOf(resolved)).resolved += sign;
      }
    }
    return this;
  }

  /** What changes when a row that counted as `before` counts as `after`. */
  change(before: CountedTicket | null, after: CountedTicket | null): this {
    return this.add(before, -1).add(after, 1);
  }

  /** Adds changes (or contents) summed elsewhere. */
  merge(change: Aggregates): this {
    for (const o of change.open) this.addOpen(o.clientKey, o.status, o.priority, o.tickets);
    for (const d of change.days) {
      const row = this.dayRow(d.clientKey, d.unit, d.day);
      for (const f of TOTAL_FIELDS) row[f] += d[f];
    }
    for (const f of change.firstResponses)
      this.addFirstResponse(f.clientKey, f.unit, f.day, f.kind, f.minutes, f.tickets);
    return this;
  }

  private addOpen(k: string, status: string, priority: string, n: number): void {
    const key = `${k}|${status}|${priority}`;
    const row = this.open.get(key);
    if (row) row.tickets += n;
    else this.open.set(key, { clientKey: k, status, priority, tickets: n });
  }

  private dayRow(k: string, unit: Unit, day: string): Mutable<DayCount> {
    const key = `${k}|${unit}|${day}`;
    let row = this.days.get(key);
    if (!row) {
      row = { clientKey: k, unit, day, ...EMPTY_TOTALS };
      this.days.set(key, row);
    }
    return row;
  }

  private addFirstResponse(
    k: string,
    unit: Unit,
    day: string,
    kind: FirstResponseKind,
    minutes: number,
    n: number,
  ) {
    const key = `${k}|${unit}|${day}|${kind}|${String(minutes).padStart(10, '0')}`;
    const row = this.firstResponses.get(key);
    if (row) row.tickets += n;
    else this.firstResponses.set(key, { clientKey: k, unit, day, kind, minutes, tickets: n });
  }

  /** The sums, without the ones that cancelled out, each list in key order (the order rows are locked in). */
  build(): Aggregates {
    const sorted = <T>(m: Map<string, T>, keep: (v: T) => boolean): T[] =>
      [...m.entries()]
        .filter(([, v]) => keep(v))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, v]) => ({ ...v }));
    return {
      open: sorted(this.open, (o) => o.tickets !== 0),
      days: sorted(this.days, (d) => !isZero(d)),
      firstResponses: sorted(this.firstResponses, (f) => f.tickets !== 0),
    };
  }
}

/** The aggregates' change when a ticket's row goes from `before` to `after` (null: counts for nothing). */
export function aggregateChange(
  before: CountedTicket | null,
  after: CountedTicket | null,
  dayOf: DayOf,
): Aggregates {
  return new AggregatesBuilder(dayOf).change(before, after).build();
}

export const isEmpty = (a: Aggregates): boolean =>
  a.open.length === 0 && a.days.length === 0 && a.firstResponses.length === 0;

/**
 * Backlog changes of clients with the same changes of the tenant's totals beside them (client key
 * {@link ALL_CLIENTS}): a day's backlog over every client is then one row per day.
 */
export function withBacklogTotals(deltas: readonly BacklogDelta[]): BacklogDelta[] {
  const own = deltas.filter((d) => d.clientId !== ALL_CLIENTS);
  return compact([...own, ...own.map((d) => ({ ...d, clientId: ALL_CLIENTS }))]);
}
