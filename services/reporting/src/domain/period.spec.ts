import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addDays,
  dayThresholds,
  localDay,
  resolvePeriod,
  splitPeriod,
  startOfDay,
  usableZone,
} from './period';

const NOW = new Date('2026-11-15T12:00:00Z');

describe('local days in the tenant zone', () => {
  it('puts an instant on the date of its zone, not of UTC', () => {
    expect(localDay(new Date('2026-11-14T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-15');
    expect(localDay(new Date('2026-11-15T04:30:00Z'), 'America/New_York')).toBe('2026-11-14');
    expect(localDay(new Date('2026-11-14T18:20:00Z'), 'Asia/Kathmandu')).toBe('2026-11-15');
  });

  it('has 23- and 25-hour days across daylight saving (Europe/Berlin, 2026)', () => {
    const hours = (day: string) =>
      (startOfDay(addDays(day, 1), 'Europe/Berlin').getTime() - startOfDay(day, 'Europe/Berlin').getTime()) /
      3_600_000;
    expect(hours('2026-03-29')).toBe(23);
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-10-26')).toBe(24);
    // 23:30 local on the long day is 22:30Z: still 25 October
    expect(localDay(new Date('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(localDay(new Date('2026-10-25T23:00:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
  });

  it('starts a day whose midnight does not exist at its first instant (America/Havana, 2026-03-08)', () => {
    expect(startOfDay('2026-03-08', 'America/Havana').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(localDay(new Date('2026-03-08T05:00:00Z'), 'America/Havana')).toBe('2026-03-08');
  });

  it('starts a day whose midnight comes twice at the first one (America/Havana, 2025-11-02)', () => {
    // 01:00 CDT (05:00Z) goes back to 00:00 CST: the day began at 00:00 CDT, 04:00Z
    expect(startOfDay('2025-11-02', 'America/Havana').toISOString()).toBe('2025-11-02T04:00:00.000Z');
    expect(localDay(new Date('2025-11-02T03:59:59.999Z'), 'America/Havana')).toBe('2025-11-01');
    expect(localDay(new Date('2025-11-02T04:00:00Z'), 'America/Havana')).toBe('2025-11-02');
    const p = resolvePeriod({ from: '2025-10-01', to: '2025-11-01' }, 'America/Havana', NOW);
    expect(p.days.at(-1)).toBe('2025-11-01');
    expect(p.to.toISOString()).toBe('2025-11-02T04:00:00.000Z');
  });

  it('takes unknown zones as UTC', () => {
    expect(usableZone('Mars/Olympus')).toBe('UTC');
    expect(usableZone(null)).toBe('UTC');
    expect(usableZone('Europe/Berlin')).toBe('Europe/Berlin');
  });
});

describe('report periods', () => {
  it('reads dates as whole local days, `to` included', () => {
    const p = resolvePeriod({ from: '2026-10-24', to: '2026-10-26' }, 'Europe/Berlin', NOW);
    expect(p.from.toISOString()).toBe('2026-10-23T22:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-10-26T23:00:00.000Z');
    expect(p.days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    expect(dayThresholds(p).map((d) => d.toISOString())).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
      '2026-10-26T23:00:00.000Z',
    ]);
  });

  it('takes instants as they are, `to` excluded, and lists the days they touch', () => {
    const p = resolvePeriod(
      { from: '2026-11-01T12:00:00Z', to: '2026-11-03T00:00:00+01:00' },
      'Europe/Berlin',
      NOW,
    );
    expect(p.days).toEqual(['2026-11-01', '2026-11-02']);
    expect(dayThresholds(p)[0]!.toISOString()).toBe('2026-11-01T12:00:00.000Z');
  });

  it('defaults to the 30 days up to the end of today in the zone', () => {
    const p = resolvePeriod({}, 'Pacific/Auckland', NOW);
    // 12:00Z is already 16 November in Auckland
    expect(p.days.at(-1)).toBe('2026-11-16');
    expect(p.days).toHaveLength(30);
    expect(p.to.toISOString()).toBe('2026-11-16T11:00:00.000Z');
  });

  it('refuses backwards, oversized and malformed periods', () => {
    expect(() => resolvePeriod({ from: '2026-11-02', to: '2026-11-01' }, 'UTC', NOW)).toThrow(/before/);
    expect(() => resolvePeriod({ from: '2024-01-01', to: '2026-01-01' }, 'UTC', NOW)).toThrow(/at most/);
    expect(() => resolvePeriod({ from: 'yesterday' }, 'UTC', NOW)).toThrow(/date/);
    expect(() => resolvePeriod({ from: '2026-11-01T10:00:00' }, 'UTC', NOW)).toThrow(/offset/);
    expect(() => resolvePeriod({ from: '2026-02-30' }, 'UTC', NOW)).toThrow(/date/);
  });
});

describe('the cached local day', () => {
  it("is Luxon's answer for any instant, in zones with odd offsets and daylight saving", () => {
    const zones = [
      'Europe/Berlin',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'America/Havana',
      'Pacific/Apia',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        // 1900 to 2040, and minutes around 2026's changes to hit the slots that hold a midnight
        fc.oneof(
          fc.integer({ min: -2_208_988_800_000, max: 2_208_988_800_000 }),
          fc.integer({ min: 1_774_000_000_000, max: 1_775_000_000_000 }),
        ),
        (zone, ms) => {
          expect(localDay(new Date(ms), zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('puts both sides of a midnight on their own days, cached or not', () => {
    const midnight = startOfDay('2026-10-26', 'Europe/Berlin').getTime();
    for (let i = 0; i < 3; i++) {
      expect(localDay(new Date(midnight - 1), 'Europe/Berlin')).toBe('2026-10-25');
      expect(localDay(new Date(midnight), 'Europe/Berlin')).toBe('2026-10-26');
    }
  });
});

describe('a period cut for the aggregates', () => {
  it('answers a year of dates with its whole months and the days around them', () => {
    const p = resolvePeriod({ from: '2025-12-05', to: '2026-12-04' }, 'Europe/Berlin', NOW);
    const parts = splitPeriod(p);
    expect(parts.partial).toEqual([]);
    expect(parts.wholeDays).toEqual(p.days);
    expect(parts.months).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    // 5 to 31 December 2025, 1 to 4 December 2026
    expect(parts.days).toHaveLength(27 + 4);
    expect(parts.days[0]).toBe('2025-12-05');
    expect(parts.days.at(-1)).toBe('2026-12-04');
  });

  it('leaves the pieces of the first and last day that instants cut to the rows', () => {
    const p = resolvePeriod(
      { from: '2026-10-24T10:15:00Z', to: '2026-11-30T23:00:00Z' },
      'Europe/Berlin',
      NOW,
    );
    const parts = splitPeriod(p);
    // the period ends at the end of 30 November in Berlin: that day is whole, and November with it
    expect(parts.partial).toEqual([
      { day: '2026-10-24', from: p.from, to: new Date('2026-10-24T22:00:00Z') },
    ]);
    expect(parts.months).toEqual(['2026-11-01']);
    expect(parts.days).toEqual([
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
    ]);
  });

  it('leaves a period inside one day whole to the rows', () => {
    const p = resolvePeriod({ from: '2026-10-25T01:00:00Z', to: '2026-10-25T20:00:00Z' }, 'UTC', NOW);
    expect(splitPeriod(p)).toEqual({
      wholeDays: [],
      months: [],
      days: [],
      partial: [{ day: '2026-10-25', from: p.from, to: p.to }],
    });
  });

  it('covers every instant of the period exactly once, and dates with whole days', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('America/Havana', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu'),
        fc.integer({ min: 1_760_000_000_000, max: 1_790_000_000_000 }),
        fc.integer({ min: 1, max: 200 * 86_400_000 }),
        fc.boolean(),
        (zone, from, length, dates) => {
          const input = dates
            ? { from: localDay(new Date(from), zone), to: localDay(new Date(from + length), zone) }
            : { from: new Date(from).toISOString(), to: new Date(from + length).toISOString() };
          const p = resolvePeriod(input, zone, NOW);
          const parts = splitPeriod(p);
          const covered: Array<[number, number]> = [
            ...parts.partial.map((x) => [x.from.getTime(), x.to.getTime()] as [number, number]),
            ...[
              ...parts.days,
              ...parts.months.flatMap((m) => p.days.filter((d) => d.startsWith(m.slice(0, 7)))),
            ].map(
              (d) =>
                [startOfDay(d, zone).getTime(), startOfDay(addDays(d, 1), zone).getTime()] as [
                  number,
                  number,
                ],
            ),
          ].sort((a, b) => a[0] - b[0]);
          expect(covered[0]![0]).toBe(p.from.getTime());
          expect(covered.at(-1)![1]).toBe(p.to.getTime());
          for (let i = 1; i < covered.length; i++) expect(covered[i]![0]).toBe(covered[i - 1]![1]);
          if (dates) expect(parts.partial).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
