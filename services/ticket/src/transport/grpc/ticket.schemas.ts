// zod schemas of the gRPC requests: proto3 has no required fields, so every message is checked here and
// turned into the use cases' input. A ZodError thrown from a handler answers INVALID_ARGUMENT (libs/grpc).
import { commonV1 } from '@helpdesk/contracts';
import { z } from 'zod';
import { isUuid } from '../../domain/cursor';
import {
  DESCRIPTION_MAX_LENGTH,
  normalizeTitle,
  TICKET_PRIORITIES,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TicketRuleError,
  type Actor,
} from '../../domain/ticket';
import { actorFromProtoType } from '../ticket.mapper';

const tenantId = z.string().refine(isUuid, { message: 'must be a uuid' });

// proto3 sends '' for an unset string: that means "use the default"
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.literal(''), z.enum(values)]).transform((v) => (v === '' ? undefined : (v as T[number])));

const actor = z
  .object({
    // UNSPECIFIED (and anything unknown) is rejected by the enum
    type: z.enum([
      commonV1.ActorType.ACTOR_TYPE_USER,
      commonV1.ActorType.ACTOR_TYPE_API_KEY,
      commonV1.ActorType.ACTOR_TYPE_CONTACT,
      commonV1.ActorType.ACTOR_TYPE_SYSTEM,
    ]),
    id: z.string().trim().max(200),
  })
  .refine((a) => a.type === commonV1.ActorType.ACTOR_TYPE_SYSTEM || a.id.length > 0, {
    message: 'actor id is required',
    path: ['id'],
  })
  .transform((a): Actor => ({ type: actorFromProtoType(a.type), id: a.id === '' ? null : a.id }));

const title = z.string().transform((raw, ctx) => {
  try {
    return normalizeTitle(raw);
  } catch (err) {
    if (!(err instanceof TicketRuleError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
    return z.NEVER;
  }
});

export const createTicketRequestSchema = z.object({
  tenantId,
  actor,
  title,
  description: z.string().max(DESCRIPTION_MAX_LENGTH),
  priority: optionalChoice(TICKET_PRIORITIES),
  source: optionalChoice(TICKET_SOURCES),
  requester: z.object({
    email: z.string().trim().toLowerCase().max(320).pipe(z.email()),
    name: z.string().trim().max(200),
  }),
});

export const getTicketRequestSchema = z.object({
  tenantId,
  // any string: an id that is no uuid is simply not found
  id: z.string().max(100),
});

export const listTicketsRequestSchema = z.object({
  tenantId,
  page: z
    .object({
      // 0 is proto3's "unset": the default page size
      limit: z.number().int().min(0).max(200),
      cursor: z.string().max(1024),
    })
    .optional()
    .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : undefined, cursor: p?.cursor || undefined })),
  status: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length * 2),
  priority: z.array(z.enum(TICKET_PRIORITIES)).max(TICKET_PRIORITIES.length * 2),
});
