// The only reader of process.env in the notification service.
import { busPrefix, commonEnv, grpcServerEnv, grpcAddress, loadConfig, port } from '@helpdesk/platform';
import { z } from 'zod';
import { webhookEnv } from './webhook-config';

export const notificationConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  DATABASE_URL: z.url(),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  BUS_PREFIX: busPrefix(),
  GRPC_PORT: port(50056),
  HEALTH_PORT: port(9106),
  TICKET_GRPC_URL: grpcAddress('127.0.0.1:50052'),
  MAIL_GRPC_URL: grpcAddress('127.0.0.1:50053'),
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().max(120_000).default(10_000),
  // the HMAC secret of our Message-IDs, the same as mail-ingest's
  MAIL_MESSAGE_ID_SECRET: z.string().min(32, 'must be at least 32 characters'),
  AUTO_REPLY_MAX_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  SMTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  SMTP_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
  DISPATCH_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  // in-app notifications and agent e-mail (ADR 31): team members and users not yet seen come from identity
  IDENTITY_GRPC_URL: grpcAddress('127.0.0.1:50051'),
  // the agent console's public address, for the ticket links of agent e-mail
  APP_BASE_URL: z.url().default('http://localhost:8080'),
  // how long an agent's first notification of a ticket waits for the ones that follow it: one mail per burst
  NOTIFY_EMAIL_BATCH_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  NOTIFY_EMAIL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  ...webhookEnv,
});

export type NotificationConfig = Readonly<z.infer<typeof notificationConfigSchema>>;

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  return loadConfig(notificationConfigSchema, env);
}
