// The only reader of process.env in the mail-ingest service.
import { busEnv, commonEnv, grpcServerEnv, grpcAddress, loadConfig, port } from '@helpdesk/platform';
import { z } from 'zod';

const key32 = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32,
    'must be 32 bytes in base64 (openssl rand -base64 32)',
  );

const optionalString = z
  .string()
  .optional()
  .transform((v) => v || undefined);

export const mailIngestConfigSchema = z.object({
  ...commonEnv,
  ...grpcServerEnv,
  ...busEnv,
  DATABASE_URL: z.url(),
  GRPC_PORT: port(50053),
  HEALTH_PORT: port(9103),
  TICKET_GRPC_URL: grpcAddress('127.0.0.1:50052'),
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().max(120_000).default(10_000),
  // AES-256-GCM key of the mailbox secrets at rest
  MAIL_SECRET_KEY: key32,
  // HMAC secret of our Message-IDs, shared with the notification service; the previous one verifies during a rotation
  MAIL_MESSAGE_ID_SECRET: z.string().min(32, 'must be at least 32 characters'),
  MAIL_MESSAGE_ID_SECRET_PREVIOUS: z
    .string()
    .min(32)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  MAIL_MAX_PARTS: z.coerce.number().int().min(1).default(1000),
  MAIL_MAX_DEPTH: z.coerce.number().int().min(1).default(50),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).default(1000),
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  IMAP_ENABLED: z.stringbool().default(true),
  IMAP_LEASE_SECONDS: z.coerce.number().int().min(3).max(600).default(30),
  // with IDLE, the folder is still read again this often (a folder re-created behind our back, a lost IDLE)
  IMAP_RESYNC_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  IMAP_DEFAULT_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  IMAP_PROCESSED_KEYWORD: z
    .string()
    .regex(/^\$?[A-Za-z0-9_-]+$/)
    .default('$HelpdeskProcessed'),
  // OAuth2 sign-in of mailboxes (issue 20): where the providers send the admin back (the gateway's /oauth/callback,
  // as registered with Microsoft and Google), and the operator's app registrations
  MAIL_OAUTH_REDIRECT_URL: z.url().default('http://localhost:8080/api/v1/oauth/callback'),
  MAIL_OAUTH_MICROSOFT_CLIENT_ID: optionalString,
  MAIL_OAUTH_MICROSOFT_CLIENT_SECRET: optionalString,
  // the Entra tenant: `organizations` (any work account), `common`, or one directory's id or domain
  MAIL_OAUTH_MICROSOFT_TENANT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/)
    .default('organizations'),
  MAIL_OAUTH_GOOGLE_CLIENT_ID: optionalString,
  MAIL_OAUTH_GOOGLE_CLIENT_SECRET: optionalString,
  // how long a started sign-in may take before its state is refused
  MAIL_OAUTH_FLOW_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  // an access token is refreshed this long before it expires
  MAIL_OAUTH_REFRESH_MARGIN_SECONDS: z.coerce.number().int().min(0).max(1800).default(300),
  // the generic provider's issuer is an admin's input: private, loopback and link-local addresses are refused
  // unless the operator allows them (an identity provider inside the operator's own network; tests)
  MAIL_OAUTH_ALLOW_PRIVATE_NETWORKS: z.stringbool().default(false),
  MAIL_OAUTH_HTTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(15_000),
});

export type MailIngestConfig = Readonly<z.infer<typeof mailIngestConfigSchema>>;

export function loadMailIngestConfig(env: NodeJS.ProcessEnv = process.env): MailIngestConfig {
  return loadConfig(mailIngestConfigSchema, env);
}
