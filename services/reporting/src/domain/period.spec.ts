import { addDays, dayThresholds, localDay, resolvePeriod, startOfDay, usableZone } from './period';

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
