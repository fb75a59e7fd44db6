import { z } from 'zod';
import { emailSchema, isoDateTime, pageOf } from './common.schema';

const TLS_MODES = ['none', 'starttls', 'tls'] as const;
const hostSchema = z.string().trim().min(1).max(253).meta({ description: 'Host name or address' });
const portSchema = z.number().int().min(1).max(65535);
const tlsSchema = z
  .enum(TLS_MODES)
  .meta({ description: 'none, starttls (upgrade required) or tls (from the start)' });
const secretSchema = z.string().min(1).max(4096).meta({ writeOnly: true });

export const imapInputSchema = z
  .strictObject({
    host: hostSchema,
    port: portSchema,
    tls: tlsSchema,
    user: z.string().trim().min(1).max(320),
    password: secretSchema.optional().meta({ description: 'Write-only; never returned' }),
    accessToken: secretSchema
      .optional()
      .meta({ description: 'OAuth2 access token (Microsoft 365, Gmail); write-only' }),
    folder: z.string().trim().min(1).max(300).optional().meta({ description: 'INBOX when absent' }),
    processedFolder: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .optional()
      .meta({ description: 'Processed mail is moved here; absent: it is flagged in place' }),
    auth: z.enum(['password', 'oauth2']).optional().meta({
      description:
        'oauth2 with no secret: the mailbox signs in later through POST /mailboxes/:id/oauth/start; absent: inferred from the secret',
    }),
  })
  .meta({ id: 'MailboxImapInput' });

export const smtpInputSchema = z
  .strictObject({
    host: hostSchema,
    port: portSchema,
    tls: tlsSchema,
    user: z.string().trim().min(1).max(320).optional(),
    password: secretSchema.optional().meta({ description: 'Write-only; never returned' }),
  })
  .meta({ id: 'MailboxSmtpInput' });

const pollIntervalSchema = z
  .number()
  .int()
  .min(5)
  .max(3600)
  .meta({ description: 'Seconds between polls when the server has no IDLE' });

export const createMailboxBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    address: emailSchema.meta({ description: 'The support address (From of replies)' }),
    imap: imapInputSchema
      .optional()
      .meta({ description: 'Absent for a push-only mailbox (POST /inbound/mail/:mailboxId)' }),
    smtp: smtpInputSchema,
    pollIntervalSeconds: pollIntervalSchema.optional(),
  })
  .meta({ id: 'CreateMailboxRequest' });

export const updateMailboxBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    address: emailSchema.optional(),
    imap: imapInputSchema
      .optional()
      .meta({ description: 'Replaces the IMAP settings; an absent secret keeps the stored one' }),
    smtp: smtpInputSchema
      .optional()
      .meta({ description: 'Replaces the SMTP settings; an absent password keeps the stored one' }),
    pollIntervalSeconds: pollIntervalSchema.optional(),
    rotateIntakeToken: z
      .boolean()
      .optional()
      .meta({ description: 'true issues a new intake token, answered once' }),
  })
  .meta({ id: 'UpdateMailboxRequest' });

export const mailboxSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    address: z.string(),
    imap: z
      .object({
        host: z.string(),
        port: z.number().int(),
        tls: z.string(),
        user: z.string(),
        auth: z.string().meta({ description: 'password or oauth2 (which secret is stored)' }),
        folder: z.string(),
        processedFolder: z.string().nullable(),
      })
      .nullable(),
    smtp: z.object({
      host: z.string(),
      port: z.number().int(),
      tls: z.string(),
      user: z.string().nullable(),
      hasPassword: z.boolean(),
    }),
    pollIntervalSeconds: z.number().int(),
    sync: z.object({
      uidValidity: z.number(),
      lastUid: z.number(),
      lastSyncAt: isoDateTime().nullable(),
      lastError: z.string().nullable(),
    }),
    oauth: z
      .object({
        provider: z.string().meta({ description: 'microsoft, google or generic' }),
        status: z.string().meta({
          description: 'connected, or needs_reauthorization (a refresh was refused: sign in again)',
        }),
        reason: z
          .string()
          .nullable()
          .meta({ description: "The provider's reason for needs_reauthorization" }),
        issuer: z.string().nullable(),
        scopes: z.string(),
        connectedAt: isoDateTime().nullable(),
        accessExpiresAt: isoDateTime().nullable(),
        refreshedAt: isoDateTime().nullable(),
      })
      .nullable()
      .meta({ description: 'The OAuth2 sign-in (never its tokens); null when never signed in with OAuth2' }),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Mailbox' });

export const mailboxWithTokenSchema = mailboxSchema
  .extend({
    intakeToken: z
      .string()
      .meta({ description: 'Bearer token of POST /inbound/mail/:mailboxId; shown only here' }),
  })
  .meta({ id: 'MailboxWithIntakeToken' });

export const mailboxPageSchema = pageOf(mailboxSchema, 'MailboxPage');

const checkSchema = z.object({ ok: z.boolean(), error: z.string().nullable(), skipped: z.boolean() });
export const mailboxTestSchema = z
  .object({
    ok: z.boolean(),
    failedStep: z
      .enum(['token', 'imap_login', 'imap_folder', 'smtp_login'])
      .nullable()
      .meta({ description: 'The first step that failed; null when none did' }),
    token: checkSchema.meta({
      description: 'The OAuth2 access token (refreshed if due); skipped for a password',
    }),
    imapLogin: checkSchema,
    imapFolder: checkSchema,
    smtp: checkSchema,
  })
  .meta({ id: 'MailboxTestResult' });

export const startOAuthBodySchema = z
  .strictObject({
    provider: z.enum(['microsoft', 'google', 'generic']),
    issuer: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .meta({ description: 'generic only: the issuer URL, whose metadata is discovered (https)' }),
    clientId: z.string().trim().min(1).max(500).optional().meta({ description: 'generic only' }),
    clientSecret: secretSchema.optional().meta({ description: 'generic only; write-only, sealed at rest' }),
    scopes: z
      .string()
      .trim()
      .max(1000)
      .regex(/^[\x21\x23-\x5B\x5D-\x7E ]*$/, 'space-separated scope tokens')
      .optional()
      .meta({ description: 'generic only; default "openid offline_access"' }),
    loginHint: z
      .string()
      .trim()
      .max(320)
      .optional()
      .meta({ description: 'The account to suggest; default the IMAP user' }),
  })
  .superRefine((body, ctx) => {
    if (body.provider !== 'generic') {
      for (const key of ['issuer', 'clientId', 'clientSecret', 'scopes'] as const)
        if (body[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'only for the generic provider' });
      return;
    }
    if (!body.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'required for generic' });
    if (!body.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'required for generic' });
  })
  .meta({ id: 'StartMailboxOAuthRequest' });

export const startOAuthResponseSchema = z
  .object({
    authorizationUrl: z.string().meta({ description: "Send the admin's browser here" }),
    expiresAt: isoDateTime().nullable().meta({ description: 'The sign-in must be finished by then' }),
  })
  .meta({ id: 'StartMailboxOAuthResponse' });

export const oauthCallbackQuerySchema = z
  .object({
    state: z.string().min(1).max(500).optional(),
    code: z.string().max(4096).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
  })
  .catchall(z.string().max(2000))
  .meta({ id: 'OAuthCallbackQuery' });

export const oauthCallbackPageSchema = z
  .string()
  .meta({ id: 'OAuthCallbackPage', description: 'A small HTML page' });

export const inboundMailSchema = z
  .object({
    id: z.guid(),
    mailboxId: z.guid(),
    source: z.string(),
    status: z.string().meta({ description: 'received, processing, retrying, done or quarantined' }),
    outcome: z.string().nullable().meta({
      description:
        'created, appended, follow_up, redirected, bounce, bounce_unmatched, or duplicate (taken already through another mailbox of the tenant)',
    }),
    threadingRule: z.string().nullable(),
    ticketId: z.guid().nullable(),
    ticketMessageId: z.guid().nullable(),
    duplicateOfId: z
      .guid()
      .nullable()
      .meta({ description: "For a duplicate: the tenant's first record of this mail" }),
    messageId: z.string().nullable(),
    subject: z.string(),
    from: z.string(),
    size: z.number().int(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    notes: z.array(z.string()),
    receivedAt: isoDateTime().nullable(),
    processedAt: isoDateTime().nullable(),
  })
  .meta({ id: 'InboundMail' });

export const inboundAcceptedSchema = z
  .object({
    mail: inboundMailSchema,
    duplicate: z.boolean().meta({ description: 'The mailbox had taken this mail before' }),
  })
  .meta({ id: 'InboundMailAccepted' });

export const inboundPageSchema = pageOf(inboundMailSchema, 'InboundMailPage');

export const inboundParamsSchema = z.strictObject({ mailboxId: z.guid() });

export const bearerHeadersSchema = z.object({
  authorization: z.string().max(300).optional().meta({ description: 'Bearer <the mailbox intake token>' }),
});

export const rawMessageSchema = z.string().meta({ description: 'The RFC 822 source' });
