// The only reader of process.env in this service.
import { z } from 'zod';
import { busEnv, commonEnv, grpcServerEnv, loadConfig, port, urlString } from '@helpdesk/platform';

export const identityConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  ...busEnv,
  DATABASE_URL: urlString(),
  GRPC_PORT: port(50051),
  HEALTH_PORT: port(9101),
  HELPDESK_JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(43_200),
});

export type IdentityConfig = Readonly<z.infer<typeof identityConfigSchema>>;

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return loadConfig(identityConfigSchema, env);
}

export const telemetryConfigSchema = z.object({ ...commonEnv });

/** The part instrumentation.ts needs before anything else loads. */
export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(telemetryConfigSchema, env);
}

export const seedDemoConfigSchema = z.object({
  ...commonEnv,
  DATABASE_URL: urlString(),
  HELPDESK_DEMO_TIMEZONE: z.string().min(1).default('UTC'),
  HELPDESK_ADMIN_EMAIL: z.string().min(3).default('admin@demo.helpdesk.local'),
  HELPDESK_ADMIN_PASSWORD: z
    .string()
    .min(8, { error: 'must be at least 8 characters' })
    .default('helpdesk-demo-admin'),
});

export type SeedDemoConfig = Readonly<z.infer<typeof seedDemoConfigSchema>>;

export function loadSeedDemoConfig(env: NodeJS.ProcessEnv = process.env): SeedDemoConfig {
  return loadConfig(seedDemoConfigSchema, env);
}
