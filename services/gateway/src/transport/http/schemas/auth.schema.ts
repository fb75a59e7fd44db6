import { z } from 'zod';
import { emailSchema, isoDateTime } from './common.schema';
import { userSchema } from './user.schema';

export const loginBodySchema = z
  .strictObject({
    email: emailSchema,
    // No policy here: a sign-in must not reveal the password rules.
    password: z.string().min(1).max(1024).meta({ writeOnly: true }),
  })
  .meta({ id: 'LoginRequest' });

export const loginResponseSchema = z
  .object({
    token: z.string().meta({ description: 'Bearer token for Authorization: Bearer <token>' }),
    user: userSchema,
    expiresAt: isoDateTime().nullable(),
  })
  .meta({ id: 'LoginResponse' });
