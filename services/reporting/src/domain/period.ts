// Days in the tenant's zone (docs/product/reports.md "Periods and days"): which local day an instant falls on,
// where each local day starts, and the period a report covers. Calendar maths through Luxon (IANA zones from the
// Intl data), never by adding hours: a local day is 23 or 25 hours long on a daylight-saving change, and one
// whose midnight does not exist starts at the first instant that does.
import { DateTime, IANAZone } from 'luxon';
import { invalidArgument } from '@helpdesk/platform';

/** The longest period a report covers, in local days. */
export const MAX_PERIOD_DAYS = 400;
/** The days a report covers when the caller gives no `from`: this many days ending with `to`'s. */
export const DEFAULT_PERIOD_DAYS = 30;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The tenant's zone when it is a zone this runtime knows; UTC otherwise (and for tenants not heard of yet). */
export function usableZone(timezone: string | null | undefined): string {
  return timezone && IANAZone.isValidZone(timezone) ? timezone : 'UTC';
}

/** The local date (`YYYY-MM-DD`) of an instant in `zone`. */
export function localDay(instant: Date, zone: string): string {
  return DateTime.fromMillis(instant.getTime(), { zone }).toISODate()!;
}

/** The first instant of a local date in `zone` (its midnight, or the first instant after a gap that skips it). */
export function startOfDay(date: string, zone: string): Date {
  const day = DateTime.fromISO(date, { zone });
  if (!day.isValid || !DATE_RE.test(date)) throw invalidArgument(`${date} is not a date (YYYY-MM-DD)`);
  return day.startOf('day').toJSDate();
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
