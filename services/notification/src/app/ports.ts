// What the use cases need from the outside world; adapters live in src/infra.

export type OutboundKind =
  | 'auto_reply'
  | 'public_reply'
  | 'oversize_notice'
  | 'magic_link'
  // an agent's notifications (app/notifications): never part of the ticket's thread
  | 'agent_notification';
export type OutboundStatus = 'pending' | 'sent' | 'suppressed' | 'failed';

/** A file of the ticket's message to send along (its content is read from the ticket service at send time). */
export interface OutboundAttachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID of an inline image the HTML body names as `cid:`; empty for none. */
  contentId: string;
}

/** An e-mail to send (or decided against), as stored. */
export interface OutboundMail {
  id: string;
  tenantId: string;
  dedupeKey: string;
  kind: OutboundKind;
  status: OutboundStatus;
  reason: string | null;
  ticketId: string | null;
  mailboxId: string | null;
  to: string[];
  cc: string[];
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  /** Empty until the first send attempt fixes it (it needs the mailbox's domain). */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  attachments: OutboundAttachment[];
  automatic: boolean;
  /** The change that caused the mail: its send span joins that trace. */
  traceparent: string | null;
  /**
   * A batched mail (agent notifications of several changes): the traceparents of the changes it stands for; its
   * send span starts a trace of its own and links to each of them.
   */
  traceLinks?: string[];
  attempts: number;
  recordedAt: Date | null;
}

/** Writes of the planning step, inside the transaction that also records the event as handled. */
export interface PlanStore {
  /** Serializes the automatic-reply decisions for one recipient until the transaction ends. */
  lockRecipient(tenantId: string, recipient: string): Promise<void>;
  autoRepliesTo(tenantId: string, recipient: string, since: Date): Promise<number>;
  ticketAutoRepliedSince(tenantId: string, ticketId: string, since: Date): Promise<boolean>;
  logAutoReply(entry: {
    id: string;
    tenantId: string;
    recipient: string;
    ticketId: string;
    at: Date;
  }): Promise<void>;
  /** false when a mail with this dedupe key exists already. */
  insertOutbound(mail: OutboundMail, at: Date): Promise<boolean>;
  /** The ticket's mailbox and e-mail Message-IDs, oldest first. */
  thread(ticketId: string): Promise<{ mailboxId: string | null; messageIds: string[] } | null>;
  recordThread(entry: {
    tenantId: string;
    ticketId: string;
    mailboxId: string | null;
    messageId: string | null;
    at: Date;
  }): Promise<void>;
}

/** The mailbox a mail goes out of, secret included (from mail-ingest; never logged, never on the bus). */
export interface SmtpSettings {
  mailboxId: string;
  name: string;
  address: string;
  host: string;
  port: number;
  tls: string;
  user: string;
  password: string;
  version: number;
  /** `password` (user and password, or none) or `oauth2` (XOAUTH2 with `accessToken`). */
  auth: string;
  /** The mailbox's current OAuth2 access token for `oauth2`; empty otherwise. */
  accessToken: string;
  /** When that token expires: settings holding it are not kept past then. */
  accessTokenExpiresAt?: Date;
}

export interface MailboxSettingsPort {
  /** NOT_FOUND when the tenant has no mailbox (or no such one and no default). */
  settings(tenantId: string, mailboxId: string | null): Promise<SmtpSettings>;
}

export interface SmtpMessage {
  from: { name: string; address: string };
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  attachments: Array<{ filename: string; contentType: string; content: Buffer; contentId: string }>;
  automatic: boolean;
}

/** Where a send belongs in the traces: the causing change's trace, or links to several (a batch). */
export interface SendTrace {
  traceparent: string | null;
  tenantId: string;
  links: readonly string[];
}

export interface MailSender {
  send(settings: SmtpSettings, message: SmtpMessage, trace?: SendTrace): Promise<void>;
}

/** The content of a ticket's attachment (TicketService's attachment download, actor system). */
export interface AttachmentSource {
  /** NOT_FOUND when the file is gone. */
  read(tenantId: string, attachmentId: string): Promise<Buffer>;
}

/** Records a sent mail in its ticket's thread (TicketService.AddMessage, kind email_out, actor system). */
export interface ThreadRecorder {
  recordSent(mail: OutboundMail, from: string): Promise<void>;
}

/** The dispatcher's queue (rows locked per batch, so several replicas can run). */
export interface OutboundQueue {
  claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboundMail[]>;
  /** Sent mails whose thread record failed, to try again. */
  unrecorded(limit: number): Promise<OutboundMail[]>;
  setMessageId(id: string, messageId: string): Promise<void>;
  markSent(id: string, at: Date): Promise<void>;
  markRecorded(id: string, at: Date): Promise<void>;
  markRetry(id: string, error: string, nextAttemptAt: Date, failed: boolean): Promise<void>;
  get(tenantId: string, id: string): Promise<OutboundMail | null>;
  insert(mail: OutboundMail, at: Date): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}
