// The only reader of process.env in the timekeeping service.
import { commonEnv, loadConfig, port, urlString } from '@helpdesk/platform';
import { z } from 'zod';

export const timekeepingConfigSchema = z.object({
  ...commonEnv,
  DATABASE_URL: urlString(),
  // one URL or a comma-separated list of NATS servers
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  // isolates subjects and stream names (tests, several stacks on one NATS); must be a valid subject token
  BUS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  GRPC_PORT: port(50055),
  HEALTH_PORT: port(9105),
  // off only to leave committed events unpublished on purpose (tests of the outbox); never in production
  OUTBOX_RELAY_ENABLED: z.stringbool().default(true),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
});

export type TimekeepingConfig = Readonly<z.infer<typeof timekeepingConfigSchema>>;

export function loadTimekeepingConfig(env: NodeJS.ProcessEnv = process.env): TimekeepingConfig {
  return loadConfig(timekeepingConfigSchema, env);
}
