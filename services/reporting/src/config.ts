// The only reader of process.env in the reporting service.
import { busPrefix, commonEnv, grpcServerEnv, loadConfig, port, urlString } from '@helpdesk/platform';
import { z } from 'zod';

export const reportingConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  DATABASE_URL: urlString(),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  BUS_PREFIX: busPrefix(),
  GRPC_PORT: port(50058),
  HEALTH_PORT: port(9108),
});

export type ReportingConfig = Readonly<z.infer<typeof reportingConfigSchema>>;

export function loadReportingConfig(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  return loadConfig(reportingConfigSchema, env);
}
