import fc from 'fast-check';
import { compliance, csat, quantile, round, summarize, wholeMinutesBetween } from './stats';

const hist = (...values: number[]) => values.map((value) => ({ value, count: 1 }));

describe('percentiles of whole minutes', () => {
  it('interpolates between the nearest ranks, as percentile_cont and PERCENTILE.INC do', () => {
    expect(quantile(hist(1, 2, 3, 10), 0.5)).toBe(2.5);
    expect(quantile(hist(1, 2, 3, 10), 0.9)).toBeCloseTo(7.9, 10);
    expect(quantile(hist(5), 0.9)).toBe(5);
    expect(quantile(hist(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 0.9)).toBe(91);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('reads counts as that many equal values, in any order', () => {
    expect(
      quantile(
        [
          { value: 30, count: 3 },
          { value: 0, count: 1 },
        ],
        0.5,
      ),
    ).toBe(30);
    expect(quantile([{ value: 9, count: 0 }, ...hist(4, 2)], 0.5)).toBe(3);
  });

  it('summarizes count, median and p90 rounded to 0.1', () => {
    expect(summarize(hist(1, 2, 3, 10))).toEqual({ count: 4, median: 2.5, p90: 7.9 });
    expect(summarize([])).toEqual({ count: 0, median: null, p90: null });
  });

  it('agrees with the sorted list it stands for (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const rank = p * (sorted.length - 1);
          const lo = sorted[Math.floor(rank)]!;
          const hi = sorted[Math.ceil(rank)]!;
          const expected = lo + (hi - lo) * (rank - Math.floor(rank));
          const counts = new Map<number, number>();
          for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
          const histogram = [...counts].map(([value, count]) => ({ value, count }));
          expect(quantile(histogram, p)).toBeCloseTo(expected, 6);
          expect(quantile(histogram, p)! >= sorted[0]! && quantile(histogram, p)! <= sorted.at(-1)!).toBe(
            true,
          );
        },
      ),
    );
  });
});

describe('SLA compliance, CSAT and minutes', () => {
  it('is met ÷ (met + breached), null when nothing was decided', () => {
    expect(compliance(2, 1)).toEqual({ met: 2, breached: 1, compliancePercent: 66.7 });
    expect(compliance(0, 3).compliancePercent).toBe(0);
    expect(compliance(0, 0).compliancePercent).toBeNull();
  });

  it('averages the scores of rated tickets', () => {
    expect(csat(3, 13)).toEqual({ count: 3, average: 4.33 });
    expect(csat(0, 0)).toEqual({ count: 0, average: null });
  });

  it('counts whole minutes, rounded down', () => {
    const t = new Date('2026-03-01T10:00:00Z');
    expect(wholeMinutesBetween(t, new Date('2026-03-01T10:14:59Z'))).toBe(14);
    expect(wholeMinutesBetween(t, null)).toBeNull();
    expect(wholeMinutesBetween(t, new Date('2026-03-01T09:00:00Z'))).toBeNull();
    expect(round(2.25, 1)).toBe(2.3);
    expect(round(-2.25, 1)).toBe(-2.3);
  });
});
