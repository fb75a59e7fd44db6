// zod schemas of the DirectoryService requests: proto3 has no required fields and no null, so each message is
// checked here and its "unset" encodings ('' and absent optionals) turned into the use cases' input.
// Value rules (domains, e-mail, lengths) are the domain's; these check shapes. A ZodError answers INVALID_ARGUMENT.
import { commonV1 } from '@helpdesk/contracts';
import { z } from 'zod';
import { isUuid } from '../../domain/cursor';

const uuid = z.string().refine(isUuid, { message: 'must be a uuid' });
const tenantId = uuid;
// any string: an id that is no uuid is simply not found
const recordId = z.string().max(100);
// '' is proto3's "none"
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? null : v.toLowerCase()));
const text = (max: number) => z.string().max(max);

const actor = z
  .object({
    type: z.enum([
      commonV1.ActorType.ACTOR_TYPE_USER,
      commonV1.ActorType.ACTOR_TYPE_API_KEY,
      commonV1.ActorType.ACTOR_TYPE_CONTACT,
      commonV1.ActorType.ACTOR_TYPE_SYSTEM,
    ]),
    id: z.string().max(200),
  })
  .optional();

const page = z
  .object({
    // 0 is proto3's "unset": the default page size
    limit: z.number().int().min(0).max(200),
    cursor: z.string().max(1024),
  })
  .optional()
  .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : undefined, cursor: p?.cursor || undefined }));

const expectedVersion = z.number().int().min(1).optional();

export const createClientRequestSchema = z.object({
  tenantId,
  actor,
  name: text(1000),
  domains: z.array(text(300)).max(200),
  slaPolicyId: optionalUuid,
  notes: text(20_000),
});

export const getRequestSchema = z.object({ tenantId, id: recordId });

export const listClientsRequestSchema = z.object({ tenantId, page, q: text(200) });

export const updateClientRequestSchema = z.object({
  tenantId,
  actor,
  id: recordId,
  expectedVersion,
  name: text(1000).optional(),
  domains: z
    .object({ domains: z.array(text(300)).max(200) })
    .optional()
    .transform((d) => d?.domains),
  slaPolicyId: optionalUuid.optional(),
  notes: text(20_000).optional(),
});

export const createContactRequestSchema = z.object({
  tenantId,
  actor,
  name: text(1000),
  email: text(400),
  phone: text(200),
  clientId: optionalUuid,
  portalAccess: text(20),
  // '' is "no password"; the length rule itself is the domain's
  password: text(1024).transform((v) => (v === '' ? null : v)),
});

export const listContactsRequestSchema = z.object({
  tenantId,
  page,
  clientId: optionalUuid.transform((v) => v ?? undefined),
  email: text(400).transform((v) => v.trim() || undefined),
  q: text(200),
});

export const updateContactRequestSchema = z.object({
  tenantId,
  actor,
  id: recordId,
  expectedVersion,
  name: text(1000).optional(),
  email: text(400).optional(),
  phone: text(200)
    .optional()
    .transform((v) => (v === '' ? null : v)),
  clientId: optionalUuid.optional(),
  portalAccess: text(20).optional(),
  password: text(1024)
    .optional()
    .transform((v) => (v === '' ? null : v)),
});
