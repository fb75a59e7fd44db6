import fc from 'fast-check';
import { summarize, type ReportBucket } from './report';
import { NO_ROUNDING, roundMinutes, ROUNDING_MODES, type RoundingRule } from './rounding';

const bucket = (over: Partial<ReportBucket>): ReportBucket => ({
  key: 'client-a',
  billable: true,
  flagged: false,
  durationMinutes: 10,
  entries: 1,
  ...over,
});
const up15: RoundingRule = { minutes: 15, mode: 'up' };

describe('time report', () => {
  it('sums billable and non-billable minutes per key, rounding each billable entry', () => {
    const { rows, totals } = summarize(
      [
        bucket({ durationMinutes: 10, entries: 2 }),
        bucket({ durationMinutes: 20 }),
        bucket({ billable: false, durationMinutes: 7 }),
        bucket({ key: 'client-b', durationMinutes: 61 }),
        bucket({ key: null, billable: false, durationMinutes: 5, entries: 3 }),
      ],
      up15,
    );
    expect(rows).toEqual([
      { key: 'client-a', billableMinutes: 15 * 2 + 30, nonBillableMinutes: 7, flaggedMinutes: 0 },
      { key: 'client-b', billableMinutes: 75, nonBillableMinutes: 0, flaggedMinutes: 0 },
      { key: null, billableMinutes: 0, nonBillableMinutes: 15, flaggedMinutes: 0 },
    ]);
    expect(totals).toEqual({ billableMinutes: 135, nonBillableMinutes: 22, flaggedMinutes: 0 });
  });

  it('never bills a flagged entry: it counts as non-billable and as flagged, unrounded', () => {
    const { rows } = summarize([bucket({ flagged: true, billable: true, durationMinutes: 800 })], up15);
    expect(rows).toEqual([
      { key: 'client-a', billableMinutes: 0, nonBillableMinutes: 800, flaggedMinutes: 800 },
    ]);
  });

  it('is empty for no entries', () => {
    expect(summarize([], up15)).toEqual({
      rows: [],
      totals: { billableMinutes: 0, nonBillableMinutes: 0, flaggedMinutes: 0 },
    });
  });

  const buckets = fc.array(
    fc.record({
      key: fc.constantFrom('a', 'b', 'c', null),
      billable: fc.boolean(),
      flagged: fc.boolean(),
      durationMinutes: fc.integer({ min: 1, max: 1440 }),
      entries: fc.integer({ min: 1, max: 50 }),
    }),
    { maxLength: 40 },
  );
  const rule = fc.record({
    minutes: fc.integer({ min: 0, max: 240 }),
    mode: fc.constantFrom(...ROUNDING_MODES),
  });

  it('totals are the sums of the rows, and every minute is counted once (property)', () => {
    fc.assert(
      fc.property(buckets, rule, (bs, r) => {
        const { rows, totals } = summarize(bs, r);
        const sum = (f: (row: (typeof rows)[number]) => number) => rows.reduce((n, row) => n + f(row), 0);
        expect(totals.billableMinutes).toBe(sum((row) => row.billableMinutes));
        expect(totals.nonBillableMinutes).toBe(sum((row) => row.nonBillableMinutes));
        expect(totals.flaggedMinutes).toBe(sum((row) => row.flaggedMinutes));
        // one row per key, null last
        expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
        const nullAt = rows.findIndex((row) => row.key === null);
        if (nullAt >= 0) expect(nullAt).toBe(rows.length - 1);

        const billed = bs.filter((b) => b.billable && !b.flagged);
        const unbilled = bs.filter((b) => !b.billable || b.flagged);
        expect(totals.billableMinutes).toBe(
          billed.reduce((n, b) => n + roundMinutes(b.durationMinutes, r) * b.entries, 0),
        );
        expect(totals.nonBillableMinutes).toBe(
          unbilled.reduce((n, b) => n + b.durationMinutes * b.entries, 0),
        );
        expect(totals.flaggedMinutes).toBeLessThanOrEqual(totals.nonBillableMinutes);
      }),
    );
  });

  it('rounding up never bills less, and at most one increment more per entry (property)', () => {
    fc.assert(
      fc.property(buckets, fc.integer({ min: 2, max: 240 }), (bs, step) => {
        const raw = summarize(bs, NO_ROUNDING).totals;
        const rounded = summarize(bs, { minutes: step, mode: 'up' }).totals;
        const billedEntries = bs.filter((b) => b.billable && !b.flagged).reduce((n, b) => n + b.entries, 0);
        expect(rounded.billableMinutes).toBeGreaterThanOrEqual(raw.billableMinutes);
        expect(rounded.billableMinutes - raw.billableMinutes).toBeLessThan(Math.max(1, billedEntries * step));
        expect(rounded.nonBillableMinutes).toBe(raw.nonBillableMinutes);
      }),
    );
  });
});
