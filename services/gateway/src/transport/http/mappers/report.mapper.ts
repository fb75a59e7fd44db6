// REST ↔ ReportingService. proto3 has no null: an unset optional number is null in REST, '' is "none".
import type { reportingV1 } from '@helpdesk/contracts';
import type { z } from 'zod';
import { toCsv } from '../../../app/csv';
import { GatewayError } from '../../../app/errors';
import type { overviewSchema, SLA_REPORT_GROUPS, slaReportSchema } from '../schemas/report.schema';

export type OverviewDto = z.input<typeof overviewSchema>;
export type SlaReportDto = z.input<typeof slaReportSchema>;
type SlaGroup = (typeof SLA_REPORT_GROUPS)[number];

const KEY_FIELD = {
  client: 'clientId',
  priority: 'priority',
  assignee: 'assigneeId',
  team: 'teamId',
} as const;

function periodOf(p: reportingV1.ResolvedPeriod | undefined) {
  if (!p?.from || !p.to) throw new GatewayError('INTERNAL', 'Reporting service returned no period');
  return { from: p.from.toISOString(), to: p.to.toISOString(), timezone: p.timezone };
}

const nullable = (n: number | undefined) => n ?? null;

function target(t: reportingV1.TargetCompliance | undefined) {
  return { met: t?.met ?? 0, breached: t?.breached ?? 0, compliancePercent: nullable(t?.compliancePercent) };
}

function minutes(m: reportingV1.MinutesSummary | undefined) {
  return { count: m?.count ?? 0, median: nullable(m?.median), p90: nullable(m?.p90) };
}

const record = (counts: readonly reportingV1.KeyCount[]) =>
  Object.fromEntries(counts.map((c) => [c.key, c.count]));

export function toOverviewDto(clientId: string | undefined, o: reportingV1.GetOverviewResponse): OverviewDto {
  return {
    ...periodOf(o.period),
    clientId: clientId ?? null,
    openByStatus: record(o.openByStatus),
    openByPriority: record(o.openByPriority),
    sla: { firstResponse: target(o.sla?.firstResponse), resolution: target(o.sla?.resolution) },
    firstResponseMinutes: minutes(o.firstResponseMinutes),
    firstResponseBusinessMinutes: minutes(o.firstResponseBusinessMinutes),
    createdByDay: o.createdByDay.map((d) => ({ date: d.date, count: d.count })),
    resolvedByDay: o.resolvedByDay.map((d) => ({ date: d.date, count: d.count })),
    backlogByDay: o.backlogByDay.map((d) => ({ date: d.date, open: d.count })),
    csat: { count: o.csat?.count ?? 0, average: nullable(o.csat?.average) },
  };
}

function rowFields(r: reportingV1.SlaReportRow | undefined) {
  return {
    tickets: r?.tickets ?? 0,
    firstResponse: target(r?.sla?.firstResponse),
    resolution: target(r?.sla?.resolution),
    firstResponseMinutes: minutes(r?.firstResponseMinutes),
    firstResponseBusinessMinutes: minutes(r?.firstResponseBusinessMinutes),
  };
}

export function toSlaReportDto(groupBy: SlaGroup, report: reportingV1.GetSlaReportResponse): SlaReportDto {
  const field = KEY_FIELD[groupBy];
  return {
    groupBy,
    ...periodOf(report.period),
    items: report.rows.map(
      (r) => ({ [field]: r.key === '' ? null : r.key, ...rowFields(r) }) as SlaReportDto['items'][number],
    ),
    totals: rowFields(report.totals),
  };
}

const CSV_COLUMNS = [
  'tickets',
  'firstResponseMet',
  'firstResponseBreached',
  'firstResponseCompliancePercent',
  'resolutionMet',
  'resolutionBreached',
  'resolutionCompliancePercent',
  'firstResponseMedianMinutes',
  'firstResponseP90Minutes',
  'firstResponseMedianBusinessMinutes',
  'firstResponseP90BusinessMinutes',
];

/** The report's rows as CSV: the group's key (empty: none), then the numbers of each row. */
export function slaReportCsv(report: SlaReportDto): string {
  const field = KEY_FIELD[report.groupBy];
  return toCsv(
    [field, ...CSV_COLUMNS],
    report.items.map((item) => {
      const key = (item as Record<string, unknown>)[field];
      return [
        typeof key === 'string' ? key : null,
        item.tickets,
        item.firstResponse.met,
        item.firstResponse.breached,
        item.firstResponse.compliancePercent,
        item.resolution.met,
        item.resolution.breached,
        item.resolution.compliancePercent,
        item.firstResponseMinutes.median,
        item.firstResponseMinutes.p90,
        item.firstResponseBusinessMinutes.median,
        item.firstResponseBusinessMinutes.p90,
      ];
    }),
  );
}
