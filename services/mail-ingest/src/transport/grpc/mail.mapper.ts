import type { mailV1 } from '@helpdesk/contracts';
import type { InboundMail } from '../../domain/inbound-mail';
import type { Mailbox } from '../../domain/mailbox';

export function toProtoMailbox(m: Mailbox): mailV1.Mailbox {
  return {
    id: m.id,
    tenantId: m.tenantId,
    name: m.name,
    address: m.address,
    ...(m.imap
      ? {
          imap: {
            host: m.imap.host,
            port: m.imap.port,
            tls: m.imap.tls,
            user: m.imap.user,
            auth: m.imap.auth,
            folder: m.imap.folder,
            processedFolder: m.imap.processedFolder ?? '',
          },
        }
      : {}),
    smtp: {
      host: m.smtp.host,
      port: m.smtp.port,
      tls: m.smtp.tls,
      user: m.smtp.user ?? '',
      hasPassword: m.smtpSecret !== null,
    },
    pollIntervalSeconds: m.pollIntervalSeconds,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    version: m.version,
    sync: {
      uidValidity: m.uidValidity,
      lastUid: m.lastUid,
      ...(m.lastSyncAt ? { lastSyncAt: m.lastSyncAt } : {}),
      lastError: m.lastSyncError ?? '',
    },
    ...(m.oauth
      ? {
          oauth: {
            provider: m.oauth.provider,
            status: m.oauth.status,
            reason: m.oauth.statusReason ?? '',
            issuer: m.oauth.issuer ?? '',
            scopes: m.oauth.scopes,
            connectedAt: m.oauth.connectedAt,
            accessExpiresAt: m.oauth.accessExpiresAt,
            ...(m.oauth.refreshedAt ? { refreshedAt: m.oauth.refreshedAt } : {}),
          },
        }
      : {}),
  };
}

export function toProtoInbound(m: InboundMail): mailV1.InboundMail {
  return {
    id: m.id,
    tenantId: m.tenantId,
    mailboxId: m.mailboxId,
    source: m.source,
    status: m.status,
    outcome: m.outcome ?? '',
    threadingRule: m.threadingRule ?? '',
    ticketId: m.ticketId ?? '',
    ticketMessageId: m.ticketMessageId ?? '',
    messageId: m.messageId ?? '',
    subject: m.subject,
    from: m.from,
    size: m.size,
    attempts: m.attempts,
    lastError: m.lastError ?? '',
    receivedAt: m.receivedAt,
    ...(m.processedAt ? { processedAt: m.processedAt } : {}),
    notes: m.notes,
    duplicateOfId: m.duplicateOfId ?? '',
  };
}

/** Opaque keyset cursors. */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === size && parts.every((p) => typeof p === 'string'))
      return parts as string[];
  } catch {
    // fall through
  }
  return undefined;
}
