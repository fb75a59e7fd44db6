import { z } from 'zod';
import { REPORT_FORMATS, REPORT_GROUPS, ROUNDING_MODES } from '../../../app/rest-values';
import { isoDateTime, pageOf, pageQueryShape } from './common.schema';

// The timekeeping service owns the rules (spans, caps, rounding range); these check shapes and sizes.
const instant = isoDateTime().transform((v) => new Date(v));
const noteSchema = z.string().max(5_000).meta({ description: 'Free-text note' });
const workTypeSchema = z
  .string()
  .trim()
  .max(100)
  .meta({ description: 'Kind of work, e.g. remote, onsite, travel', examples: ['remote'] });
// Bounded to what the int32 field of the gRPC call carries (an encoder refuses more, which was a 500 found by the
// REST fuzz); the 1..1440 rule and its message are the timekeeping service's.
const durationSchema = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1)
  .meta({ description: 'Whole minutes, 1 to 1440 (an entry covers at most 24 hours)', examples: [45] });
const billableSchema = z.boolean().meta({ description: 'Billed to the client; true when absent' });
const flagFields = {
  flagged: z.boolean().meta({
    description:
      'Needs review: a timer left running over 12 hours. Logged non-billable and listed in the report until someone sets billable or the times',
  }),
  flagReason: z.string().nullable().meta({ description: 'Why it is flagged, e.g. timer_over_12h' }),
};
const ticketRef = {
  ticketNumber: z.number().int().meta({ description: "The ticket's number, shown as #1042" }),
  ticketTitle: z.string(),
};

export const timeEntrySchema = z
  .object({
    id: z.guid(),
    ticketId: z.guid(),
    userId: z.guid(),
    clientId: z.guid().nullable().meta({ description: "The ticket's current client; null for none" }),
    startedAt: isoDateTime(),
    endedAt: isoDateTime(),
    durationMinutes: z.number().int(),
    note: z.string(),
    billable: z.boolean(),
    workType: z.string().nullable(),
    ...flagFields,
    source: z.enum(['timer', 'manual']).or(z.string()),
    ...ticketRef,
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z
      .number()
      .int()
      .meta({ description: 'Optimistic-concurrency version (If-Match on PATCH and DELETE)' }),
  })
  .meta({ id: 'TimeEntry' });

export const timeEntryPageSchema = pageOf(timeEntrySchema, 'TimeEntryPage');

export const timerSchema = z
  .object({
    id: z.guid().meta({ description: 'Also the id of the entry it becomes when it stops' }),
    ticketId: z.guid(),
    userId: z.guid(),
    clientId: z.guid().nullable(),
    startedAt: isoDateTime(),
    note: z.string(),
    billable: z.boolean(),
    workType: z.string().nullable(),
    elapsedMinutes: z.number().int(),
    ...flagFields,
    ...ticketRef,
  })
  .meta({ id: 'Timer' });

// Timer requests may come without a body at all.
export const startTimerBodySchema = z
  .strictObject({
    note: noteSchema.optional(),
    workType: workTypeSchema.optional(),
    billable: billableSchema.optional(),
  })
  .meta({ id: 'StartTimerRequest' })
  .default({});

export const startTimerResponseSchema = z
  .object({
    timer: timerSchema,
    stopped: timeEntrySchema
      .nullable()
      .meta({ description: 'The entry logged from the timer that was running before, if one was' }),
  })
  .meta({ id: 'StartTimerResponse' });

export const stopTimerBodySchema = z
  .strictObject({
    note: noteSchema.optional().meta({ description: 'Replaces the note given at start' }),
    workType: workTypeSchema.nullable().optional(),
    billable: billableSchema.optional().meta({ description: 'Replaces the choice made at start' }),
  })
  .meta({ id: 'StopTimerRequest' })
  .default({});

export const runningTimerSchema = z
  .object({ timer: timerSchema.nullable().meta({ description: 'null when no timer runs' }) })
  .meta({ id: 'RunningTimer' });

export const createTimeEntryBodySchema = z
  .strictObject({
    ticketId: z.guid(),
    startedAt: isoDateTime().optional(),
    endedAt: isoDateTime().optional(),
    durationMinutes: durationSchema.optional(),
    note: noteSchema.optional(),
    workType: workTypeSchema.optional(),
    billable: billableSchema.optional(),
    userId: z
      .guid()
      .optional()
      .meta({ description: "Whose time it is; the caller's when absent (admins only)" }),
  })
  .meta({
    id: 'CreateTimeEntryRequest',
    description:
      'Give startedAt and endedAt, or durationMinutes (with startedAt or endedAt, or alone to end now). ' +
      'An end before the start, or a span under a minute or over 24 hours, answers 400.',
  });

export const updateTimeEntryBodySchema = z
  .strictObject({
    startedAt: isoDateTime().optional(),
    endedAt: isoDateTime().optional(),
    durationMinutes: durationSchema.optional(),
    note: noteSchema.optional(),
    workType: workTypeSchema.nullable().optional().meta({ description: 'null clears it' }),
    billable: billableSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({
    id: 'UpdateTimeEntryRequest',
    description:
      'A new start or end keeps the other end; a new duration keeps the start. Setting billable or the times ' +
      'marks a flagged entry as reviewed.',
  });

export const listTimeEntriesQuerySchema = z.strictObject({
  ...pageQueryShape,
  clientId: z.guid().optional().meta({ description: "Only entries on this client's tickets" }),
  userId: z
    .union([z.literal('me'), z.guid()])
    .optional()
    .meta({ description: "Only this user's entries (`me` for the caller)" }),
  from: instant.optional().meta({ description: 'Entries that started at or after this instant' }),
  to: instant.optional().meta({ description: 'Entries that started before this instant' }),
  billable: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Only billable (true) or non-billable (false) entries' }),
});

export const ticketTimeEntriesQuerySchema = z.strictObject(pageQueryShape);

export const timeReportQuerySchema = z.strictObject({
  groupBy: z.enum(REPORT_GROUPS).default('client'),
  from: instant.optional().meta({ description: 'Entries that started at or after this instant' }),
  to: instant.optional().meta({ description: 'Entries that started before this instant' }),
  format: z
    .enum(REPORT_FORMATS)
    .default('json')
    .meta({ description: 'json, or csv for a text/csv download of the rows' }),
});

const minutesFields = {
  billableMinutes: z
    .number()
    .int()
    .meta({ description: "After the tenant's rounding of each billable entry" }),
  nonBillableMinutes: z.number().int().meta({ description: 'Never rounded; flagged entries included' }),
  flaggedMinutes: z.number().int().meta({ description: 'Minutes of flagged entries awaiting review' }),
};

const roundingSchema = z
  .object({
    minutes: z
      .number()
      .int()
      .meta({ description: 'Each billable entry rounded to a multiple of this; 0 for none' }),
    mode: z.enum(ROUNDING_MODES).or(z.string()),
  })
  .meta({ id: 'BillableRounding' });

export const timeReportSchema = z
  .object({
    groupBy: z.enum(REPORT_GROUPS),
    from: isoDateTime().nullable(),
    to: isoDateTime().nullable(),
    billableRounding: roundingSchema,
    items: z.array(
      z.union([
        z.object({ clientId: z.guid().nullable(), ...minutesFields }),
        z.object({ userId: z.guid(), ...minutesFields }),
      ]),
    ),
    totals: z.object(minutesFields),
    flagged: z
      .array(timeEntrySchema)
      .meta({ description: 'Flagged entries of the period for review, oldest first (at most 200)' }),
    flaggedCount: z.number().int(),
  })
  .meta({ id: 'TimeReport' });

export const timeSettingsSchema = z
  .object({
    billableRounding: roundingSchema,
    version: z.number().int().meta({ description: '0 until first changed; If-Match on PATCH' }),
    updatedAt: isoDateTime().nullable(),
  })
  .meta({ id: 'TimeSettings' });

export const updateTimeSettingsBodySchema = z
  .strictObject({
    billableRounding: z
      .strictObject({
        minutes: z
          .number()
          .int()
          .min(0)
          .max(240)
          .optional()
          .meta({ description: 'Round each billable entry to a multiple of this many minutes; 0 for none' }),
        mode: z.enum(ROUNDING_MODES).optional().meta({ description: 'up (default), nearest or down' }),
      })
      .refine((r) => r.minutes !== undefined || r.mode !== undefined, { message: 'Give minutes or mode' }),
  })
  .meta({ id: 'UpdateTimeSettingsRequest' });
