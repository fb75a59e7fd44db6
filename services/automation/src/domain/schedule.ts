// Schedule rules' occurrences: an RFC 5545 RRULE expanded in an IANA zone by rrule-temporal (Temporal, so DST gaps
// and folds are the library's, not ours). Pure: no I/O.
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';

// the outer periods one expansion may walk: an hourly rule saved 10 years ago is ~88,000
const MAX_ITERATIONS = 200_000;

function body(rrule: string): string {
  return rrule.replace(/^RRULE:/i, '').toUpperCase();
}

/**
 * The DTSTART of a schedule: midnight, in its zone, of the day it was saved. Parts the RRULE leaves out take
 * DTSTART's values (RFC 5545 §3.3.10), so an unset minute and second are 0, a daily rule without BYHOUR runs at
 * midnight, and a weekly or monthly one without BYDAY or BYMONTHDAY keeps that date's weekday or day.
 */
export function scheduleAnchor(savedAt: Date, timeZone: string): Date {
  const day = Temporal.Instant.fromEpochMilliseconds(savedAt.getTime())
    .toZonedDateTimeISO(timeZone)
    .startOfDay();
  return new Date(day.epochMilliseconds);
}

function expander(rrule: string, timeZone: string, anchor: Date): RRuleTemporal {
  return new RRuleTemporal({
    rruleString: body(rrule),
    dtstart: Temporal.Instant.fromEpochMilliseconds(anchor.getTime()).toZonedDateTimeISO(timeZone),
    maxIterations: MAX_ITERATIONS,
  });
}

/**
 * Whether two RRULEs are the same recurrence as written: the same parts with the same values, whatever their order,
 * case or `RRULE:` prefix.
 */
export function sameRecurrence(a: string, b: string): boolean {
  const parts = (rrule: string) =>
    body(rrule)
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p.length > 0)
      .sort()
      .join(';');
  return parts(a) === parts(b);
}

/** Up to `count` occurrences strictly after `after`, oldest first; fewer when the recurrence ends. */
export function occurrencesAfter(
  rrule: string,
  timeZone: string,
  anchor: Date,
  after: Date,
  count: number,
): Date[] {
  const rule = expander(rrule, timeZone, anchor);
  const out: Date[] = [];
  let from = after;
  while (out.length < count) {
    const next = rule.next(from);
    if (!next) break;
    const at = new Date(next.epochMilliseconds);
    out.push(at);
    from = at;
  }
  return out;
}

/** The first occurrence strictly after `after`, or null when there is none. */
export function nextOccurrence(rrule: string, timeZone: string, anchor: Date, after: Date): Date | null {
  return occurrencesAfter(rrule, timeZone, anchor, after, 1)[0] ?? null;
}

const RANGES: Record<string, [number, number]> = {
  BYSECOND: [0, 59],
  BYMINUTE: [0, 59],
  BYHOUR: [0, 23],
  BYMONTH: [1, 12],
  BYMONTHDAY: [-31, 31],
  BYYEARDAY: [-366, 366],
  BYWEEKNO: [-53, 53],
  BYSETPOS: [-366, 366],
  INTERVAL: [1, 1000],
  COUNT: [1, 100_000],
};

/** Why the library cannot expand the rule, or a part is out of its range (RFC 5545 §3.3.10); null when it can. */
export function rruleProblem(rrule: string): string | null {
  for (const part of body(rrule).split(';')) {
    const [name, value] = part.split('=') as [string, string | undefined];
    const range = RANGES[name];
    if (!range || value === undefined) continue;
    for (const item of value.split(',')) {
      const n = Number(item);
      if (!Number.isInteger(n) || n < range[0] || n > range[1] || (n === 0 && range[0] < 0))
        return `${name} must be integers from ${range[0]} to ${range[1]}${range[0] < 0 ? ' but 0' : ''}`;
    }
  }
  try {
    expander(rrule, 'UTC', new Date(Date.UTC(2000, 0, 1)));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return null;
}

/**
 * A client's primary contact, the requester of its scheduled tickets (docs/adr/0045): the longest-standing contact
 * whose mail does not bounce, else the longest-standing one; null for a client with none.
 */
export function primaryContactOf(
  contacts: ReadonlyArray<{ id: string; createdAt: Date | null; emailBouncing: boolean }>,
): string | null {
  const since = (c: { createdAt: Date | null }) => c.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
  const ordered = [...contacts].sort((a, b) => since(a) - since(b) || a.id.localeCompare(b.id));
  return (ordered.find((c) => !c.emailBouncing) ?? ordered[0])?.id ?? null;
}
