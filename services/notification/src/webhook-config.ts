// The webhook variables of the notification service's config (src/config.ts spreads them in).
import { z } from 'zod';

export const webhookEnv = {
  // AES-256-GCM key of the webhook signing secrets at rest
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    ),
  // loopback, private, link-local and CGNAT receivers allowed (tests, on-premise); metadata addresses never
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1024 * 1024)
    .default(64 * 1024),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
};
