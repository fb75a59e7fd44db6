// The statistics of the reports (docs/product/reports.md "Definitions"): percentiles of whole minutes, SLA
// compliance, the CSAT average. Pure; the read model hands over counts per value, never single tickets.

/** How many tickets had each value (whole minutes). */
export interface ValueCount {
  readonly value: number;
  readonly count: number;
}

/** Median and 90th percentile of a set of minutes; null without values. */
export interface MinutesSummary {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
}

/** Rounds to `decimals` places, half away from zero. */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of the values a histogram holds, interpolating linearly between the two nearest ranks
 * (rank p × (n − 1) of the sorted values, counted from 0): PostgreSQL's `percentile_cont`, Excel's PERCENTILE.INC.
 * The median of 1, 2, 3, 10 is 2.5, its 90th percentile 7.9. Null for an empty histogram.
 */
export function quantile(histogram: readonly ValueCount[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be between 0 and 1');
  const sorted = histogram.filter((h) => h.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((sum, h) => sum + h.count, 0);
  if (n === 0) return null;
  const rank = p * (n - 1);
  const lower = Math.floor(rank);
  const valueAt = (index: number): number => {
    let seen = 0;
    for (const h of sorted) {
      seen += h.count;
      if (index < seen) return h.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const a = valueAt(lower);
  const b = rank === lower ? a : valueAt(lower + 1);
  return a + (b - a) * (rank - lower);
}

/** Count, median and 90th percentile of a histogram, the percentiles rounded to 0.1. */
export function summarize(histogram: readonly ValueCount[]): MinutesSummary {
  const median = quantile(histogram, 0.5);
  const p90 = quantile(histogram, 0.9);
  return {
    count: histogram.reduce((sum, h) => sum + h.count, 0),
    median: median === null ? null : round(median, 1),
    p90: p90 === null ? null : round(p90, 1),
  };
}

/** Met and breached targets of one kind; running and paused ones are not counted. */
export interface TargetCompliance {
  readonly met: number;
  readonly breached: number;
  /** met ÷ (met + breached) × 100 rounded to 0.1; null when nothing was met or breached. */
  readonly compliancePercent: number | null;
}

export function compliance(met: number, breached: number): TargetCompliance {
  const decided = met + breached;
  return { met, breached, compliancePercent: decided === 0 ? null : round((met * 100) / decided, 1) };
}

/** Customer satisfaction: how many tickets were rated and their average score (rounded to 0.01). */
export interface Csat {
  readonly count: number;
  readonly average: number | null;
}

export function csat(count: number, scoreSum: number): Csat {
  return { count, average: count === 0 ? null : round(scoreSum / count, 2) };
}

/** Whole minutes from `from` to `to`, rounded down; null without `to` or when `to` is before `from`. */
export function wholeMinutesBetween(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  const ms = to.getTime() - from.getTime();
  return ms < 0 ? null : Math.floor(ms / 60_000);
}
