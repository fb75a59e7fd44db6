import path from 'node:path';
import { z } from 'zod';
import { busPrefix, commonEnv, grpcAddress, loadConfig, port } from '@helpdesk/platform';

// Express's `trust proxy`: true/false, a hop count, or a comma list of addresses/subnets/presets.
const trustProxy = z
  .string()
  .trim()
  .min(1)
  .default('false')
  .transform((value): boolean | number | string => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    if (/^\d+$/.test(value)) return Number(value);
    return value;
  });

const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

export const gatewayEnvSchema = z.object({
  ...commonEnv,
  PORT: port(8080),
  // /healthz, /readyz and /metrics for Kubernetes and Prometheus, off the public API port (the ingress's)
  HEALTH_PORT: port(9109),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  // Prepended to every Redis key, so that test runs and environments sharing one Redis never see each other.
  REDIS_KEY_PREFIX: z.string().max(64).default(''),
  IDENTITY_GRPC_URL: grpcAddress('127.0.0.1:50051'),
  TICKET_GRPC_URL: grpcAddress('127.0.0.1:50052'),
  TIMEKEEPING_GRPC_URL: grpcAddress('127.0.0.1:50055'),
  SLA_GRPC_URL: grpcAddress('127.0.0.1:50054'),
  MAIL_GRPC_URL: grpcAddress('127.0.0.1:50053'),
  NOTIFICATION_GRPC_URL: grpcAddress('127.0.0.1:50056'),
  AUTOMATION_GRPC_URL: grpcAddress('127.0.0.1:50057'),
  REPORTING_GRPC_URL: grpcAddress('127.0.0.1:50058'),
  // the public address of the portal: e-mailed sign-in links point at <PORTAL_BASE_URL>/portal/<slug>/verify
  PORTAL_BASE_URL: z.url().default('http://localhost:8080'),
  PORTAL_MAGIC_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  // the largest raw mail POST /inbound/mail/:mailboxId takes (mail-ingest's MAIL_MAX_BYTES should match)
  MAIL_MAX_BYTES: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'must be a size such as 25mb or 26214400')
    .default('25mb'),
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().max(120_000).default(5_000),
  HELPDESK_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  // Optional: without it no one can create tenants through the API.
  HELPDESK_OPERATOR_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(24, 'must be at least 24 characters').optional(),
  ),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'must be a size such as 1mb, 512kb or 1048576')
    .default('1mb'),
  CORS_ORIGINS: csv,
  TRUST_PROXY: trustProxy,
  LOGIN_RATE_LIMIT_MAX: z.coerce.number().int().positive().default(10),
  LOGIN_RATE_LIMIT_IP_MAX: z.coerce.number().int().positive().default(100),
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  PUBLIC_FORM_RATE_LIMIT_PER_HOUR: z.coerce.number().int().positive().default(20),
  // admission control of the API: requests served at once, requests waiting for a slot and the longest wait;
  // past them a request is answered 503 with Retry-After at once
  ADMISSION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(128),
  ADMISSION_MAX_QUEUED: z.coerce.number().int().min(0).max(100_000).default(256),
  ADMISSION_MAX_QUEUE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  // the Retry-After (seconds) of every 503
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3_600).default(1),
  // the live event streams (GET /events): the ticket and notify streams of NATS JetStream
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  BUS_PREFIX: busPrefix(),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  // how far back a reconnect with Last-Event-ID is replayed (SPEC §6: at least 5 minutes)
  SSE_REPLAY_WINDOW_MS: z.coerce.number().int().min(300_000).max(86_400_000).default(900_000),
  SSE_MAX_CLIENTS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  // what a client may leave unread before it is dropped as too slow (its memory in the gateway)
  SSE_CLIENT_MAX_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(4_096)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  SSE_REPLAY_MAX_PENDING: z.coerce.number().int().min(10).max(1_000_000).default(10_000),
  // the web bundle (`npm run build`) served at / (console) and /portal/<slug> (portal); empty serves none
  WEB_DIR: z
    .string()
    .default(path.resolve(__dirname, '..', '..', 'web', 'dist'))
    .transform((dir) => (dir === '' ? undefined : path.resolve(dir))),
  PORTAL_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(30 * 24 * 3600)
    .default(43_200),
});

export type GatewayConfig = Readonly<z.infer<typeof gatewayEnvSchema>>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayEnvSchema, env);
}

const telemetryEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: commonEnv.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_TRACES_SAMPLER: commonEnv.OTEL_TRACES_SAMPLER,
  OTEL_TRACES_SAMPLER_ARG: commonEnv.OTEL_TRACES_SAMPLER_ARG,
  METRICS_ENABLED: commonEnv.METRICS_ENABLED,
});

// Read before anything else is imported, and without the secrets, so that instrumentation never fails on them.
export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(telemetryEnvSchema, env);
}
