// The backlog by day (docs/product/reports.md "Backlog by day"). A ticket is in the backlog from a version that
// leaves it open until its next version (by version number): each version is a point in time, and the open
// intervals between consecutive versions are what a day's backlog counts. The read model keeps, per local day
// and client, the change of the backlog on that day (+1 where an open interval starts, −1 where it ends); the
// backlog at the end of day D is the sum of the changes up to D. Every change is placed on the day it happened,
// so a later change of an old ticket never rewrites a past day, and a version that arrives late (out of order, a
// redelivery, a replay) is slotted between its neighbours: the result depends only on the set of versions.

/** The statuses a ticket is no longer in the backlog with. */
export const DONE_STATUSES = ['resolved', 'closed'] as const;

/** Whether a ticket in `status` is open (in the backlog). */
export function isOpenStatus(status: string): boolean {
  return !(DONE_STATUSES as readonly string[]).includes(status);
}

/** One version of a ticket as the backlog sees it. */
export interface VersionPoint {
  readonly version: number;
  /** When the version took effect (the ticket's `updatedAt`). */
  readonly at: Date;
  readonly open: boolean;
  readonly clientId: string | null;
}

/** A change of the backlog of one client on one local day. */
export interface BacklogDelta {
  readonly day: string;
  readonly clientId: string | null;
  readonly delta: number;
}

type DayOf = (instant: Date) => string;

/**
 * The backlog changes of inserting `inserted` between its stored neighbours `previous` (the highest version below
 * it) and `next` (the lowest above it): `previous`'s open interval, if any, now ends at `inserted` instead of at
 * `next`, and `inserted`'s own, if open, runs until `next`.
 */
export function insertionDeltas(
  previous: VersionPoint | null,
  inserted: VersionPoint,
  next: VersionPoint | null,
  dayOf: DayOf,
): BacklogDelta[] {
  const deltas: BacklogDelta[] = [];
  const add = (at: Date, clientId: string | null, delta: number) =>
    deltas.push({ day: dayOf(at), clientId, delta });
  if (previous?.open) {
    add(inserted.at, previous.clientId, -1);
    if (next) add(next.at, previous.clientId, +1);
  }
  if (inserted.open) {
    add(inserted.at, inserted.clientId, +1);
    if (next) add(next.at, inserted.clientId, -1);
  }
  return compact(deltas);
}

/** The backlog changes of one ticket's versions taken together (any order): what a rebuild of the days writes. */
export function ticketDeltas(versions: readonly VersionPoint[], dayOf: DayOf): BacklogDelta[] {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const deltas: BacklogDelta[] = [];
  sorted.forEach((v, i) => {
    if (!v.open) return;
    deltas.push({ day: dayOf(v.at), clientId: v.clientId, delta: +1 });
    const next = sorted[i + 1];
    if (next) deltas.push({ day: dayOf(next.at), clientId: v.clientId, delta: -1 });
  });
  return compact(deltas);
}

/** Sums the changes of each (day, client) and drops the ones that cancel out; ordered by client, then day. */
export function compact(deltas: readonly BacklogDelta[]): BacklogDelta[] {
  const sums = new Map<string, BacklogDelta>();
  for (const d of deltas) {
    const key = `${d.clientId ?? ''}|${d.day}`;
    const current = sums.get(key);
    sums.set(key, { ...d, delta: (current?.delta ?? 0) + d.delta });
  }
  return [...sums.entries()]
    .filter(([, d]) => d.delta !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/**
 * The open tickets at the end of each of `days` (oldest first): `before` is the sum of the changes of every day
 * before the first, `changes` the sum per day within them.
 */
export function backlogSeries(
  days: readonly string[],
  before: number,
  changes: ReadonlyMap<string, number>,
): Array<{ date: string; open: number }> {
  let open = before;
  return days.map((date) => {
    open += changes.get(date) ?? 0;
    return { date, open };
  });
}
