import type { EntryView } from '../domain/entry';
import { summarize, type ReportRow, type ReportTotals } from '../domain/report';
import type { RoundingRule } from '../domain/rounding';
import type { ReportQuery, TimeReader } from './ports';
import { checkPeriod } from './list-entries.use-case';

/** How many flagged entries a report lists at most (they also count in its totals). */
export const FLAGGED_LIST_LIMIT = 200;

export interface TimeReport {
  rows: ReportRow[];
  totals: ReportTotals;
  rounding: RoundingRule;
  flagged: EntryView[];
  flaggedCount: number;
}

/**
 * Billable and non-billable minutes by client or user over a period, with the tenant's rounding applied to each
 * billable entry; flagged entries (timers over 12 hours) count as non-billable and are listed for review.
 */
export class TimeReportUseCase {
  constructor(private readonly reader: TimeReader) {}

  async execute(query: ReportQuery): Promise<TimeReport> {
    checkPeriod(query.from, query.to);
    const [settings, buckets, flagged] = await Promise.all([
      this.reader.settings(query.tenantId),
      this.reader.reportBuckets(query),
      this.reader.flaggedEntries(query, FLAGGED_LIST_LIMIT),
    ]);
    const summary = summarize(buckets, settings.rounding);
    return {
      ...summary,
      rounding: settings.rounding,
      flagged: flagged.items,
      flaggedCount: flagged.count,
    };
  }
}
