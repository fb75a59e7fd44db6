import type { mailV1 } from '@helpdesk/contracts';
import { emptyToNull, isoOrNull } from '../../../app/rest-values';
import type { z } from 'zod';
import type {
  imapInputSchema,
  inboundMailSchema,
  mailboxSchema,
  mailboxTestSchema,
  smtpInputSchema,
} from '../schemas/mail.schema';

export type MailboxDto = z.input<typeof mailboxSchema>;
export type InboundMailDto = z.input<typeof inboundMailSchema>;
type CheckDto = z.input<typeof mailboxTestSchema>['imapLogin'];

export function toMailboxDto(m: mailV1.Mailbox): MailboxDto {
  return {
    id: m.id,
    name: m.name,
    address: m.address,
    imap: m.imap
      ? {
          host: m.imap.host,
          port: m.imap.port,
          tls: m.imap.tls,
          user: m.imap.user,
          auth: m.imap.auth,
          folder: m.imap.folder,
          processedFolder: emptyToNull(m.imap.processedFolder),
        }
      : null,
    smtp: {
      host: m.smtp?.host ?? '',
      port: m.smtp?.port ?? 0,
      tls: m.smtp?.tls ?? '',
      user: emptyToNull(m.smtp?.user ?? ''),
      hasPassword: m.smtp?.hasPassword ?? false,
    },
    pollIntervalSeconds: m.pollIntervalSeconds,
    sync: {
      uidValidity: Number(m.sync?.uidValidity ?? 0),
      lastUid: Number(m.sync?.lastUid ?? 0),
      lastSyncAt: isoOrNull(m.sync?.lastSyncAt),
      lastError: emptyToNull(m.sync?.lastError ?? ''),
    },
    oauth: m.oauth
      ? {
          provider: m.oauth.provider,
          status: m.oauth.status,
          reason: emptyToNull(m.oauth.reason),
          issuer: emptyToNull(m.oauth.issuer),
          scopes: m.oauth.scopes,
          connectedAt: isoOrNull(m.oauth.connectedAt),
          accessExpiresAt: isoOrNull(m.oauth.accessExpiresAt),
          refreshedAt: isoOrNull(m.oauth.refreshedAt),
        }
      : null,
    createdAt: isoOrNull(m.createdAt),
    updatedAt: isoOrNull(m.updatedAt),
    version: m.version,
  };
}

export function toInboundDto(m: mailV1.InboundMail): InboundMailDto {
  return {
    id: m.id,
    mailboxId: m.mailboxId,
    source: m.source,
    status: m.status,
    outcome: emptyToNull(m.outcome),
    threadingRule: emptyToNull(m.threadingRule),
    ticketId: emptyToNull(m.ticketId),
    ticketMessageId: emptyToNull(m.ticketMessageId),
    duplicateOfId: emptyToNull(m.duplicateOfId),
    messageId: emptyToNull(m.messageId),
    subject: m.subject,
    from: m.from,
    size: Number(m.size),
    attempts: m.attempts,
    lastError: emptyToNull(m.lastError),
    notes: m.notes,
    receivedAt: isoOrNull(m.receivedAt),
    processedAt: isoOrNull(m.processedAt),
  };
}

type ImapBody = z.output<typeof imapInputSchema>;

type SmtpBody = z.output<typeof smtpInputSchema>;

export function toImapInput(body: ImapBody): mailV1.ImapInput {
  return {
    host: body.host,
    port: body.port,
    tls: body.tls,
    user: body.user,
    password: body.password ?? '',
    accessToken: body.accessToken ?? '',
    folder: body.folder ?? '',
    processedFolder: body.processedFolder ?? '',
    auth: body.auth ?? '',
  };
}

export function toSmtpInput(body: SmtpBody): mailV1.SmtpInput {
  return {
    host: body.host,
    port: body.port,
    tls: body.tls,
    user: body.user ?? '',
    password: body.password ?? '',
  };
}

export function toCheckDto(check: mailV1.CheckResult | undefined): CheckDto {
  return { ok: check?.ok ?? false, error: emptyToNull(check?.error ?? ''), skipped: check?.skipped ?? false };
}
