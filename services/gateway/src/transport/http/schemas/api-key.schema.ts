import { z } from 'zod';
import { displayNameSchema, isoDateTime, pageOf } from './common.schema';

export const apiKeySchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the secret, to recognise it' }),
    createdAt: isoDateTime().nullable(),
    revokedAt: isoDateTime().nullable(),
    lastUsedAt: isoDateTime().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyPageSchema = pageOf(apiKeySchema, 'ApiKeyPage');

export const createApiKeyBodySchema = z
  .strictObject({ name: displayNameSchema })
  .meta({ id: 'CreateApiKeyRequest' });

export const createdApiKeySchema = apiKeySchema
  .extend({ secret: z.string().meta({ description: 'The secret; shown in this response only' }) })
  .meta({ id: 'CreatedApiKey' });
