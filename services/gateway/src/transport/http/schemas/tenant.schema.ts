import { z } from 'zod';
import { displayNameSchema, emailSchema, isoDateTime, passwordSchema, timezoneSchema } from './common.schema';
import { userSchema } from './user.schema';

export const createTenantBodySchema = z
  .strictObject({
    name: displayNameSchema,
    timezone: timezoneSchema.optional().meta({ description: 'UTC when absent' }),
    admin: z.strictObject({ email: emailSchema, name: displayNameSchema, password: passwordSchema }),
  })
  .meta({ id: 'CreateTenantRequest' });

export const tenantSchema = z
  .object({ id: z.guid(), name: z.string(), timezone: z.string(), createdAt: isoDateTime().nullable() })
  .meta({ id: 'Tenant' });

export const createTenantResponseSchema = z
  .object({ tenant: tenantSchema, admin: userSchema })
  .meta({ id: 'CreateTenantResponse' });
