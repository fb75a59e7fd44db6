// The only reader of process.env in the timekeeping service.
import { busEnv, commonEnv, grpcServerEnv, loadConfig, port, urlString } from '@helpdesk/platform';
import { z } from 'zod';

export const timekeepingConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  ...busEnv,
  DATABASE_URL: urlString(),
  GRPC_PORT: port(50055),
  HEALTH_PORT: port(9105),
});

export type TimekeepingConfig = Readonly<z.infer<typeof timekeepingConfigSchema>>;

export function loadTimekeepingConfig(env: NodeJS.ProcessEnv = process.env): TimekeepingConfig {
  return loadConfig(timekeepingConfigSchema, env);
}
