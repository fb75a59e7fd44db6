import { z } from 'zod';
import { REPORT_FORMATS } from '../../../app/rest-values';
import { isoDateTime } from './common.schema';

// The reporting service owns the rules (the tenant's zone, the longest period); these check shapes and sizes.
export const SLA_REPORT_GROUPS = ['client', 'priority', 'assignee', 'team'] as const;

const bound = (field: 'from' | 'to') =>
  z
    .union([z.iso.date(), isoDateTime()])
    .optional()
    .meta({
      description:
        field === 'from'
          ? "A date (YYYY-MM-DD: from the start of that day in the tenant's zone) or an ISO-8601 instant; 29 days before `to` when absent"
          : "A date (YYYY-MM-DD: up to the end of that day in the tenant's zone, included) or an ISO-8601 instant (excluded); the end of today when absent",
      examples: [field === 'from' ? '2026-11-01' : '2026-11-30'],
    });

export const overviewQuerySchema = z.strictObject({
  from: bound('from'),
  to: bound('to'),
  clientId: z.guid().optional().meta({ description: "Only this client's tickets (404 unless the tenant's)" }),
});

export const slaReportQuerySchema = z.strictObject({
  groupBy: z.enum(SLA_REPORT_GROUPS).default('client'),
  from: bound('from'),
  to: bound('to'),
  format: z
    .enum(REPORT_FORMATS)
    .default('json')
    .meta({ description: 'json, or csv for a text/csv download of the rows' }),
});

const targetSchema = z
  .object({
    met: z.number().int(),
    breached: z
      .number()
      .int()
      .meta({ description: 'A breach is final, even when the target was fulfilled later' }),
    compliancePercent: z.number().nullable().meta({
      description: 'met ÷ (met + breached) × 100, rounded to 0.1; null when nothing was met or breached',
    }),
  })
  .meta({ id: 'SlaTargetCompliance' });

const slaSchema = z
  .object({ firstResponse: targetSchema, resolution: targetSchema })
  .meta({ id: 'SlaCompliance', description: 'Running and paused targets are left out' });

const minutesSchema = z
  .object({
    count: z.number().int().meta({ description: 'Tickets with a value' }),
    median: z.number().nullable(),
    p90: z.number().nullable().meta({ description: '90th percentile' }),
  })
  .meta({
    id: 'MinutesSummary',
    description: 'Whole minutes; percentiles interpolated between ranks (as percentile_cont), rounded to 0.1',
  });

const dayCount = z.object({ date: z.iso.date(), count: z.number().int() }).meta({ id: 'DayCount' });

const periodFields = {
  from: isoDateTime().meta({ description: 'First instant of the period' }),
  to: isoDateTime().meta({ description: 'First instant after the period' }),
  timezone: z.string().meta({ description: "The tenant's IANA zone; every day is a day there" }),
};

export const overviewSchema = z
  .object({
    ...periodFields,
    clientId: z.guid().nullable(),
    openByStatus: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Tickets open now, per open status' }),
    openByPriority: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Tickets open now, per priority' }),
    sla: slaSchema.meta({ description: 'SLA targets of the tickets opened in the period' }),
    firstResponseMinutes: minutesSchema.meta({
      description: 'Opening to the first agent public reply, calendar minutes, tickets opened in the period',
    }),
    firstResponseBusinessMinutes: minutesSchema.meta({
      description: "The same in business minutes of the ticket's SLA calendar",
    }),
    createdByDay: z.array(dayCount),
    resolvedByDay: z
      .array(dayCount)
      .meta({ description: 'By the current resolution time (a reopen undoes one)' }),
    backlogByDay: z
      .array(z.object({ date: z.iso.date(), open: z.number().int() }))
      .meta({ description: 'Tickets open at the end of each day; a past day never changes' }),
    csat: z
      .object({
        count: z.number().int(),
        average: z.number().nullable().meta({ description: '1 to 5, rounded to 0.01; null without ratings' }),
      })
      .meta({ description: 'Portal ratings of the tickets opened in the period' }),
  })
  .meta({ id: 'ReportOverview' });

const slaRowFields = {
  tickets: z.number().int().meta({ description: 'Tickets opened in the period' }),
  firstResponse: targetSchema,
  resolution: targetSchema,
  firstResponseMinutes: minutesSchema,
  firstResponseBusinessMinutes: minutesSchema,
};

export const slaReportSchema = z
  .object({
    groupBy: z.enum(SLA_REPORT_GROUPS),
    ...periodFields,
    items: z.array(
      z.union([
        z.object({ clientId: z.guid().nullable(), ...slaRowFields }),
        z.object({ priority: z.string(), ...slaRowFields }),
        z.object({ assigneeId: z.guid().nullable(), ...slaRowFields }),
        z.object({ teamId: z.guid().nullable(), ...slaRowFields }),
      ]),
    ),
    totals: z.object(slaRowFields),
  })
  .meta({ id: 'SlaReport' });
