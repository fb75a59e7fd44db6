// Where the shared infrastructure of this machine answers; CI and developers may point elsewhere.
export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The environment of a service run in-process by an integration test: its test database, the run's BUS_PREFIX,
 * gRPC and health on port 0, a quick relay; spread before the service's own variables.
 */
export function inProcessServiceEnv(databaseUrl: string, prefix: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    NATS_URL,
    BUS_PREFIX: prefix,
    GRPC_PORT: '0',
    HEALTH_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    OUTBOX_POLL_INTERVAL_MS: '100',
  };
}
