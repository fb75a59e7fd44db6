// Business calendars and business-time maths: the pure core of SLA due times. No I/O.
//
// Definition: an instant is business time when, read on the wall clock of the calendar's zone, its
// local date is not a holiday and its local time of day lies in one of that weekday's ranges
// (start inclusive, end exclusive). Business time between two instants is the REAL elapsed time of
// the business instants between them. Consequences on daylight-saving days:
// - a spring-forward gap holds no instants, so a range start or end inside a gap acts as the first
//   valid instant after the gap (an 01:00–04:00 range over a 02:00→03:00 jump holds 2 real hours);
// - in a fall-back overlap the wall clock reads the repeated times twice, so a range covering the
//   overlap holds them twice (01:00–04:00 over a 03:00→02:00 jump holds 4 real hours), and a range
//   boundary strictly inside the overlap is crossed twice (a 02:30–05:00 range is open 02:30–03:00
//   summer time, closed 02:00–02:30 winter time, open again from 02:30 winter time).
// Wall times are never converted to instants, so no gap or ambiguity rule is needed: only
// instant→offset lookups through Luxon (Intl time-zone data).
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { invalidArgument } from '@helpdesk/platform';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A wall-clock range of one day: `['08:00', '18:00']`; the end is exclusive and may be `'24:00'`. */
export type TimeRange = readonly [start: string, end: string];

/**
 * A calendar (docs/product/sla.md "Business calendars"): IANA zone, weekly hours, holidays as
 * local `YYYY-MM-DD` dates. Treat as immutable.
 */
export interface BusinessCalendar {
  readonly timezone: string;
  readonly hours: Readonly<Record<Weekday, readonly TimeRange[]>>;
  readonly holidays: readonly string[];
}

/** Round the clock: business time is plain elapsed time (an SLA policy with `calendarId: null`). */
export interface TwentyFourSevenCalendar {
  readonly kind: '24x7';
}

export type Calendar = BusinessCalendar | TwentyFourSevenCalendar;

export const TWENTY_FOUR_SEVEN: TwentyFourSevenCalendar = Object.freeze({ kind: '24x7' });

export function isTwentyFourSeven(calendar: Calendar): calendar is TwentyFourSevenCalendar {
  return 'kind' in calendar && calendar.kind === '24x7';
}

/** How far a search for business time may reach before it is refused (a due time, a span). */
export const MAX_SEARCH_YEARS = 10;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_SEARCH_MS = Math.ceil(MAX_SEARCH_YEARS * 365.25) * DAY_MS;
const MAX_RANGES_PER_DAY = 24;
const MAX_HOLIDAYS = 5_000;
// Largest |epoch ms| a Date can hold.
const MAX_DATE_MS = 8.64e15;

const START_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

// Days since 1970-01-01 of a proleptic Gregorian date (setUTCFullYear: no 1900 offset for years < 100).
function dayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / DAY_MS);
}

function parseLocalDate(value: string): number | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = dayNumber(year, month, day);
  const back = new Date(n * DAY_MS);
  // Reject dates that roll over (2026-02-30).
  return back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day
    ? n
    : undefined;
}

const timeRangeSchema = z
  .tuple([
    z.string().regex(START_RE, 'a range starts at HH:MM between 00:00 and 23:59'),
    z.string().regex(END_RE, 'a range ends at HH:MM between 00:01 and 24:00'),
  ])
  .refine(([start, end]) => minuteOfDay(start) < minuteOfDay(end), 'a range must start before it ends');

const dayHoursSchema = z
  .array(timeRangeSchema)
  .max(MAX_RANGES_PER_DAY)
  .superRefine((ranges, ctx) => {
    for (let i = 1; i < ranges.length; i++) {
      // Touching ranges (…12:00, 12:00…) are allowed: they simply join.
      if (minuteOfDay(ranges[i]![0]) < minuteOfDay(ranges[i - 1]![1])) {
        ctx.addIssue({ code: 'custom', message: 'ranges must be sorted and must not overlap', path: [i] });
      }
    }
  })
  .default([]);

/** Validates a calendar as docs/product/sla.md shapes it; a missing weekday means closed that day. */
export const businessCalendarSchema = z
  .object({
    timezone: z
      .string()
      .min(1)
      .max(64)
      .refine((tz) => IANAZone.isValidZone(tz), 'timezone must be an IANA time zone such as Europe/Berlin'),
    hours: z
      .object({
        mon: dayHoursSchema,
        tue: dayHoursSchema,
        wed: dayHoursSchema,
        thu: dayHoursSchema,
        fri: dayHoursSchema,
        sat: dayHoursSchema,
        sun: dayHoursSchema,
      })
      .strict(),
    holidays: z
      .array(z.string().refine((d) => parseLocalDate(d) !== undefined, 'a holiday is a real date YYYY-MM-DD'))
      .max(MAX_HOLIDAYS)
      .default([]),
  })
  .refine((c) => WEEKDAYS.some((d) => c.hours[d].length > 0), 'calendar has no business hours');

/** Parses untrusted input into a calendar; throws INVALID_ARGUMENT listing every problem. */
export function parseBusinessCalendar(input: unknown): BusinessCalendar {
  const result = businessCalendarSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw invalidArgument(
    issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
    issues,
  );
}

interface CompiledCalendar {
  readonly zone: IANAZone;
  // Indexed by day of week, 0 = Sunday; [startMs, endMs) from local midnight.
  readonly days: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  // Local dates as day numbers.
  readonly holidays: ReadonlySet<number>;
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiled.get(calendar);
  if (cached) return cached;
  const valid = parseBusinessCalendar(calendar);
  const byJsDay: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const result: CompiledCalendar = {
    zone: IANAZone.create(valid.timezone),
    days: byJsDay.map((d) =>
      valid.hours[d].map(([s, e]) => [minuteOfDay(s) * MINUTE_MS, minuteOfDay(e) * MINUTE_MS] as const),
    ),
    holidays: new Set(valid.holidays.map((h) => parseLocalDate(h)!)),
  };
  compiled.set(calendar, result);
  return result;
}

function offsetMs(zone: IANAZone, at: number): number {
  return Math.round(zone.offset(at) * MINUTE_MS);
}

// The instant in (from, to] where the offset stops being `offset`; to ms precision.
function findTransition(zone: IANAZone, from: number, to: number, offset: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

// Open instants of [from, to) while the zone's offset is constant: wall time = instant + offset.
function* segmentIntervals(
  cal: CompiledCalendar,
  from: number,
  to: number,
  offset: number,
): Generator<[number, number]> {
  const wallFrom = from + offset;
  const wallTo = to + offset;
  for (let day = Math.floor(wallFrom / DAY_MS); day * DAY_MS < wallTo; day++) {
    if (cal.holidays.has(day)) continue;
    // 1970-01-01 (day 0) was a Thursday.
    const ranges = cal.days[(((day + 4) % 7) + 7) % 7]!;
    for (const [start, end] of ranges) {
      const a = Math.max(day * DAY_MS + start, wallFrom);
      const b = Math.min(day * DAY_MS + end, wallTo);
      if (a < b) yield [a - offset, b - offset];
    }
  }
}

// Open intervals in [from, until), ascending. Walks one UTC day at a time; a day
// whose two ends share an offset is taken to have no transition (no zone changes its offset twice
// within a day and back), otherwise the transition is found by bisection.
function* openIntervals(cal: CompiledCalendar, from: number, until: number): Generator<[number, number]> {
  let chunkStart = from;
  let startOffset = offsetMs(cal.zone, chunkStart);
  while (chunkStart < until) {
    const chunkEnd = Math.min(chunkStart + DAY_MS, until);
    const endOffset = offsetMs(cal.zone, chunkEnd);
    let segStart = chunkStart;
    let segOffset = startOffset;
    for (;;) {
      const segEnd =
        segOffset === endOffset ? chunkEnd : findTransition(cal.zone, segStart, chunkEnd, segOffset);
      yield* segmentIntervals(cal, segStart, segEnd, segOffset);
      if (segEnd === chunkEnd) break;
      segStart = segEnd;
      segOffset = offsetMs(cal.zone, segEnd);
    }
    chunkStart = chunkEnd;
    startOffset = endOffset;
  }
}

function instantMs(at: Date, name: string): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidArgument(`${name} must be a valid instant`);
  return ms;
}

function toDate(ms: number): Date {
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw invalidArgument('due time is out of range');
  return new Date(ms);
}

/**
 * The earliest instant at which `ms` milliseconds of business time have elapsed since `from`.
 * 0 returns `from` unchanged, even outside open hours; a positive amount starting outside open hours
 * counts from the next opening, and one that ends exactly at a closing returns the closing instant.
 */
export function addBusinessMs(calendar: Calendar, from: Date, ms: number): Date {
  const start = instantMs(from, 'from');
  if (!Number.isFinite(ms) || ms < 0)
    throw invalidArgument('business time to add must be a non-negative number');
  const amount = Math.round(ms);
  if (amount === 0) return new Date(start);
  if (isTwentyFourSeven(calendar)) return toDate(start + amount);
  let remaining = amount;
  for (const [a, b] of openIntervals(compile(calendar), start, start + MAX_SEARCH_MS)) {
    if (remaining <= b - a) return toDate(a + remaining);
    remaining -= b - a;
  }
  throw invalidArgument(`no due time within ${MAX_SEARCH_YEARS} years for this calendar`);
}

/** `addBusinessMs` in minutes (fractions allowed; rounded to the millisecond). */
export function addBusinessMinutes(calendar: Calendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw invalidArgument('business minutes to add must be a non-negative number');
  }
  return addBusinessMs(calendar, from, minutes * MINUTE_MS);
}

/**
 * Business time in milliseconds from `from` to `to`; negative when `to` is before `from`
 * (businessMsBetween(a, b) === -businessMsBetween(b, a)). Spans over MAX_SEARCH_YEARS are refused.
 */
export function businessMsBetween(calendar: Calendar, from: Date, to: Date): number {
  const a = instantMs(from, 'from');
  const b = instantMs(to, 'to');
  if (b < a) {
    const reversed = businessMsBetween(calendar, to, from);
    return reversed === 0 ? 0 : -reversed;
  }
  if (isTwentyFourSeven(calendar)) return b - a;
  const cal = compile(calendar);
  if (b - a > MAX_SEARCH_MS)
    throw invalidArgument(`a span of business time is limited to ${MAX_SEARCH_YEARS} years`);
  let total = 0;
  for (const [start, end] of openIntervals(cal, a, b)) total += end - start;
  return total;
}

/** `businessMsBetween` in minutes, as a float. */
export function businessMinutesBetween(calendar: Calendar, from: Date, to: Date): number {
  return businessMsBetween(calendar, from, to) / MINUTE_MS;
}
