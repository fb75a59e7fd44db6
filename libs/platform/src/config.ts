import { z } from 'zod';

/** Thrown by {@link loadConfig}; the message names every invalid variable and why, never its value. */
export class ConfigError extends Error {
  constructor(readonly issues: ReadonlyArray<{ path: string; message: string }>) {
    super(`Invalid configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` with `schema` and returns a frozen, typed config.
 * Throws {@link ConfigError} listing every invalid variable (names and reasons only).
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        // zod's default messages never echo the input value; we still avoid custom messages that could.
        message: issue.message,
      })),
    );
  }
  const data = result.data;
  return (data !== null && typeof data === 'object' ? Object.freeze(data) : data) as Readonly<z.infer<S>>;
}

/** A TCP port from the environment (string → number), with a default. */
export const port = (defaultPort: number) => z.coerce.number().int().min(0).max(65535).default(defaultPort);

/** An absolute URL kept as a string (e.g. `postgres://…`, `nats://…`, `http://…`). */
export const urlString = () => z.url();

/**
 * Variables of a service on the bus with a transactional outbox (libs/bus); spread into its schema beside
 * {@link commonEnv}.
 */
export const busEnv = {
  // one URL or a comma-separated list of NATS servers
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  // isolates subjects and stream names (tests, several stacks on one NATS); must be a valid subject token
  BUS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  // off only to leave committed events unpublished on purpose (tests of the outbox); never in production
  OUTBOX_RELAY_ENABLED: z.stringbool().default(true),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
};

/** Variables every process reads; spread into a service schema: `z.object({ ...commonEnv, DATABASE_URL: urlString() })`. */
export const commonEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  OTEL_EXPORTER_OTLP_ENDPOINT: urlString().optional(),
  // the OpenTelemetry SDK's standard sampler variables; the default samples every trace
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .default('parentbased_always_on'),
  // the ratio of the *traceidratio samplers, 0 … 1
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  // off: no /metrics on the health port and every instrument a no-op
  METRICS_ENABLED: z.stringbool().default(true),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/**
 * Admission bounds of a service's gRPC server (startGrpcServer's `limits`): calls served at once, calls waiting
 * for a slot, and the longest wait; past them a call is answered UNAVAILABLE at once.
 */
export const grpcServerEnv = {
  GRPC_MAX_CONCURRENT_CALLS: z.coerce.number().int().min(1).max(10_000).default(64),
  GRPC_MAX_QUEUED_CALLS: z.coerce.number().int().min(0).max(100_000).default(256),
  GRPC_MAX_QUEUE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
};

/** The `limits` of startGrpcServer from a config that spreads {@link grpcServerEnv}. */
export function grpcServerLimits(config: {
  GRPC_MAX_CONCURRENT_CALLS: number;
  GRPC_MAX_QUEUED_CALLS: number;
  GRPC_MAX_QUEUE_MS: number;
}): { maxInFlight: number; maxQueued: number; maxQueueMs: number } {
  return {
    maxInFlight: config.GRPC_MAX_CONCURRENT_CALLS,
    maxQueued: config.GRPC_MAX_QUEUED_CALLS,
    maxQueueMs: config.GRPC_MAX_QUEUE_MS,
  };
}

/**
 * A gRPC peer with a default: `host:port` (no scheme), or the replicas of one peer as `ip:port,ip:port` (IP
 * literals), which the client balances call by call (libs/grpc `grpcTarget`, docs/adr/0047).
 */
export const grpcAddress = (fallback: string) =>
  z
    .string()
    .regex(
      /^(?:[A-Za-z0-9.\-_[\]:]+:\d{1,5}|(?:[0-9.]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}(?:,(?:[0-9.]+|\[[0-9A-Fa-f:.]+\]):\d{1,5})+)$/,
      'must be host:port, or ip:port,ip:port for replicas',
    )
    .default(fallback);

/** BUS_PREFIX: isolates subjects and stream names (tests, several stacks on one NATS); empty means none. */
export const busPrefix = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .max(64)
    .optional()
    .transform((v) => v || undefined);
