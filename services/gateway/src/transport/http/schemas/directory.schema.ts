import { z } from 'zod';
import { PORTAL_ACCESS_LEVELS } from '../../../app/rest-values';
import {
  displayNameSchema,
  emailSchema,
  isoDateTime,
  pageOf,
  pageQueryShape,
  passwordSchema,
} from './common.schema';

// The ticket service owns the domain rules (normalization, uniqueness); these check shapes and sizes.
const domainSchema = z
  .string()
  .trim()
  .min(3)
  .max(253)
  .meta({ description: 'E-mail domain, e.g. acme.com (stored lower-case)', examples: ['acme.com'] });
const domainsSchema = z
  .array(domainSchema)
  .max(50)
  .meta({ description: "E-mail domains mapping senders to this client; unique across the tenant's clients" });
const slaPolicyIdSchema = z.guid().nullable().meta({ description: 'SLA policy id; null for none' });
const notesSchema = z.string().max(10_000);
const phoneSchema = z.string().trim().max(50).nullable();
const portalAccessSchema = z
  .enum(PORTAL_ACCESS_LEVELS)
  .meta({ description: "none; own: their tickets; client: all of their client's tickets" });

export const clientSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    domains: z.array(z.string()),
    slaPolicyId: z.guid().nullable(),
    notes: z.string(),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int().meta({ description: 'Optimistic-concurrency version (If-Match on PATCH)' }),
  })
  .meta({ id: 'Client' });

export const clientPageSchema = pageOf(clientSchema, 'ClientPage');

// .strict: an unknown field (e.g. `id`, `version`, `tenantId`) is refused, never silently mass-assigned.
export const createClientBodySchema = z
  .strictObject({
    name: displayNameSchema,
    domains: domainsSchema.optional(),
    slaPolicyId: slaPolicyIdSchema.optional(),
    notes: notesSchema.optional(),
  })
  .meta({ id: 'CreateClientRequest' });

export const updateClientBodySchema = z
  .strictObject({
    name: displayNameSchema.optional(),
    domains: domainsSchema.optional().meta({ description: 'Replaces the whole list' }),
    slaPolicyId: slaPolicyIdSchema.optional(),
    notes: notesSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateClientRequest' });

export const listClientsQuerySchema = z.strictObject({
  ...pageQueryShape,
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Name contains (case-insensitive)' }),
});

export const contactSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    clientId: z.guid().nullable(),
    portalAccess: portalAccessSchema.or(z.string()),
    hasPortalPassword: z.boolean().meta({ description: 'Whether a portal password is set (never returned)' }),
    emailBouncing: z
      .boolean()
      .meta({ description: 'Mail to this address bounced since the mark was last cleared' }),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int().meta({ description: 'Optimistic-concurrency version (If-Match on PATCH)' }),
  })
  .meta({ id: 'Contact' });

export const contactPageSchema = pageOf(contactSchema, 'ContactPage');

export const createContactBodySchema = z
  .strictObject({
    name: displayNameSchema,
    email: emailSchema.meta({ description: 'Unique per tenant (stored lower-case)' }),
    phone: phoneSchema.optional(),
    clientId: z
      .guid()
      .nullable()
      .optional()
      .meta({ description: "When absent, the client whose domains contain the e-mail's domain, if any" }),
    portalAccess: portalAccessSchema.optional().meta({ description: 'none when absent' }),
    password: passwordSchema
      .optional()
      .meta({ description: 'Portal password (write-only)', writeOnly: true }),
  })
  .meta({ id: 'CreateContactRequest' });

export const updateContactBodySchema = z
  .strictObject({
    name: displayNameSchema.optional(),
    email: emailSchema.optional(),
    phone: phoneSchema.optional(),
    clientId: z
      .guid()
      .nullable()
      .optional()
      .meta({ description: 'null detaches the contact from its client' }),
    portalAccess: portalAccessSchema.optional(),
    password: passwordSchema
      .nullable()
      .optional()
      .meta({ description: 'New portal password (write-only); null removes it', writeOnly: true }),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateContactRequest' });

export const listContactsQuerySchema = z.strictObject({
  ...pageQueryShape,
  clientId: z.guid().optional().meta({ description: 'Only contacts of this client' }),
  email: emailSchema.optional().meta({ description: 'Only the contact with this e-mail address' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Name or e-mail contains (case-insensitive)' }),
});

/**
 * `If-Match: <version>` (bare, quoted or weak: 3, "3", W/"3"); `*` or absent means "whatever the version".
 * A stale version answers 409 CONFLICT.
 */
