// zod schemas of the gRPC requests: proto3 has no required fields, so every message is checked here and
// turned into the use cases' input. A ZodError thrown from a handler answers INVALID_ARGUMENT (libs/grpc).
import { commonV1 } from '@helpdesk/contracts';
import { isUuid } from '@helpdesk/platform';
import { z } from 'zod';
import type { Caller } from '../../app/support';
import { REPORT_GROUPS } from '../../domain/report';
import { ROUNDING_MODES } from '../../domain/rounding';

const uuid = z
  .string()
  .refine(isUuid, { message: 'must be a uuid' })
  .transform((v) => v.toLowerCase());
// proto3 sends '' for an unset string
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? undefined : v));
// any string: an id that is no uuid is simply not found
const lookupId = z.string().max(100);
const text = (max: number) => z.string().max(max);
const optionalDate = z.date().optional();

const caller = z
  .object({
    actor: z.object({
      type: z.enum([
        commonV1.ActorType.ACTOR_TYPE_USER,
        commonV1.ActorType.ACTOR_TYPE_API_KEY,
        commonV1.ActorType.ACTOR_TYPE_CONTACT,
        commonV1.ActorType.ACTOR_TYPE_SYSTEM,
      ]),
      id: z.string().max(200),
    }),
    admin: z.boolean(),
  })
  .superRefine((c, ctx) => {
    if (c.actor.type === commonV1.ActorType.ACTOR_TYPE_USER && !isUuid(c.actor.id)) {
      ctx.addIssue({ code: 'custom', message: 'a user id must be a uuid', path: ['actor', 'id'] });
    }
  })
  // only users have time of their own; any other principal acts without a user id (and never as admin)
  .transform((c): Caller =>
    c.actor.type === commonV1.ActorType.ACTOR_TYPE_USER
      ? { userId: c.actor.id.toLowerCase(), admin: c.admin }
      : { userId: null, admin: false },
  );

const ticketSnapshot = z.object({
  id: uuid,
  number: z.number().int().min(1),
  title: text(1000),
  clientId: optionalUuid.transform((v) => v ?? null),
  version: z.number().int().min(1),
});

/** The request's ticket snapshot as the domain's ticket copy of the request's tenant. */
function withTicket<T extends { tenantId: string; ticket: z.output<typeof ticketSnapshot> }>(request: T) {
  return { ...request, ticket: { ...request.ticket, tenantId: request.tenantId } };
}

const workType = text(200).transform((v) => (v === '' ? null : v));
const minutes = z.number().int();

export const startTimerRequestSchema = z
  .object({
    tenantId: uuid,
    caller,
    ticket: ticketSnapshot,
    note: text(10_000),
    workType,
    billable: z.boolean().optional(),
  })
  .transform(withTicket);

export const stopTimerRequestSchema = z.object({
  tenantId: uuid,
  caller,
  ticketId: uuid,
  note: text(10_000).optional(),
  billable: z.boolean().optional(),
  workType: workType.optional(),
});

export const getRunningTimerRequestSchema = z.object({ tenantId: uuid, userId: uuid });

export const createEntryRequestSchema = z
  .object({
    tenantId: uuid,
    caller,
    userId: optionalUuid,
    ticket: ticketSnapshot,
    startedAt: optionalDate,
    endedAt: optionalDate,
    durationMinutes: minutes.optional(),
    note: text(10_000),
    workType,
    billable: z.boolean().optional(),
  })
  .transform(withTicket);

export const getEntryRequestSchema = z.object({ tenantId: uuid, id: lookupId });

export const updateEntryRequestSchema = z.object({
  tenantId: uuid,
  caller,
  id: lookupId,
  expectedVersion: z.number().int().min(1).optional(),
  startedAt: optionalDate,
  endedAt: optionalDate,
  durationMinutes: minutes.optional(),
  note: text(10_000).optional(),
  billable: z.boolean().optional(),
  workType: workType.optional(),
});

export const deleteEntryRequestSchema = z.object({
  tenantId: uuid,
  caller,
  id: lookupId,
  expectedVersion: z.number().int().min(1).optional(),
});

export const listEntriesRequestSchema = z.object({
  tenantId: uuid,
  page: z
    .object({
      // 0 is proto3's "unset": the default page size
      limit: z.number().int().min(0).max(200),
      cursor: z.string().max(1024),
    })
    .optional()
    .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : undefined, cursor: p?.cursor || undefined })),
  ticketId: optionalUuid,
  clientId: optionalUuid,
  userId: optionalUuid,
  from: optionalDate,
  to: optionalDate,
  billable: z.boolean().optional(),
});

export const getTimeReportRequestSchema = z.object({
  tenantId: uuid,
  groupBy: z.enum(REPORT_GROUPS),
  from: optionalDate,
  to: optionalDate,
});

export const getTimeSettingsRequestSchema = z.object({ tenantId: uuid });

export const updateTimeSettingsRequestSchema = z.object({
  tenantId: uuid,
  caller,
  roundingMinutes: minutes.optional(),
  roundingMode: z.enum(ROUNDING_MODES).optional(),
  expectedVersion: z.number().int().min(0).optional(),
});
