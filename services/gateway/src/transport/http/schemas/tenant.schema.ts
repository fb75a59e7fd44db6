import { z } from 'zod';
import { displayNameSchema, emailSchema, isoDateTime, passwordSchema, timezoneSchema } from './common.schema';
import { userSchema } from './user.schema';

// The full rule (and its reason) is identity's; here only the shape, so a bad slug still answers 400 with the reason.
const slugSchema = z.string().trim().toLowerCase().min(2).max(63).meta({
  description:
    'Names the portal (`/portal/<slug>`): lowercase letters, digits and hyphens, unique on the platform',
});

export const createTenantBodySchema = z
  .strictObject({
    name: displayNameSchema,
    slug: slugSchema.optional().meta({ description: 'Made from the name when absent' }),
    timezone: timezoneSchema.optional().meta({ description: 'UTC when absent' }),
    admin: z.strictObject({ email: emailSchema, name: displayNameSchema, password: passwordSchema }),
  })
  .meta({ id: 'CreateTenantRequest' });

export const tenantSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    slug: z.string(),
    timezone: z.string(),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Tenant' });

export const updateTenantBodySchema = z
  .strictObject({
    name: displayNameSchema.optional(),
    slug: slugSchema.optional(),
    timezone: timezoneSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateTenantRequest' });

export const createTenantResponseSchema = z
  .object({ tenant: tenantSchema, admin: userSchema })
  .meta({ id: 'CreateTenantResponse' });
