import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { reportingV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type {
  OverviewUseCase,
  SlaCompliance,
  SlaReportRow,
  SlaReportUseCase,
} from '../../app/reports.use-case';
import type { MinutesSummary, Period } from '../../domain';
import { getOverviewRequestSchema, getSlaReportRequestSchema } from './reporting.schemas';

export interface ReportUseCases {
  overview: OverviewUseCase;
  slaReport: SlaReportUseCase;
}

const optional = (n: number | null) => (n === null ? undefined : n);

function toPeriod(p: Period): reportingV1.ResolvedPeriod {
  return { from: p.from, to: p.to, timezone: p.timezone, days: [...p.days] };
}

function toMinutes(m: MinutesSummary): reportingV1.MinutesSummary {
  return { count: m.count, median: optional(m.median), p90: optional(m.p90) };
}

function toSla(s: SlaCompliance): reportingV1.SlaCompliance {
  const target = (t: SlaCompliance['firstResponse']) => ({
    met: t.met,
    breached: t.breached,
    compliancePercent: optional(t.compliancePercent),
  });
  return { firstResponse: target(s.firstResponse), resolution: target(s.resolution) };
}

function toRow(r: SlaReportRow): reportingV1.SlaReportRow {
  return {
    key: r.key ?? '',
    tickets: r.tickets,
    sla: toSla(r.sla),
    firstResponseMinutes: toMinutes(r.firstResponseMinutes),
    firstResponseBusinessMinutes: toMinutes(r.firstResponseBusinessMinutes),
  };
}

/** ReportingService: proto messages in, zod-checked use-case input, proto messages out. */
export function reportingHandlers(
  useCases: ReportUseCases,
  logger: Logger,
): reportingV1.ReportingServiceServer & UntypedServiceImplementation {
  return {
    getOverview: unary<reportingV1.GetOverviewRequest, reportingV1.GetOverviewResponse>(async (request) => {
      const input = getOverviewRequestSchema.parse(request);
      const o = await useCases.overview.execute(input);
      return {
        period: toPeriod(o.period),
        openByStatus: [...o.openByStatus],
        openByPriority: [...o.openByPriority],
        sla: toSla(o.sla),
        firstResponseMinutes: toMinutes(o.firstResponseMinutes),
        firstResponseBusinessMinutes: toMinutes(o.firstResponseBusinessMinutes),
        createdByDay: [...o.createdByDay],
        resolvedByDay: [...o.resolvedByDay],
        backlogByDay: o.backlogByDay.map((d) => ({ date: d.date, count: d.open })),
        csat: { count: o.csat.count, average: optional(o.csat.average) },
      };
    }, logger),

    getSlaReport: unary<reportingV1.GetSlaReportRequest, reportingV1.GetSlaReportResponse>(
      async (request) => {
        const input = getSlaReportRequestSchema.parse(request);
        const report = await useCases.slaReport.execute(input);
        return {
          period: toPeriod(report.period),
          rows: report.rows.map(toRow),
          totals: toRow(report.totals),
        };
      },
      logger,
    ),
  };
}
