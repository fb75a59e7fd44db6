// zod schemas of the DirectoryService requests: proto3 has no required fields and no null, so each message is
// checked here and its "unset" encodings ('' and absent optionals) turned into the use cases' input.
// Value rules (domains, e-mail, lengths) are the domain's; these check shapes. A ZodError answers INVALID_ARGUMENT.
import { z } from 'zod';
import { optionalActor as actor, page, tenantId, text } from './common.schemas';

// any string: an id that is no uuid is simply not found
const recordId = z.string().max(100);
// '' is proto3's "none"
const optionalUuid = z
  .union([z.literal(''), z.string().pipe(tenantId)])
  .transform((v) => (v === '' ? null : v));

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

export const resolveContactRequestSchema = z.object({ tenantId, actor, email: text(400), name: text(1000) });

export const setContactBouncingRequestSchema = z.object({
  tenantId,
  actor,
  email: text(400),
  bouncing: z.boolean(),
});

export const authenticateContactRequestSchema = z.object({
  tenantId,
  email: text(400),
  password: text(1024),
});

export const createMagicLinkRequestSchema = z.object({
  tenantId,
  email: text(400),
  ttlSeconds: z
    .number()
    .int()
    .transform((v) => (v === 0 ? 900 : v)),
});

export const redeemMagicLinkRequestSchema = z.object({ tenantId, token: text(200) });
