import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '@helpdesk/platform';
import {
  TWENTY_FOUR_SEVEN,
  WEEKDAYS,
  addBusinessMinutes,
  addBusinessMs,
  businessMinutesBetween,
  businessMsBetween,
  parseBusinessCalendar,
  type BusinessCalendar,
  type Calendar,
  type TimeRange,
  type Weekday,
} from './calendar';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const ZONES = [
  'America/Sao_Paulo',
  'Australia/Lord_Howe', // 30-minute DST
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Kolkata',
  'Europe/London',
  'America/New_York',
  'Asia/Kathmandu', // +05:45
  'Pacific/Apia',
  'Africa/Casablanca', // DST suspended for Ramadan
  'America/St_Johns', // -03:30 with DST
  'Europe/Berlin',
  'Europe/Dublin', // "negative" DST in tzdata
  'Australia/Adelaide',
  'Australia/Eucla', // +08:45
  'Pacific/Auckland',
  'America/Santiago', // transitions at midnight
  'America/Havana', // midnight does not exist on spring-forward day
  'Africa/Cairo', // DST back since 2023, transitions at midnight
  'Asia/Tehran', // DST abolished in 2022
  'America/Los_Angeles',
  'America/Nuuk',
  'Antarctica/Troll', // two-hour DST
  'Asia/Tokyo',
  'Pacific/Kiritimati', // +14
  'Pacific/Pago_Pago', // -11
  'UTC',
];

const FROM_MIN = Date.UTC(2020, 0, 1);
const FROM_MAX = Date.UTC(2035, 11, 31);

function weekdayIndex(dt: DateTime): Weekday {
  return WEEKDAYS[dt.weekday - 1]!;
}

function minuteOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

// The second implementation: walks real time one UTC minute at a time and asks, for each minute,
// whether the wall clock in the calendar's zone shows an open, non-holiday time. Zone offsets and
// transitions change only on whole minutes, so a minute is wholly open or wholly closed.
// Speed: the zone offset is read with Luxon once per UTC hour when the hour's two ends agree;
// an hour whose ends disagree (a transition) is read minute by minute as a full Luxon DateTime.
class NaiveCalendar {
  private readonly zone: IANAZone | undefined;
  private readonly holidays: Set<string>;
  private readonly ranges: Record<Weekday, Array<[number, number]>> | undefined;
  private readonly hourOffsets = new Map<number, number | null>();
  // Per local date (days since 1970-01-01 on the wall clock): that day's open ranges in minutes.
  private readonly dayRanges = new Map<number, Array<[number, number]>>();

  constructor(calendar: Calendar) {
    if ('kind' in calendar) {
      this.holidays = new Set();
      return;
    }
    this.zone = IANAZone.create(calendar.timezone);
    this.holidays = new Set(calendar.holidays);
    this.ranges = Object.fromEntries(
      WEEKDAYS.map((d) => [d, calendar.hours[d].map(([s, e]) => [minuteOf(s), minuteOf(e)])]),
    ) as Record<Weekday, Array<[number, number]>>;
  }

  private rangesOf(date: string, weekday: Weekday): Array<[number, number]> {
    return this.holidays.has(date) ? [] : this.ranges![weekday];
  }

  isOpen(minuteStart: number): boolean {
    if (!this.zone) return true;
    const hour = Math.floor(minuteStart / HOUR);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      const a = this.zone.offset(hour * HOUR);
      const b = this.zone.offset((hour + 1) * HOUR);
      offset = a === b ? a : null;
      this.hourOffsets.set(hour, offset);
    }
    let ranges: Array<[number, number]>;
    let minuteOfDay: number;
    if (offset === null) {
      const local = DateTime.fromMillis(minuteStart, { zone: this.zone });
      ranges = this.rangesOf(local.toISODate()!, weekdayIndex(local));
      minuteOfDay = local.hour * 60 + local.minute;
    } else {
      const wall = minuteStart + offset * MINUTE;
      const day = Math.floor(wall / DAY);
      let cached = this.dayRanges.get(day);
      if (!cached) {
        const midnight = new Date(day * DAY);
        cached = this.rangesOf(
          midnight.toISOString().slice(0, 10),
          WEEKDAYS[(midnight.getUTCDay() + 6) % 7]!,
        );
        this.dayRanges.set(day, cached);
      }
      ranges = cached;
      minuteOfDay = Math.floor((wall - day * DAY) / MINUTE);
    }
    return ranges.some(([s, e]) => s <= minuteOfDay && minuteOfDay < e);
  }

  between(from: number, to: number): number {
    let total = 0;
    for (let m = Math.floor(from / MINUTE) * MINUTE; m < to; m += MINUTE) {
      if (this.isOpen(m)) total += Math.min(m + MINUTE, to) - Math.max(m, from);
    }
    return total;
  }

  add(from: number, ms: number): number {
    if (ms === 0) return from;
    let remaining = ms;
    const limit = from + 400 * DAY;
    for (let m = Math.floor(from / MINUTE) * MINUTE; m < limit; m += MINUTE) {
      if (!this.isOpen(m)) continue;
      const start = Math.max(m, from);
      const len = m + MINUTE - start;
      if (remaining <= len) return start + remaining;
      remaining -= len;
    }
    throw new Error('naive walk found no due time within 400 days');
  }
}

// Days (as UTC ms at 00:00) on which each zone changes its offset, 2020–2035, to aim instants at.
const transitionsByZone = new Map<string, number[]>();
function transitions(zone: string): number[] {
  let list = transitionsByZone.get(zone);
  if (!list) {
    const z = IANAZone.create(zone);
    list = [];
    let prev = z.offset(FROM_MIN);
    for (let t = FROM_MIN + DAY; t <= FROM_MAX + DAY; t += DAY) {
      const cur = z.offset(t);
      if (cur !== prev) list.push(t - DAY);
      prev = cur;
    }
    transitionsByZone.set(zone, list);
  }
  return list;
}

function instantArb(zone: string): fc.Arbitrary<number> {
  const uniform = fc.integer({ min: FROM_MIN, max: FROM_MAX });
  const list = transitions(zone);
  if (list.length === 0) return uniform;
  const nearTransition = fc
    .tuple(fc.constantFrom(...list), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
    // near a transition, but still inside 2020–2035
    .map(([day, delta]) => Math.min(FROM_MAX, Math.max(FROM_MIN, day + delta)));
  return fc.oneof({ arbitrary: uniform, weight: 1 }, { arbitrary: nearTransition, weight: 2 });
}

// A quarter-hour of the day, biased towards the night where zones change their clocks.
const quarterArb = fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 20 }));
const hhmm = (q: number) =>
  `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;

const dayHoursArb: fc.Arbitrary<TimeRange[]> = fc.oneof(
  { arbitrary: fc.constant<TimeRange[]>([]), weight: 1 },
  {
    arbitrary: fc
      .integer({ min: 1, max: 3 })
      .chain((n) => fc.uniqueArray(quarterArb, { minLength: 2 * n, maxLength: 2 * n }))
      .map((qs) => {
        const sorted = [...qs].sort((a, b) => a - b);
        const ranges: TimeRange[] = [];
        for (let i = 0; i < sorted.length; i += 2) ranges.push([hhmm(sorted[i]!), hhmm(sorted[i + 1]!)]);
        return ranges;
      }),
    weight: 3,
  },
);

interface Case {
  calendar: BusinessCalendar;
  from: number;
}

// A random calendar in a random zone, holidays placed around `from`, and `from` itself.
const businessCaseArb: fc.Arbitrary<Case> = fc.constantFrom(...ZONES).chain((zone) =>
  fc
    .record({
      from: instantArb(zone),
      days: fc.tuple(
        dayHoursArb,
        dayHoursArb,
        dayHoursArb,
        dayHoursArb,
        dayHoursArb,
        dayHoursArb,
        dayHoursArb,
      ),
      holidayOffsets: fc.uniqueArray(fc.integer({ min: -1, max: 14 }), { maxLength: 4 }),
    })
    .map(({ from, days, holidayOffsets }) => {
      const hours = Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]!])) as Record<Weekday, TimeRange[]>;
      if (WEEKDAYS.every((d) => hours[d].length === 0)) hours.wed = [['09:00', '17:00']];
      const localFrom = DateTime.fromMillis(from, { zone });
      const holidays = holidayOffsets.map((n) => localFrom.plus({ days: n }).toISODate()!);
      return { calendar: parseBusinessCalendar({ timezone: zone, hours, holidays }), from };
    }),
);

function weeklyOpenMinutes(calendar: BusinessCalendar): number {
  return WEEKDAYS.reduce(
    (sum, d) => sum + calendar.hours[d].reduce((s, [a, b]) => s + minuteOf(b) - minuteOf(a), 0),
    0,
  );
}

// Up to about three business days' worth of this calendar, in ms, sometimes with a seconds part.
function amountArb(calendar: BusinessCalendar): fc.Arbitrary<number> {
  const maxMinutes = Math.max(1, Math.round((3 * weeklyOpenMinutes(calendar)) / 7));
  return fc.oneof(
    fc.integer({ min: 0, max: maxMinutes }).map((m) => m * MINUTE),
    fc.integer({ min: 0, max: maxMinutes * MINUTE }),
  );
}

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

function calendar(
  timezone: string,
  hours: Partial<Record<Weekday, TimeRange[]>>,
  holidays: string[] = [],
): BusinessCalendar {
  return parseBusinessCalendar({ timezone, hours, holidays });
}

const weekdays = (ranges: TimeRange[]) => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
});

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('business calendar: properties against a naive minute-by-minute walk', () => {
  // The terms: at least 10,000 cases over at least 20 IANA zones (these four among them), instants from
  // 2020 to 2035, random calendars with holidays, and 24×7. Run counts: 4,500 + 4,500 against the naive walk on
  // random calendars, 1,000 on 24×7, 1,000 at local midnights, 1,000 + 500 round trips = 12,500 cases.
  it('covers the zones the issue names', () => {
    expect(new Set(ZONES).size).toBeGreaterThanOrEqual(20);
    expect(ZONES).toEqual(
      expect.arrayContaining(['America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata']),
    );
  });

  it('addBusinessMs agrees with the naive walk (random calendars, 26 zones, 2020–2035)', () => {
    fc.assert(
      fc.property(
        businessCaseArb.chain((c) => fc.record({ c: fc.constant(c), ms: amountArb(c.calendar) })),
        ({ c, ms }) => {
          const expected = new NaiveCalendar(c.calendar).add(c.from, ms);
          expect(addBusinessMs(c.calendar, new Date(c.from), ms).getTime()).toBe(expected);
        },
      ),
      { numRuns: 4_500 },
    );
  });

  it('businessMsBetween agrees with the naive walk (random calendars, 26 zones, 2020–2035)', () => {
    fc.assert(
      fc.property(
        businessCaseArb,
        fc.oneof(fc.integer({ min: 0, max: 4 * DAY }), fc.integer({ min: 0, max: 6 * HOUR })),
        (c, span) => {
          const expected = new NaiveCalendar(c.calendar).between(c.from, c.from + span);
          expect(businessMsBetween(c.calendar, new Date(c.from), new Date(c.from + span))).toBe(expected);
        },
      ),
      { numRuns: 4_500 },
    );
  });

  it('24×7 is plain elapsed time at any instant 2020–2035', () => {
    const naive = new NaiveCalendar(TWENTY_FOUR_SEVEN);
    fc.assert(
      fc.property(
        fc.integer({ min: FROM_MIN, max: FROM_MAX }),
        fc.integer({ min: 0, max: 3 * DAY }),
        fc.integer({ min: 0, max: 3 * DAY }),
        (from, ms, span) => {
          expect(addBusinessMs(TWENTY_FOUR_SEVEN, new Date(from), ms).getTime()).toBe(naive.add(from, ms));
          expect(businessMsBetween(TWENTY_FOUR_SEVEN, new Date(from), new Date(from + span))).toBe(
            naive.between(from, from + span),
          );
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('a 24×7 calendar is never closed at midnight, in any zone, nor is one open 00:00–24:00 every day', () => {
    const naive = new NaiveCalendar(TWENTY_FOUR_SEVEN);
    const allDay = new Map(
      ZONES.map((zone) => [
        zone,
        parseBusinessCalendar({
          timezone: zone,
          hours: Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']]])),
        }),
      ]),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: FROM_MIN, max: FROM_MAX }),
        fc.integer({ min: 1, max: 6 * HOUR }),
        fc.integer({ min: 1, max: 6 * HOUR }),
        (zone, instant, before, after) => {
          // the first instant of a local day (where 00:00 does not exist, the instant the day begins)
          const midnight = DateTime.fromMillis(instant, { zone }).startOf('day').toMillis();
          const [from, to] = [new Date(midnight - before), new Date(midnight + after)];
          for (const calendar of [TWENTY_FOUR_SEVEN, allDay.get(zone)!]) {
            expect(businessMsBetween(calendar, from, to)).toBe(before + after);
            expect(naive.between(from.getTime(), to.getTime())).toBe(before + after);
            expect(addBusinessMs(calendar, from, before).getTime()).toBe(midnight);
            expect(addBusinessMs(calendar, from, before + after).getTime()).toBe(to.getTime());
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('adding then measuring gives back the amount, over long spans too', () => {
    fc.assert(
      // Up to 90 days, or 100 weeks of this calendar's hours when it is sparse.
      fc.property(
        businessCaseArb.chain((c) =>
          fc.record({
            c: fc.constant(c),
            minutes: fc.integer({ min: 0, max: Math.min(90 * 24 * 60, 100 * weeklyOpenMinutes(c.calendar)) }),
          }),
        ),
        ({ c, minutes }) => {
          const due = addBusinessMinutes(c.calendar, new Date(c.from), minutes);
          expect(businessMinutesBetween(c.calendar, new Date(c.from), due)).toBe(minutes);
          // The earliest such instant: a millisecond earlier is short of the amount.
          if (minutes > 0)
            expect(businessMsBetween(c.calendar, new Date(c.from), new Date(due.getTime() - 1))).toBe(
              minutes * MINUTE - 1,
            );
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('business time is additive over consecutive spans and antisymmetric', () => {
    fc.assert(
      fc.property(
        businessCaseArb,
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.integer({ min: 0, max: 20 * DAY }),
        (c, d1, d2) => {
          const [a, b, cc] = [new Date(c.from), new Date(c.from + d1), new Date(c.from + d1 + d2)];
          const whole = businessMsBetween(c.calendar, a, cc);
          expect(businessMsBetween(c.calendar, a, b) + businessMsBetween(c.calendar, b, cc)).toBe(whole);
          expect(businessMsBetween(c.calendar, cc, a) + whole).toBe(0);
          const [x, y] = [Math.floor(d1 / 4), Math.floor(d2 / 4)];
          expect(addBusinessMs(c.calendar, addBusinessMs(c.calendar, a, x), y).getTime()).toBe(
            addBusinessMs(c.calendar, a, x + y).getTime(),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('business calendar: examples', () => {
  describe('Europe/Berlin daylight saving', () => {
    const sundayNight = calendar('Europe/Berlin', { sun: [['01:00', '04:00']] });

    it('spring forward (02:00 → 03:00): an 01:00–04:00 range holds 2 real hours', () => {
      expect(
        businessMinutesBetween(sundayNight, at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00')),
      ).toBe(120);
      expect(iso(addBusinessMinutes(sundayNight, at('2026-03-29T01:00+01:00'), 60))).toBe(
        iso(at('2026-03-29T03:00+02:00')),
      );
      expect(iso(addBusinessMinutes(sundayNight, at('2026-03-29T01:00+01:00'), 120))).toBe(
        iso(at('2026-03-29T04:00+02:00')),
      );
    });

    it('spring forward: a range inside the gap holds nothing, a boundary in the gap acts as 03:00', () => {
      const gap = calendar('Europe/Berlin', {
        sun: [
          ['02:00', '02:30'],
          ['02:45', '04:00'],
        ],
      });
      expect(businessMinutesBetween(gap, at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(
        60,
      );
      expect(iso(addBusinessMinutes(gap, at('2026-03-29T00:00+01:00'), 1))).toBe(
        iso(at('2026-03-29T03:01+02:00')),
      );
      // An ordinary Sunday holds the full 1h45.
      expect(businessMinutesBetween(gap, at('2026-04-05T00:00+02:00'), at('2026-04-06T00:00+02:00'))).toBe(
        105,
      );
    });

    it('fall back (03:00 → 02:00): an 01:00–04:00 range holds 4 real hours', () => {
      expect(
        businessMinutesBetween(sundayNight, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00')),
      ).toBe(240);
      expect(iso(addBusinessMinutes(sundayNight, at('2026-10-25T01:00+02:00'), 180))).toBe(
        iso(at('2026-10-25T03:00+01:00')),
      );
    });

    it('fall back: a boundary inside the repeated hour follows the wall clock both times', () => {
      const late = calendar('Europe/Berlin', { sun: [['02:30', '05:00']] });
      // Open 02:30–03:00 CEST, closed 02:00–02:30 CET, open 02:30–05:00 CET.
      expect(businessMinutesBetween(late, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(
        30 + 150,
      );
      expect(iso(addBusinessMinutes(late, at('2026-10-25T02:30+02:00'), 30))).toBe(
        iso(at('2026-10-25T03:00+02:00')),
      );
      expect(iso(addBusinessMinutes(late, at('2026-10-25T02:30+02:00'), 31))).toBe(
        iso(at('2026-10-25T02:31+01:00')),
      );
    });
  });

  describe('Australia/Lord_Howe (30-minute daylight saving)', () => {
    const night = calendar('Australia/Lord_Howe', { sun: [['01:00', '03:00']] });

    it('fall back (02:00 → 01:30): an 01:00–03:00 range holds 2.5 real hours', () => {
      expect(businessMinutesBetween(night, at('2026-04-05T00:00+11:00'), at('2026-04-06T00:00+10:30'))).toBe(
        150,
      );
      expect(iso(addBusinessMinutes(night, at('2026-04-05T01:00+11:00'), 90))).toBe(
        iso(at('2026-04-05T02:00+10:30')),
      );
    });

    it('spring forward (02:00 → 02:30): an 01:00–03:00 range holds 1.5 real hours', () => {
      expect(businessMinutesBetween(night, at('2026-10-04T00:00+10:30'), at('2026-10-05T00:00+11:00'))).toBe(
        90,
      );
      expect(iso(addBusinessMinutes(night, at('2026-10-04T01:00+10:30'), 60))).toBe(
        iso(at('2026-10-04T02:30+11:00')),
      );
      expect(iso(addBusinessMinutes(night, at('2026-10-04T01:00+10:30'), 90))).toBe(
        iso(at('2026-10-04T03:00+11:00')),
      );
    });
  });

  it('skips holidays (Christmas and a moved Boxing Day in London)', () => {
    const london = calendar('Europe/London', weekdays([['08:00', '18:00']]), ['2026-12-25', '2026-12-28']);
    expect(iso(addBusinessMinutes(london, at('2026-12-24T17:00Z'), 120))).toBe('2026-12-29T09:00:00.000Z');
    expect(businessMinutesBetween(london, at('2026-12-24T00:00Z'), at('2026-12-30T00:00Z'))).toBe(2 * 600);
  });

  it('handles a split day (08:00–12:00, 13:00–17:00)', () => {
    const split = calendar(
      'Asia/Kolkata',
      weekdays([
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ]),
    );
    expect(iso(addBusinessMinutes(split, at('2026-06-10T11:00+05:30'), 120))).toBe(
      iso(at('2026-06-10T14:00+05:30')),
    );
    expect(businessMinutesBetween(split, at('2026-06-10T07:00+05:30'), at('2026-06-10T18:00+05:30'))).toBe(
      480,
    );
    expect(iso(addBusinessMinutes(split, at('2026-06-10T12:10+05:30'), 1))).toBe(
      iso(at('2026-06-10T13:01+05:30')),
    );
  });

  it('carries Friday evening over to Monday', () => {
    const ny = calendar('America/New_York', weekdays([['08:00', '18:00']]));
    expect(iso(addBusinessMinutes(ny, at('2026-06-12T17:30-04:00'), 60))).toBe(
      iso(at('2026-06-15T08:30-04:00')),
    );
    // The default policy's (docs/product/sla.md) critical resolution target, 4 h, over the weekend.
    expect(iso(addBusinessMinutes(ny, at('2026-06-12T16:00-04:00'), 240))).toBe(
      iso(at('2026-06-15T10:00-04:00')),
    );
    expect(businessMinutesBetween(ny, at('2026-06-12T17:30-04:00'), at('2026-06-15T08:30-04:00'))).toBe(60);
  });

  it('ends at a closing instant rather than at the next opening', () => {
    const ny = calendar('America/New_York', weekdays([['08:00', '18:00']]));
    expect(iso(addBusinessMinutes(ny, at('2026-06-12T17:00-04:00'), 60))).toBe(
      iso(at('2026-06-12T18:00-04:00')),
    );
  });

  it('returns `from` unchanged for 0 minutes, even when closed; counts from the next opening otherwise', () => {
    const ny = calendar('America/New_York', weekdays([['08:00', '18:00']]));
    const saturday = at('2026-06-13T12:34:56.789-04:00');
    expect(addBusinessMinutes(ny, saturday, 0).getTime()).toBe(saturday.getTime());
    expect(iso(addBusinessMinutes(ny, saturday, 0.5))).toBe(iso(at('2026-06-15T08:00:30-04:00')));
  });

  it('24×7 runs across midnight and across a DST night', () => {
    expect(iso(addBusinessMinutes(TWENTY_FOUR_SEVEN, at('2026-03-28T23:50Z'), 20))).toBe(
      '2026-03-29T00:10:00.000Z',
    );
    expect(businessMinutesBetween(TWENTY_FOUR_SEVEN, at('2026-03-28T23:50Z'), at('2026-03-29T00:10Z'))).toBe(
      20,
    );
    // A calendar open 00:00–24:00 every day is also never closed at midnight; the spring-forward day has 23 h.
    const allDay = calendar(
      'Europe/Berlin',
      Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00'] as const]])),
    );
    expect(businessMinutesBetween(allDay, at('2026-03-28T23:50+01:00'), at('2026-03-29T00:10+01:00'))).toBe(
      20,
    );
    expect(businessMinutesBetween(allDay, at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(
      23 * 60,
    );
    expect(iso(addBusinessMinutes(allDay, at('2026-03-29T00:00+01:00'), 23 * 60))).toBe(
      iso(at('2026-03-30T00:00+02:00')),
    );
  });

  it('refuses a calendar without business hours, negative amounts and invalid instants', () => {
    const empty = {
      timezone: 'Europe/Berlin',
      hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: [],
    };
    for (const fn of [
      () => addBusinessMinutes(empty, at('2026-01-01T00:00Z'), 10),
      () => businessMsBetween(empty, at('2026-01-01T00:00Z'), at('2026-01-02T00:00Z')),
    ]) {
      const err = domainError(fn);
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toBe('calendar has no business hours');
    }
    const ny = calendar('America/New_York', weekdays([['08:00', '18:00']]));
    expect(domainError(() => addBusinessMinutes(ny, at('2026-01-01T00:00Z'), -1)).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(domainError(() => addBusinessMinutes(ny, new Date(Number.NaN), 1)).code).toBe('INVALID_ARGUMENT');
    expect(
      domainError(() => addBusinessMinutes(ny, at('2026-01-01T00:00Z'), Number.POSITIVE_INFINITY)).code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('gives up beyond 10 years of searching, and refuses spans over 10 years', () => {
    // One hour a week: 600 business hours take about 11.5 years.
    const sparse = calendar('Europe/Berlin', { mon: [['09:00', '10:00']] });
    expect(addBusinessMinutes(sparse, at('2026-01-01T00:00Z'), 500 * 60).getTime()).toBeLessThan(
      Date.UTC(2036, 0, 1),
    );
    expect(domainError(() => addBusinessMinutes(sparse, at('2026-01-01T00:00Z'), 600 * 60)).message).toMatch(
      /10 years/,
    );
    expect(
      domainError(() => businessMsBetween(sparse, at('2026-01-01T00:00Z'), at('2037-01-01T00:00Z'))).code,
    ).toBe('INVALID_ARGUMENT');
    // 24×7 needs no search.
    const from = at('2026-01-01T00:00Z');
    expect(addBusinessMinutes(TWENTY_FOUR_SEVEN, from, 20 * 366 * 24 * 60).getTime()).toBe(
      from.getTime() + 20 * 366 * DAY,
    );
  });
});

describe('business calendar: validation (SPEC §9 shape)', () => {
  const valid = { timezone: 'Europe/Berlin', hours: { mon: [['08:00', '18:00']] }, holidays: ['2026-12-25'] };

  it('accepts the SPEC shape, fills missing weekdays as closed and allows 24:00 as an end', () => {
    const parsed = parseBusinessCalendar({
      ...valid,
      hours: {
        mon: [
          ['00:00', '12:00'],
          ['12:00', '24:00'],
        ],
        sun: [],
      },
    });
    expect(parsed.hours.mon).toEqual([
      ['00:00', '12:00'],
      ['12:00', '24:00'],
    ]);
    expect(parsed.hours.tue).toEqual([]);
    expect(parsed.holidays).toEqual(['2026-12-25']);
  });

  it.each([
    ['an unknown zone', { ...valid, timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['a fixed offset instead of a zone', { ...valid, timezone: '+05:00' }, 'timezone'],
    ['start after end', { ...valid, hours: { mon: [['18:00', '08:00']] } }, 'start before it ends'],
    ['an empty range', { ...valid, hours: { mon: [['08:00', '08:00']] } }, 'start before it ends'],
    [
      'unsorted ranges',
      {
        ...valid,
        hours: {
          mon: [
            ['13:00', '17:00'],
            ['08:00', '12:00'],
          ],
        },
      },
      'sorted',
    ],
    [
      'overlapping ranges',
      {
        ...valid,
        hours: {
          mon: [
            ['08:00', '12:00'],
            ['11:00', '17:00'],
          ],
        },
      },
      'overlap',
    ],
    ['24:00 as a start', { ...valid, hours: { mon: [['24:00', '24:00']] } }, 'starts at HH:MM'],
    ['an hour past 24', { ...valid, hours: { mon: [['08:00', '25:00']] } }, 'ends at HH:MM'],
    ['a time without leading zero', { ...valid, hours: { mon: [['8:00', '18:00']] } }, 'starts at HH:MM'],
    ['an unknown weekday', { ...valid, hours: { monday: [['08:00', '18:00']] } }, 'hours'],
    ['an impossible holiday', { ...valid, holidays: ['2026-02-30'] }, 'real date'],
    ['a holiday in another format', { ...valid, holidays: ['25/12/2026'] }, 'real date'],
    ['no hours at all', { ...valid, hours: {} }, 'calendar has no business hours'],
  ])('rejects %s', (_name, input, message) => {
    const err = domainError(() => parseBusinessCalendar(input));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain(message);
  });
});
