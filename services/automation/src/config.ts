// The only reader of process.env in the automation service.
import {
  busEnv,
  commonEnv,
  grpcAddress,
  grpcServerEnv,
  loadConfig,
  port,
  urlString,
} from '@helpdesk/platform';
import { z } from 'zod';

export const automationConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  ...busEnv,
  DATABASE_URL: urlString(),
  GRPC_PORT: port(50057),
  HEALTH_PORT: port(9107),
  TICKET_GRPC_URL: grpcAddress('127.0.0.1:50052'),
  IDENTITY_GRPC_URL: grpcAddress('127.0.0.1:50051'),
  SLA_GRPC_URL: grpcAddress('127.0.0.1:50054'),
  // webhook actions: the notification service's WebhookService
  NOTIFICATION_GRPC_URL: grpcAddress('127.0.0.1:50056'),
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().max(120_000).default(10_000),
  // how often the action worker looks for runs whose actions are still to be applied, beside the NOTIFY that
  // wakes it after every commit that planned some
  AUTOMATION_WORKER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  // runs whose actions one worker round applies at most
  AUTOMATION_WORKER_BATCH: z.coerce.number().int().min(1).max(1_000).default(20),
  // time rules' timers one transaction fires at most
  AUTOMATION_TIMER_BATCH: z.coerce.number().int().min(1).max(5_000).default(100),
  // how often the timer loop re-reads the next due instant beside the NOTIFY of every commit that arms one
  AUTOMATION_TIMER_RESYNC_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  // how long the run log keeps runs (docs/product/automation.md: 30 days)
  AUTOMATION_RUN_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
});

export type AutomationConfig = Readonly<z.infer<typeof automationConfigSchema>>;

export function loadAutomationConfig(env: NodeJS.ProcessEnv = process.env): AutomationConfig {
  return loadConfig(automationConfigSchema, env);
}
