// Days in the tenant's zone (docs/product/reports.md "Periods and days"): which local day an instant falls on,
// where each local day starts, and the period a report covers. Calendar maths through Luxon (IANA zones from the
// Intl data), never by adding hours: a local day is 23 or 25 hours long on a daylight-saving change, and one
// whose midnight does not exist starts at the first instant that does.
import { DateTime, IANAZone, type Zone } from 'luxon';
import { invalidArgument } from '@helpdesk/platform';

/** The longest period a report covers, in local days. */
export const MAX_PERIOD_DAYS = 400;
/** The days a report covers when the caller gives no `from`: this many days ending with `to`'s. */
export const DEFAULT_PERIOD_DAYS = 30;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const validZones = new Map<string, boolean>();

/** The tenant's zone when it is a zone this runtime knows; UTC otherwise (and for tenants not heard of yet). */
export function usableZone(timezone: string | null | undefined): string {
  if (!timezone) return 'UTC';
  let valid = validZones.get(timezone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(timezone);
    if (validZones.size < 1_000) validZones.set(timezone, valid);
  }
  return valid ? timezone : 'UTC';
}

// The local day of an instant is asked for several times per event (intake) and per ticket (recounts): Luxon's
// answer is cached per zone and quarter hour, for the quarter hours that lie inside one local day.
const SLOT_MS = 15 * 60_000;
const MAX_SLOTS = 200_000;
const dayCaches = new Map<string, { zone: Zone; slots: Map<number, string> }>();

function dayCache(zone: string) {
  let cache = dayCaches.get(zone);
  if (!cache) {
    cache = { zone: IANAZone.create(zone), slots: new Map() };
    if (dayCaches.size < 1_000) dayCaches.set(zone, cache);
  }
  return cache;
}

const dayIn = (ms: number, zone: Zone) => DateTime.fromMillis(ms, { zone }).toISODate()!;

/** The local date (`YYYY-MM-DD`) of an instant in `zone`. */
export function localDay(instant: Date, zone: string): string {
  const ms = instant.getTime();
  const cache = dayCache(zone);
  if (!Number.isFinite(ms)) return dayIn(ms, cache.zone);
  const slot = Math.floor(ms / SLOT_MS);
  const hit = cache.slots.get(slot);
  if (hit !== undefined) return hit;
  const first = dayIn(slot * SLOT_MS, cache.zone);
  const last = dayIn(slot * SLOT_MS + SLOT_MS - 1, cache.zone);
  if (first !== last) return dayIn(ms, cache.zone);
  if (cache.slots.size >= MAX_SLOTS) cache.slots.clear();
  cache.slots.set(slot, first);
  return first;
}

/**
 * The first instant of a local date in `zone`: its midnight, the first instant after a gap that skips it, or the
 * earlier of two midnights when the clocks go back across it (America/Havana on 2 November 2025 has 00:00 twice;
 * Luxon's `startOf('day')` answers the later one). Always the earliest instant whose {@link localDay} is `date`.
 */
export function startOfDay(date: string, zone: string): Date {
  const day = DateTime.fromISO(date, { zone });
  if (!day.isValid || !DATE_RE.test(date)) throw invalidArgument(`${date} is not a date (YYYY-MM-DD)`);
  const start = day.startOf('day').toMillis();
  if (localDay(new Date(start - 1), zone) < date) return new Date(start);
  // the local date is already `date` before Luxon's start: search the earliest such instant, to the millisecond
  let before = start - 2 * 86_400_000;
  let after = start;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (localDay(new Date(mid), zone) < date) before = mid;
    else after = mid;
  }
  return new Date(after);
}

/** The local date `n` days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
}

/** Every local date from `first` to `last`, both included. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) days.push(d);
  return days;
}

/** A report's period: instants [from, to) and the local days it touches, oldest first. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
  readonly timezone: string;
  readonly days: readonly string[];
}

/** `from` and `to` as the caller gave them: a local date, an ISO-8601 instant, or nothing. */
export interface PeriodInput {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

function parseBound(value: string, zone: string, field: 'from' | 'to'): Date {
  if (DATE_RE.test(value)) {
    const start = startOfDay(value, zone);
    // a date as `to` includes that whole day
    return field === 'to' ? startOfDay(addDays(value, 1), zone) : start;
  }
  const instant = DateTime.fromISO(value, { setZone: true });
  if (!instant.isValid || !/[Zz]|[+-]\d{2}:?\d{2}$/.test(value)) {
    throw invalidArgument(`${field} must be a date (YYYY-MM-DD) or an ISO-8601 instant with an offset`, [
      { path: [field], message: 'neither a date nor an instant' },
    ]);
  }
  return instant.toJSDate();
}

/**
 * The period of `input` in `zone`: dates are local days (`to` included), instants are taken as they are (`to`
 * excluded). Without `to`, up to the end of today; without `from`, the {@link DEFAULT_PERIOD_DAYS} days ending
 * with `to`'s day.
 */
export function resolvePeriod(input: PeriodInput, zone: string, now: Date): Period {
  const to = input.to ? parseBound(input.to, zone, 'to') : startOfDay(addDays(localDay(now, zone), 1), zone);
  const lastDay = localDay(new Date(to.getTime() - 1), zone);
  const from = input.from
    ? parseBound(input.from, zone, 'from')
    : startOfDay(addDays(lastDay, 1 - DEFAULT_PERIOD_DAYS), zone);
  if (from.getTime() >= to.getTime()) {
    throw invalidArgument('from must be before to', [{ path: ['from'], message: 'not before to' }]);
  }
  const days = daysBetween(localDay(from, zone), lastDay);
  if (days.length > MAX_PERIOD_DAYS) {
    throw invalidArgument(`a report covers at most ${MAX_PERIOD_DAYS} days`, [
      { path: ['from'], message: `more than ${MAX_PERIOD_DAYS} days before to` },
    ]);
  }
  return { from, to, timezone: zone, days };
}

/**
 * The instants that cut a period into its local days: `from`, the start of each later day, then `to`. Bucket i
 * (from 1) of PostgreSQL's `width_bucket(instant, thresholds)` is then day i − 1 of the period.
 */
export function dayThresholds(period: Period): Date[] {
  return [period.from, ...period.days.slice(1).map((day) => startOfDay(day, period.timezone)), period.to];
}

/** A piece of a local day that a period covers only in part (a period given as instants). */
export interface PartialDay {
  readonly day: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * A period cut the way the aggregates answer it: the whole local months inside it, the other whole days, and the
 * pieces of its first and last day that it covers only in part, which only the tickets' rows can answer.
 */
export interface PeriodParts {
  /** Every whole local day of the period, oldest first (the per-day series). */
  readonly wholeDays: readonly string[];
  /** The first days of the local months all of whose days are whole days of the period. */
  readonly months: readonly string[];
  /** The whole days outside those months. */
  readonly days: readonly string[];
  /** At most two: the first and the last day, where the period starts or ends inside them. */
  readonly partial: readonly PartialDay[];
}

function daysInMonth(firstDay: string): number {
  return DateTime.fromISO(firstDay, { zone: 'UTC' }).daysInMonth!;
}

export function splitPeriod(period: Period): PeriodParts {
  const { days, timezone: zone } = period;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const partial: PartialDay[] = [];
  const firstWhole = startOfDay(first, zone).getTime() >= period.from.getTime();
  const lastWhole = startOfDay(addDays(last, 1), zone).getTime() <= period.to.getTime();
  if (first === last) {
    if (!(firstWhole && lastWhole)) partial.push({ day: first, from: period.from, to: period.to });
  } else {
    if (!firstWhole) partial.push({ day: first, from: period.from, to: startOfDay(addDays(first, 1), zone) });
    if (!lastWhole) partial.push({ day: last, from: startOfDay(last, zone), to: period.to });
  }
  const cut = new Set(partial.map((p) => p.day));
  const wholeDays = days.filter((d) => !cut.has(d));
  const perMonth = new Map<string, string[]>();
  for (const d of wholeDays) {
    const month = `${d.slice(0, 7)}-01`;
    const list = perMonth.get(month) ?? [];
    list.push(d);
    perMonth.set(month, list);
  }
  const months: string[] = [];
  const rest: string[] = [];
  for (const [month, list] of perMonth) {
    if (list.length === daysInMonth(month)) months.push(month);
    else rest.push(...list);
  }
  return { wholeDays, months, days: rest, partial };
}
