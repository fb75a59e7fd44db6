import {
  backlogSeries,
  compliance,
  csat,
  resolvePeriod,
  summarize,
  usableZone,
  type Csat,
  type MinutesSummary,
  type Period,
  type PeriodInput,
  type TargetCompliance,
} from '../domain';
import type { Cohort, CohortRow, Group, HistogramRow, ReportReader, TimeSource } from './ports';

/** The open statuses and the priorities, in the order the reports list them. */
export const OPEN_STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
] as const;
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;

export interface SlaCompliance {
  readonly firstResponse: TargetCompliance;
  readonly resolution: TargetCompliance;
}

/** SPEC §9 `GET /reports/overview`. */
export interface Overview {
  readonly period: Period;
  readonly clientId: string | null;
  readonly openByStatus: ReadonlyArray<{ key: string; count: number }>;
  readonly openByPriority: ReadonlyArray<{ key: string; count: number }>;
  readonly sla: SlaCompliance;
  readonly firstResponseMinutes: MinutesSummary;
  readonly firstResponseBusinessMinutes: MinutesSummary;
  readonly createdByDay: ReadonlyArray<{ date: string; count: number }>;
  readonly resolvedByDay: ReadonlyArray<{ date: string; count: number }>;
  readonly backlogByDay: ReadonlyArray<{ date: string; open: number }>;
  readonly csat: Csat;
}

/** One group of SPEC §9 `GET /reports/sla` (key null: tickets without a client, assignee or team). */
export interface SlaReportRow {
  readonly key: string | null;
  readonly tickets: number;
  readonly sla: SlaCompliance;
  readonly firstResponseMinutes: MinutesSummary;
  readonly firstResponseBusinessMinutes: MinutesSummary;
}

export interface SlaReport {
  readonly period: Period;
  readonly groupBy: Group;
  readonly rows: readonly SlaReportRow[];
  readonly totals: SlaReportRow;
}

async function periodOf(reader: ReportReader, clock: TimeSource, tenantId: string, input: PeriodInput) {
  const zone = usableZone(await reader.tenantZone(tenantId));
  return resolvePeriod(input, zone, clock.now());
}

const EMPTY_ROW: CohortRow = {
  key: null,
  tickets: 0,
  frMet: 0,
  frBreached: 0,
  resMet: 0,
  resBreached: 0,
  rated: 0,
  ratingSum: 0,
};

function slaOf(row: CohortRow): SlaCompliance {
  return {
    firstResponse: compliance(row.frMet, row.frBreached),
    resolution: compliance(row.resMet, row.resBreached),
  };
}

/** The histogram rows per group and kind, indexed once (a year by client holds a few hundred thousand). */
class Histograms {
  private readonly byGroup = new Map<string, HistogramRow[]>();

  constructor(rows: readonly HistogramRow[]) {
    for (const r of rows) {
      const k = `${r.key ?? ''}|${r.kind}`;
      const list = this.byGroup.get(k);
      if (list) list.push(r);
      else this.byGroup.set(k, [r]);
    }
  }

  of(key: string | null, kind: HistogramRow['kind']): readonly HistogramRow[] {
    return this.byGroup.get(`${key ?? ''}|${kind}`) ?? [];
  }
}

function countsPerDay(period: Period, counts: ReadonlyMap<string, number>) {
  return period.days.map((date) => ({ date, count: counts.get(date) ?? 0 }));
}

/** The overview of a period (docs/product/reports.md "Overview"). */
export class OverviewUseCase {
  constructor(private readonly deps: { reader: ReportReader; clock: TimeSource }) {}

  async execute(input: {
    tenantId: string;
    period: PeriodInput;
    clientId: string | null;
  }): Promise<Overview> {
    const { reader } = this.deps;
    const { tenantId, clientId } = input;
    const period = await periodOf(reader, this.deps.clock, tenantId, input.period);
    const cohort: Cohort = { tenantId, period, clientId };
    const [open, rows, histograms, created, resolved, backlog] = await Promise.all([
      reader.openNow(tenantId, clientId),
      reader.cohort(cohort, null),
      reader.firstResponses(cohort, null),
      reader.countsByDay(tenantId, 'opened', period, clientId),
      reader.countsByDay(tenantId, 'resolved', period, clientId),
      reader.backlogChanges(tenantId, period.days[0]!, period.days[period.days.length - 1]!, clientId),
    ]);
    const all = rows[0] ?? EMPTY_ROW;
    const firstResponses = new Histograms(histograms);
    const byStatus = new Map<string, number>(OPEN_STATUSES.map((s) => [s, 0]));
    const byPriority = new Map<string, number>(PRIORITIES.map((p) => [p, 0]));
    for (const o of open) {
      byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + o.count);
      byPriority.set(o.priority, (byPriority.get(o.priority) ?? 0) + o.count);
    }
    const listed = (m: Map<string, number>) => [...m.entries()].map(([key, count]) => ({ key, count }));
    return {
      period,
      clientId,
      openByStatus: listed(byStatus),
      openByPriority: listed(byPriority),
      sla: slaOf(all),
      firstResponseMinutes: summarize(firstResponses.of(null, 'calendar')),
      firstResponseBusinessMinutes: summarize(firstResponses.of(null, 'business')),
      createdByDay: countsPerDay(period, created),
      resolvedByDay: countsPerDay(period, resolved),
      backlogByDay: backlogSeries(period.days, backlog.before, backlog.byDay),
      csat: csat(all.rated, all.ratingSum),
    };
  }
}

/** SLA compliance and first response per group (docs/product/reports.md "SLA report"). */
export class SlaReportUseCase {
  constructor(private readonly deps: { reader: ReportReader; clock: TimeSource }) {}

  async execute(input: { tenantId: string; period: PeriodInput; groupBy: Group }): Promise<SlaReport> {
    const { reader } = this.deps;
    const period = await periodOf(reader, this.deps.clock, input.tenantId, input.period);
    const cohort: Cohort = { tenantId: input.tenantId, period, clientId: null };
    const [groups, totals, histograms, allHistograms] = await Promise.all([
      reader.cohort(cohort, input.groupBy),
      reader.cohort(cohort, null),
      reader.firstResponses(cohort, input.groupBy),
      reader.firstResponses(cohort, null),
    ]);
    const row = (r: CohortRow, hs: Histograms): SlaReportRow => ({
      key: r.key,
      tickets: r.tickets,
      sla: slaOf(r),
      firstResponseMinutes: summarize(hs.of(r.key, 'calendar')),
      firstResponseBusinessMinutes: summarize(hs.of(r.key, 'business')),
    });
    const grouped = new Histograms(histograms);
    const rows = groups
      .filter((g) => g.tickets > 0)
      .map((g) => row(g, grouped))
      .sort(input.groupBy === 'priority' ? byPriority : byTickets);
    return {
      period,
      groupBy: input.groupBy,
      rows,
      totals: row({ ...(totals[0] ?? EMPTY_ROW), key: null }, new Histograms(allHistograms)),
    };
  }
}

function rank(priority: string | null): number {
  const i = (PRIORITIES as readonly string[]).indexOf(priority ?? '');
  return i === -1 ? PRIORITIES.length : i;
}

function byPriority(a: SlaReportRow, b: SlaReportRow): number {
  return rank(a.key) - rank(b.key) || compareKeys(a.key, b.key);
}

// most tickets first; then by key, the group without one last
function byTickets(a: SlaReportRow, b: SlaReportRow): number {
  return b.tickets - a.tickets || compareKeys(a.key, b.key);
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
