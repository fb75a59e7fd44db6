// zod schemas of the SlaService requests: proto3 has no required fields and no null, so each message is checked
// here and its "unset" encodings ('' and absent optionals) turned into the use cases' input. Value rules (zones,
// hours, targets) are the domain's; these check shapes. A ZodError answers INVALID_ARGUMENT.
import { z } from 'zod';
import { isUuid } from '../../domain';
import { fromProtoHours } from '../sla.mapper';

const uuid = z.string().refine(isUuid, { message: 'must be a uuid' });
const tenantId = uuid.transform((v) => v.toLowerCase());
// any string: an id that is no uuid is simply not found
const recordId = z.string().max(100);
const text = (max: number) => z.string().max(max);
const expectedVersion = z.number().int().min(1).optional();
// '' is proto3's "none": 24×7
const calendarId = z
  .string()
  .max(100)
  .transform((v) => (v === '' ? null : v));

const page = z
  .object({ limit: z.number().int().min(0).max(200), cursor: z.string().max(1024) })
  .optional()
  .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : undefined, cursor: p?.cursor || undefined }));

const timeRange = z.object({ start: text(5), end: text(5) });
const weeklyHours = z.object({
  mon: z.array(timeRange).max(100),
  tue: z.array(timeRange).max(100),
  wed: z.array(timeRange).max(100),
  thu: z.array(timeRange).max(100),
  fri: z.array(timeRange).max(100),
  sat: z.array(timeRange).max(100),
  sun: z.array(timeRange).max(100),
});
const holidays = z.array(text(20)).max(5000);

export const getRequestSchema = z.object({ tenantId, id: recordId });
export const listRequestSchema = z.object({ tenantId, page });

export const createCalendarRequestSchema = z
  .object({ tenantId, name: text(1000), timezone: text(100), hours: weeklyHours.optional(), holidays })
  .transform(({ hours, ...rest }) => ({ ...rest, hours: fromProtoHours(hours) }));

export const updateCalendarRequestSchema = z
  .object({
    tenantId,
    id: recordId,
    expectedVersion,
    name: text(1000).optional(),
    timezone: text(100).optional(),
    hours: weeklyHours.optional(),
    holidays: z.object({ dates: holidays }).optional(),
  })
  .transform(({ hours, holidays: list, ...rest }) => ({
    ...rest,
    hours: hours === undefined ? undefined : fromProtoHours(hours),
    holidays: list?.dates,
  }));

export const computeDueRequestSchema = z.object({
  tenantId,
  calendarId: recordId,
  from: z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid instant'),
  minutes: z.number().int().min(0, 'must be 0 or more'),
});

const target = z.object({ firstResponseMinutes: z.number(), resolutionMinutes: z.number() });
const targets = z.object({
  critical: target.optional(),
  high: target.optional(),
  medium: target.optional(),
  low: target.optional(),
});
const match = z.object({
  clientIds: z.array(text(100)).max(1000),
  priorities: z.array(text(20)).max(20),
  types: z.array(text(200)).max(200),
});

export const createPolicyRequestSchema = z.object({
  tenantId,
  name: text(1000),
  calendarId,
  // a missing priority stays missing, for the domain to name it
  targets: targets.optional(),
  pauseStatuses: z.array(text(40)).max(20),
  warnAtPercent: z.number().int(),
  match: match.optional().transform((m) => m ?? { clientIds: [], priorities: [], types: [] }),
  isDefault: z.boolean(),
});

const targetPatch = z.object({
  firstResponseMinutes: z.number().optional(),
  resolutionMinutes: z.number().optional(),
});

export const updatePolicyRequestSchema = z
  .object({
    tenantId,
    id: recordId,
    expectedVersion,
    name: text(1000).optional(),
    calendarId: calendarId.optional(),
    targets: z
      .object({
        critical: targetPatch.optional(),
        high: targetPatch.optional(),
        medium: targetPatch.optional(),
        low: targetPatch.optional(),
      })
      .optional(),
    pauseStatuses: z.object({ statuses: z.array(text(40)).max(20) }).optional(),
    warnAtPercent: z.number().int().optional(),
    match: match.optional(),
    isDefault: z.boolean().optional(),
  })
  .transform(({ pauseStatuses, ...rest }) => ({ ...rest, pauseStatuses: pauseStatuses?.statuses }));

export const ticketSlaRequestSchema = z.object({ tenantId, ticketId: recordId });
