// Schemas shared by the ticket service's gRPC request schemas: ids, the actor, pages, proto3's "unset" encodings.
import { commonV1 } from '@helpdesk/contracts';
import { z } from 'zod';
import { isUuid } from '@helpdesk/platform';
import type { Actor } from '../../domain/ticket';
import { actorFromProtoType } from '../ticket.mapper';

export const uuid = z
  .string()
  .refine(isUuid, { message: 'must be a uuid' })
  .transform((v) => v.toLowerCase());
export const tenantId = uuid;

/** '' is proto3's "unset"; anything else must be a uuid. */
export const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? undefined : v));

// proto3 sends '' for an unset string: that means "use the default"
export const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.literal(''), z.enum(values)]).transform((v) => (v === '' ? undefined : (v as T[number])));

export const actor = z
  .object({
    // UNSPECIFIED (and anything unknown) is rejected by the enum
    type: z.enum([
      commonV1.ActorType.ACTOR_TYPE_USER,
      commonV1.ActorType.ACTOR_TYPE_API_KEY,
      commonV1.ActorType.ACTOR_TYPE_CONTACT,
      commonV1.ActorType.ACTOR_TYPE_SYSTEM,
      commonV1.ActorType.ACTOR_TYPE_AUTOMATION,
    ]),
    id: z.string().trim().max(200),
    // only an automation actor's is kept: the chain its change belongs to (docs/adr/0030)
    causation: z
      .object({ originId: z.string().min(1).max(200), depth: z.number().int().min(0).max(1_000) })
      .optional(),
  })
  .refine((a) => a.type === commonV1.ActorType.ACTOR_TYPE_SYSTEM || a.id.length > 0, {
    message: 'actor id is required',
    path: ['id'],
  })
  .transform((a): Actor => {
    const type = actorFromProtoType(a.type);
    const actor: Actor = { type, id: a.id === '' ? null : a.id };
    if (type === 'automation' && a.causation) actor.causation = a.causation;
    return actor;
  });

/** An optional actor: unset means an agent of the tenant (the gateway always sends one for contacts). */
export const optionalActor = actor.optional();

export const page = z
  .object({
    // 0 is proto3's "unset": the default page size
    limit: z.number().int().min(0).max(200),
    cursor: z.string().max(1024),
  })
  .optional()
  .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : undefined, cursor: p?.cursor || undefined }));

export const text = (max: number) => z.string().max(max);
