// A time report: billable and non-billable minutes per client or user, with the tenant's rounding applied to
// each billable entry. Flagged entries (timers over 12 hours) are never billable: they count as non-billable
// and separately as flagged until someone reviews them.
import { roundMinutes, type RoundingRule } from './rounding';

export const REPORT_GROUPS = ['client', 'user'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

/** Entries of one group with one duration and one billable/flagged state: how the store hands them over. */
export interface ReportBucket {
  /** Client or user id; null for entries on tickets without a client. */
  key: string | null;
  billable: boolean;
  flagged: boolean;
  durationMinutes: number;
  entries: number;
}

export interface ReportTotals {
  billableMinutes: number;
  nonBillableMinutes: number;
  flaggedMinutes: number;
}

export interface ReportRow extends ReportTotals {
  key: string | null;
}

export interface ReportSummary {
  rows: ReportRow[];
  totals: ReportTotals;
}

export function summarize(buckets: readonly ReportBucket[], rule: RoundingRule): ReportSummary {
  const byKey = new Map<string | null, ReportRow>();
  for (const bucket of buckets) {
    let row = byKey.get(bucket.key);
    if (!row) {
      row = { key: bucket.key, billableMinutes: 0, nonBillableMinutes: 0, flaggedMinutes: 0 };
      byKey.set(bucket.key, row);
    }
    if (bucket.billable && !bucket.flagged) {
      row.billableMinutes += roundMinutes(bucket.durationMinutes, rule) * bucket.entries;
    } else {
      row.nonBillableMinutes += bucket.durationMinutes * bucket.entries;
      if (bucket.flagged) row.flaggedMinutes += bucket.durationMinutes * bucket.entries;
    }
  }
  const rows = [...byKey.values()].sort(byKeyNullLast);
  const totals = rows.reduce<ReportTotals>(
    (sum, row) => ({
      billableMinutes: sum.billableMinutes + row.billableMinutes,
      nonBillableMinutes: sum.nonBillableMinutes + row.nonBillableMinutes,
      flaggedMinutes: sum.flaggedMinutes + row.flaggedMinutes,
    }),
    { billableMinutes: 0, nonBillableMinutes: 0, flaggedMinutes: 0 },
  );
  return { rows, totals };
}

function byKeyNullLast(a: ReportRow, b: ReportRow): number {
  if (a.key === b.key) return 0;
  if (a.key === null) return 1;
  if (b.key === null) return -1;
  return a.key < b.key ? -1 : 1;
}
