// The only reader of process.env in the SLA service.
import { commonEnv, grpcServerEnv, loadConfig, port, urlString } from '@helpdesk/platform';
import { z } from 'zod';

export const slaConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
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
  GRPC_PORT: port(50054),
  HEALTH_PORT: port(9104),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  // tickets whose warnings and breaches one timer transaction raises at most
  SLA_TIMER_BATCH: z.coerce.number().int().min(1).max(5_000).default(200),
  // how often the timer re-reads the next due instant; only due instants sooner than this are also announced to
  // every replica by NOTIFY when they are set
  SLA_TIMER_RESYNC_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // pg pool of the clocks (timers, reset); the consumers and the relay have their own small pools
  SLA_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
});

export type SlaConfig = Readonly<z.infer<typeof slaConfigSchema>>;

export function loadSlaConfig(env: NodeJS.ProcessEnv = process.env): SlaConfig {
  return loadConfig(slaConfigSchema, env);
}
