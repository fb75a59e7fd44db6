import {
  overviewSchema,
  overviewQuerySchema,
  slaReportQuerySchema,
  slaReportSchema,
} from '../schemas/report.schema';
import { slaReportCsv, toOverviewDto, toSlaReportDto } from '../mappers/report.mapper';
import { defineRoute, MediaResponse, type AnyRoute } from '../route';
import type { RouteDeps } from './route-deps';

/** The reports of docs/product/reports.md, from the reporting service's read model (admins, agents, API keys). */
export function reportRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/reports/overview',
      operationId: 'getReportOverview',
      summary:
        "Open tickets, SLA compliance, first response (median, p90), tickets created, resolved and open per day, and CSAT over a period, in the tenant's zone",
      tag: 'reports',
      access: 'tenant',
      query: overviewQuerySchema,
      response: { status: 200, description: 'The overview', schema: overviewSchema },
      errors: [400, 404],
      handle: async ({ principal, query }) => {
        // another tenant's client (or none at all) answers 404, as a record of another tenant does
        if (query.clientId)
          await deps.directory.getClient({ tenantId: principal.tenantId, id: query.clientId });
        const overview = await deps.reporting.getOverview({
          tenantId: principal.tenantId,
          period: { from: query.from ?? '', to: query.to ?? '' },
          clientId: query.clientId ?? '',
        });
        return toOverviewDto(query.clientId, overview);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/reports/sla',
      operationId: 'getSlaReport',
      summary:
        'Tickets, first-response and resolution SLA met, breached and compliance, and first response per client, priority, assignee or team over a period; JSON or CSV',
      tag: 'reports',
      access: 'tenant',
      query: slaReportQuerySchema,
      response: {
        status: 200,
        description: 'The report (format=csv: the items as text/csv)',
        schema: slaReportSchema,
        media: ['text/csv'],
      },
      errors: [400],
      handle: async ({ principal, query }) => {
        const report = toSlaReportDto(
          query.groupBy,
          await deps.reporting.getSlaReport({
            tenantId: principal.tenantId,
            period: { from: query.from ?? '', to: query.to ?? '' },
            groupBy: query.groupBy,
          }),
        );
        if (query.format === 'json') return report;
        return new MediaResponse('text/csv', slaReportCsv(report), `sla-report-by-${query.groupBy}.csv`);
      },
    }),
  ];
}
