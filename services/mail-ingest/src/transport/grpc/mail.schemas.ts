// zod schemas of the gRPC requests: proto3 has no required fields, so every message is checked here.
import { z } from 'zod';
import { OAUTH_PROVIDERS, TLS_MODES } from '../../domain/mailbox';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a uuid');
export const tenantId = uuid;
const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.\-_[\]:]+$/, 'must be a host name or address');
const tcpPort = z.number().int().min(1).max(65535);
const tls = z.enum(TLS_MODES);
const folder = z.string().trim().max(300);
const secret = z.string().max(4096);

export const imapInputSchema = z.object({
  host,
  port: tcpPort,
  tls,
  user: z.string().trim().min(1).max(320),
  password: secret,
  accessToken: secret,
  folder: folder.transform((f) => f || 'INBOX'),
  processedFolder: folder,
  auth: z.enum(['', 'password', 'oauth2']).default(''),
});

export const smtpInputSchema = z
  .object({
    host,
    port: tcpPort,
    tls,
    user: z
      .string()
      .trim()
      .max(320)
      .transform((u) => u || null),
    password: secret,
  })
  .refine((s) => s.user !== null || s.password === '', {
    message: 'a password needs a user',
    path: ['password'],
  });

const pollInterval = z.number().int().min(0).max(3600);

export const createMailboxSchema = z.object({
  tenantId,
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().toLowerCase().max(320).pipe(z.email()),
  imap: imapInputSchema.optional().transform((v) => v ?? null),
  smtp: smtpInputSchema,
  pollIntervalSeconds: pollInterval.transform((v) => (v === 0 ? null : Math.max(v, 5))),
});

export const updateMailboxSchema = z.object({
  tenantId,
  id: z.string().max(100),
  expectedVersion: z.number().int().optional(),
  name: z.string().trim().min(1).max(200).optional(),
  address: z.string().trim().toLowerCase().max(320).pipe(z.email()).optional(),
  imap: imapInputSchema.optional(),
  smtp: smtpInputSchema.optional(),
  pollIntervalSeconds: z.number().int().min(5).max(3600).optional(),
  rotateIntakeToken: z.boolean(),
});

export const byIdSchema = z.object({ tenantId, id: z.string().max(100) });

export const pageSchema = z
  .object({ limit: z.number().int().min(0).max(200), cursor: z.string().max(1024) })
  .optional()
  .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : 50, cursor: p?.cursor || undefined }));

export const listSchema = z.object({ tenantId, page: pageSchema });

export const outboundSettingsSchema = z.object({ tenantId, mailboxId: z.string().max(100) });

export const rawSchema = z.object({ tenantId, rawRef: z.string().max(100) });

export const pushHeaderSchema = z.object({
  mailboxId: z.string().max(100),
  intakeToken: z.string().min(1).max(200),
});

export const startOAuthSchema = z
  .object({
    tenantId,
    id: z.string().max(100),
    provider: z.enum(OAUTH_PROVIDERS),
    issuer: z.string().trim().max(500),
    clientId: z.string().trim().max(500),
    clientSecret: secret,
    scopes: z
      .string()
      .trim()
      .max(1000)
      .regex(/^[\x21\x23-\x5B\x5D-\x7E ]*$/, 'scopes are space-separated tokens'),
    loginHint: z.string().trim().max(320),
  })
  .transform(({ id, ...rest }) => ({ ...rest, mailboxId: id }));

export const completeOAuthSchema = z.object({ query: z.string().min(1).max(8192) });
