import { z } from 'zod';
import { SLA_PAUSABLE_STATUSES, SLA_STATES, TICKET_PRIORITIES } from '../../../app/rest-values';
import { isoDateTime, pageOf, timezoneSchema } from './common.schema';

// The SLA service owns the rules (time formats, sorted ranges, real dates, target bounds); these check shapes.
const hhmm = z
  .string()
  .max(5)
  .meta({ description: 'HH:MM; an end may be 24:00', examples: ['08:00'] });
const rangeSchema = z
  .tuple([hhmm, hhmm])
  .meta({ description: '[start, end), wall clock of the calendar zone' });
const dayHours = z.array(rangeSchema).max(24);

const hoursSchema = z
  .strictObject({
    mon: dayHours.optional(),
    tue: dayHours.optional(),
    wed: dayHours.optional(),
    thu: dayHours.optional(),
    fri: dayHours.optional(),
    sat: dayHours.optional(),
    sun: dayHours.optional(),
  })
  .meta({ description: 'Open ranges per weekday; a day left out is closed', id: 'WeeklyHours' });

const holidaysSchema = z
  .array(
    z
      .string()
      .max(10)
      .meta({ examples: ['2026-12-25'] }),
  )
  .max(5000)
  .meta({ description: 'Closed local dates, YYYY-MM-DD' });

const nameSchema = z.string().trim().min(1).max(200);

const weekSchema = z.object({
  mon: z.array(rangeSchema),
  tue: z.array(rangeSchema),
  wed: z.array(rangeSchema),
  thu: z.array(rangeSchema),
  fri: z.array(rangeSchema),
  sat: z.array(rangeSchema),
  sun: z.array(rangeSchema),
});

export const calendarSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    timezone: z.string(),
    hours: weekSchema,
    holidays: z.array(z.string()),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int().meta({ description: 'Optimistic-concurrency version (If-Match on PATCH)' }),
  })
  .meta({ id: 'Calendar' });

export const calendarPageSchema = pageOf(calendarSchema, 'CalendarPage');

export const createCalendarBodySchema = z
  .strictObject({
    name: nameSchema,
    timezone: timezoneSchema,
    hours: hoursSchema,
    holidays: holidaysSchema.optional(),
  })
  .meta({ id: 'CreateCalendarRequest' });

export const updateCalendarBodySchema = z
  .strictObject({
    name: nameSchema.optional(),
    timezone: timezoneSchema.optional(),
    hours: hoursSchema.optional().meta({ description: 'Replaces the whole week' }),
    holidays: holidaysSchema.optional().meta({ description: 'Replaces the whole list' }),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateCalendarRequest' });

export const dueQuerySchema = z.strictObject({
  from: isoDateTime().optional().meta({ description: 'Where to count from (ISO-8601); now when absent' }),
  minutes: z.coerce.number().int().min(0).max(5_256_000).meta({ description: 'Business minutes to add' }),
});

export const dueSchema = z
  .object({ dueAt: isoDateTime().meta({ description: 'The instant that many business minutes after from' }) })
  .meta({ id: 'DueTime' });

const minutesSchema = z.number().int().min(1).max(525_600);
const targetSchema = z.strictObject({
  firstResponseMinutes: minutesSchema,
  resolutionMinutes: minutesSchema,
});
const targetPatchSchema = z
  .strictObject({
    firstResponseMinutes: minutesSchema.optional(),
    resolutionMinutes: minutesSchema.optional(),
  })
  .meta({ description: 'Only the fields given change' });

const pauseStatusesSchema = z
  .array(z.enum(SLA_PAUSABLE_STATUSES))
  .max(8)
  .meta({ description: 'Ticket statuses that pause the clocks' });
const warnAtPercentSchema = z
  .number()
  .int()
  .min(1)
  .max(100)
  .meta({ description: 'Warning point, percent of a target used; 100: no warning before the breach' });
const matchSchema = z
  .strictObject({
    clientIds: z.array(z.guid()).max(1000).optional(),
    priorities: z.array(z.enum(TICKET_PRIORITIES)).max(8).optional(),
    types: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  })
  .meta({
    description:
      'Tickets it applies to; every given criterion must hold. Without criteria it applies only through a client’s slaPolicyId',
  });
const calendarIdSchema = z.guid().nullable().meta({ description: 'Business calendar; null for 24×7' });

const targetsShape = <T extends z.ZodType>(t: T) =>
  z.strictObject({ critical: t, high: t, medium: t, low: t });

export const policySchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    calendarId: z.guid().nullable(),
    targets: targetsShape(
      z.object({ firstResponseMinutes: z.number().int(), resolutionMinutes: z.number().int() }),
    ),
    pauseStatuses: z.array(z.string()),
    warnAtPercent: z.number().int(),
    match: z.object({
      clientIds: z.array(z.guid()).optional(),
      priorities: z.array(z.string()).optional(),
      types: z.array(z.string()).optional(),
    }),
    isDefault: z.boolean(),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int().meta({ description: 'Optimistic-concurrency version (If-Match on PATCH)' }),
  })
  .meta({ id: 'SlaPolicy' });

export const policyPageSchema = pageOf(policySchema, 'SlaPolicyPage');

export const createPolicyBodySchema = z
  .strictObject({
    name: nameSchema,
    calendarId: calendarIdSchema.default(null),
    targets: targetsShape(targetSchema).meta({ description: 'Business minutes per priority' }),
    pauseStatuses: pauseStatusesSchema.default(['waiting_on_customer', 'waiting_on_third_party']),
    warnAtPercent: warnAtPercentSchema.default(80),
    match: matchSchema.default({}),
    isDefault: z.boolean().default(false).meta({ description: 'A new default replaces the previous one' }),
  })
  .meta({ id: 'CreateSlaPolicyRequest' });

export const updatePolicyBodySchema = z
  .strictObject({
    name: nameSchema.optional(),
    calendarId: calendarIdSchema.optional(),
    targets: z
      .strictObject({
        critical: targetPatchSchema.optional(),
        high: targetPatchSchema.optional(),
        medium: targetPatchSchema.optional(),
        low: targetPatchSchema.optional(),
      })
      .optional()
      .meta({ description: 'Only the priorities given change' }),
    pauseStatuses: pauseStatusesSchema.optional(),
    warnAtPercent: warnAtPercentSchema.optional(),
    match: matchSchema.optional().meta({ description: 'Replaces the whole match' }),
    isDefault: z
      .boolean()
      .optional()
      .meta({ description: 'true makes it the default; the default cannot be unset, only replaced' }),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateSlaPolicyRequest' });

const targetStateSchema = z.object({
  state: z.enum(SLA_STATES).or(z.string()),
  breachedAt: isoDateTime().nullable(),
  metAt: isoDateTime().nullable(),
});

/** The `sla` object of a ticket (docs/product/sla.md), plus the warning flag behind `slaState=warning`. */
export const ticketSlaSchema = z
  .object({
    policyId: z.guid(),
    firstResponseDueAt: isoDateTime().nullable().meta({ description: 'null while paused' }),
    resolutionDueAt: isoDateTime().nullable().meta({ description: 'null while paused' }),
    firstResponse: targetStateSchema,
    resolution: targetStateSchema,
    warning: z.boolean().meta({ description: 'A warning was raised for a target not yet met or breached' }),
  })
  .meta({ id: 'TicketSla' });
