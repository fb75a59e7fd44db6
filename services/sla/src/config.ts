// The only reader of process.env in the SLA service.
import { busEnv, commonEnv, grpcServerEnv, loadConfig, port, urlString } from '@helpdesk/platform';
import { z } from 'zod';

export const slaConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  ...busEnv,
  DATABASE_URL: urlString(),
  GRPC_PORT: port(50054),
  HEALTH_PORT: port(9104),
  // tickets whose warnings and breaches one timer transaction raises at most
  SLA_TIMER_BATCH: z.coerce.number().int().min(1).max(5_000).default(200),
  // how often the timer re-reads the next due instant; only due instants sooner than this are also announced to
  // every replica by NOTIFY when they are set
  SLA_TIMER_RESYNC_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // connections of the clocks (timers, reset) in the service's pool; the relay and the consumers get theirs beside
  SLA_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
});

export type SlaConfig = Readonly<z.infer<typeof slaConfigSchema>>;

export function loadSlaConfig(env: NodeJS.ProcessEnv = process.env): SlaConfig {
  return loadConfig(slaConfigSchema, env);
}
