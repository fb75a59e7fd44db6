import { z } from 'zod';
import { USER_ROLES } from '../../../app/rest-values';
import {
  displayNameSchema,
  emailSchema,
  isoDateTime,
  pageOf,
  passwordSchema,
  timezoneSchema,
} from './common.schema';

const handleSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore or hyphen')
  .meta({ description: 'For @mentions' });

export const userSchema = z
  .object({
    id: z.guid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES).or(z.string()),
    handle: z.string(),
    timezone: z.string(),
    active: z.boolean(),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'User' });

export const userPageSchema = pageOf(userSchema, 'UserPage');

export const createUserBodySchema = z
  .strictObject({
    email: emailSchema,
    name: displayNameSchema,
    role: z.enum(USER_ROLES).default('agent'),
    handle: handleSchema.optional().meta({ description: 'Derived from the e-mail when absent' }),
    timezone: timezoneSchema.optional().meta({ description: "The tenant's when absent" }),
    password: passwordSchema,
  })
  .meta({ id: 'CreateUserRequest' });

export const updateUserBodySchema = z
  .strictObject({
    name: displayNameSchema.optional(),
    role: z.enum(USER_ROLES).optional(),
    handle: handleSchema.optional(),
    timezone: timezoneSchema.optional(),
    active: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateUserRequest' });

export const meSchema = z
  .discriminatedUnion('type', [
    userSchema.extend({ type: z.literal('user'), tenantId: z.guid() }),
    z.object({
      type: z.literal('api_key'),
      id: z.guid().meta({ description: 'API key id' }),
      tenantId: z.guid(),
      role: z.literal('agent'),
    }),
  ])
  .meta({ id: 'Me' });
