// What the use cases need from the outside world; adapters live in src/infra.
import type { InboundMail, InboundOutcome } from '../domain/inbound-mail';
import type { Mailbox, MailboxOAuth, OAuthFlow, OAuthProviderName, TlsMode } from '../domain/mailbox';
import type { ParsedMail } from '../domain/parsed-mail';

/** Tells the outbox relay that committed events are waiting, so it need not wait for its next poll. */
export interface OutboxNotifier {
  nudge(): void;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

/** A ticket as intake needs it. */
export interface TicketRef {
  id: string;
  number: number;
  title: string;
  status: string;
  requesterEmail: string;
  cc: string[];
  clientId: string;
  mergedIntoId: string;
}

export interface EmailHeaders {
  messageId: string;
  inReplyTo: string;
  references: string[];
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  mailboxId: string;
  rawRef: string;
}

export interface NewMessage {
  kind: 'email_in' | 'system';
  bodyHtml: string;
  bodyText: string;
  attachmentIds: string[];
  email?: EmailHeaders;
  threadingRule: string;
}

export type Author = { type: 'system' } | { type: 'contact'; id: string };

export interface CreateEmailTicket {
  tenantId: string;
  title: string;
  description: string;
  requester: { email: string; name: string };
  cc: string[];
  followUpOfId: string;
  initialMessage: NewMessage;
  dedupeKey: string;
}

export interface AddThreadMessage {
  tenantId: string;
  ticketId: string;
  author: Author;
  message: NewMessage;
  dedupeKey: string;
}

export interface TicketChange {
  ticket: TicketRef;
  messageId: string;
  /** `created`, `appended`, `redirected`, `follow_up` or `duplicate`. */
  outcome: string;
}

export interface AttachmentUpload {
  tenantId: string;
  ticketId: string;
  filename: string;
  contentType: string;
  contentId: string;
  inline: boolean;
  content: Buffer;
}

/** The ticket service (TicketService, AttachmentService, DirectoryService) as intake uses it. */
export interface TicketPort {
  createTicket(command: CreateEmailTicket): Promise<TicketChange>;
  addMessage(command: AddThreadMessage): Promise<TicketChange>;
  /** The ticket holding a message with one of these Message-IDs (first match in order), or null. */
  findByEmailMessageIds(
    tenantId: string,
    ids: string[],
  ): Promise<{ ticket: TicketRef; matched: string } | null>;
  getById(tenantId: string, id: string): Promise<TicketRef | null>;
  getByNumber(tenantId: string, number: number): Promise<TicketRef | null>;
  /** The stored attachment's id, or `too_large` when it is over the tenant's limit. */
  uploadAttachment(upload: AttachmentUpload): Promise<{ id: string } | 'too_large'>;
  /** The client of an existing contact with this address; null for none. */
  clientOfContact(tenantId: string, email: string): Promise<string | null>;
  setBouncing(tenantId: string, email: string): Promise<void>;
}

/** Parses a raw message (MIME, charsets); never throws for bad input, it notes what it could not read. */
export interface MailParser {
  parse(raw: Buffer): Promise<ParsedMail>;
}

export interface MailboxListQuery {
  tenantId: string;
  limit: number;
  after?: { name: string; id: string };
}

export interface MailboxRepository {
  insert(mailbox: Mailbox): Promise<void>;
  /** false when it is no longer at `previousVersion`. */
  update(mailbox: Mailbox, previousVersion: number): Promise<boolean>;
  /** A live (not deleted) mailbox of a tenant. */
  find(tenantId: string, id: string): Promise<Mailbox | null>;
  /** Any mailbox by id, deleted ones included (intake of mail already taken, push authentication). */
  findAny(id: string): Promise<Mailbox | null>;
  list(query: MailboxListQuery): Promise<Mailbox[]>;
  /** Every live mailbox with IMAP settings (the pollers). */
  listPolled(): Promise<Mailbox[]>;
  /** Addresses of a tenant's live mailboxes (our own addresses, never auto-replied to). */
  addressesOf(tenantId: string): Promise<string[]>;
  /** The tenant's oldest live mailbox. */
  defaultOf(tenantId: string): Promise<Mailbox | null>;
  saveSyncState(
    id: string,
    state: { uidValidity: number; lastUid: number; error: string | null; at: Date },
  ): Promise<void>;
}

export interface StoreInbound {
  id: string;
  tenantId: string;
  mailboxId: string;
  source: 'imap' | 'push';
  dedupeKey: string;
  imapUidValidity: number | null;
  imapUid: number | null;
  raw: Buffer;
  sha256: string;
  messageId: string | null;
  subject: string;
  from: string;
  receivedAt: Date;
}

/** What processing a mail came to, written with its event in one transaction. */
export interface InboundResult {
  outcome: InboundOutcome;
  threadingRule: string;
  ticketId: string | null;
  ticketMessageId: string | null;
  notes: string[];
  subject: string;
  from: string;
  /** `helpdesk.mail.received` data when a ticket change was made; null for none. */
  event: MailReceivedData | null;
}

export interface MailReceivedData {
  inboundId: string;
  mailboxId: string;
  ticketId: string;
  ticketNumber: number;
  ticketTitle: string;
  outcome: string;
  threadingRule: string;
  from: string;
  fromName: string;
  subject: string;
  messageId: string;
  references: string[];
  automaticReason: string;
  oversizeAttachments: Array<{ filename: string; size: number }>;
}

/** Attachments uploaded so far for a mail, by position, reused when it is processed again. */
export interface InboundProgress {
  attachments?: Record<string, string | 'too_large'>;
}

export interface InboundRepository {
  /** Stores the raw source and the record in one transaction; an earlier mail with the same dedupe key wins. */
  store(input: StoreInbound): Promise<{ mail: InboundMail; duplicate: boolean }>;
  /** Takes a mail for processing until `until` (received, retrying, or an expired claim); null when not available. */
  claim(id: string, until: Date, force?: boolean): Promise<InboundMail | null>;
  get(tenantId: string, id: string): Promise<InboundMail | null>;
  getAny(id: string): Promise<InboundMail | null>;
  loadRaw(id: string): Promise<Buffer>;
  progress(id: string): Promise<InboundProgress>;
  saveProgress(id: string, progress: InboundProgress): Promise<void>;
  complete(id: string, tenantId: string, result: InboundResult, at: Date): Promise<InboundMail>;
  fail(
    id: string,
    update: { error: string; attempts: number; quarantine: boolean; nextAttemptAt: Date },
  ): Promise<InboundMail>;
  /** Mails waiting for (another) attempt whose time has come, and claims that expired. */
  due(now: Date, limit: number): Promise<string[]>;
  /** Per IMAP UID under this UIDVALIDITY: the status of the mail taken from it. */
  statusByUid(
    mailboxId: string,
    uidValidity: number,
    uids: number[],
  ): Promise<Map<number, InboundMail['status']>>;
  listQuarantine(
    tenantId: string,
    limit: number,
    after?: { receivedAt: Date; id: string },
  ): Promise<InboundMail[]>;
}

/** Encrypts secrets at rest (AES-256-GCM under the configured key). */
export interface SecretBox {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

export interface ServerCheckTarget {
  host: string;
  port: number;
  tls: TlsMode;
  user: string | null;
  secret: string | null;
}

/** Live checks of a mailbox's servers; each answers null when fine, else a message safe to show. */
export interface MailServerChecker {
  imapLogin(
    target: ServerCheckTarget & { oauth2: boolean },
    folder: string,
  ): Promise<{ login: string | null; folder: string | null }>;
  smtp(target: ServerCheckTarget & { oauth2: boolean }): Promise<string | null>;
}

/** An OAuth2 client as the provider adapter needs it; the secret in clear. */
export interface OAuthClient {
  provider: OAuthProviderName;
  /** The generic provider's issuer (discovered); null for the built-in ones. */
  issuer: string | null;
  /** null for the built-in ones: the operator's configuration supplies them. */
  clientId: string | null;
  clientSecret: string | null;
  /** Space-separated; empty for the built-in providers' own. */
  scopes: string;
}

export interface OAuthTokenSet {
  accessToken: string;
  expiresAt: Date;
  /** null when the provider sent none (the old one stays valid). */
  refreshToken: string | null;
}

/** The authorization server side of OAuth2 (oauth4webapi); throws OAuthGrantRefused on invalid_grant. */
export interface OAuthProviderPort {
  newState(): string;
  newCodeVerifier(): string;
  /** Fails with INVALID_ARGUMENT / FAILED_PRECONDITION for a bad or unconfigured provider. */
  authorizationUrl(
    client: OAuthClient,
    flow: { state: string; codeVerifier: string; redirectUri: string; loginHint: string },
  ): Promise<string>;
  exchangeCode(
    client: OAuthClient,
    flow: { callbackQuery: string; state: string; codeVerifier: string; redirectUri: string },
  ): Promise<OAuthTokenSet>;
  refresh(client: OAuthClient, refreshToken: string): Promise<OAuthTokenSet>;
}

/** Changes made to a mailbox's OAuth2 row while it is locked. */
export type OAuthRowUpdate = Partial<
  Pick<
    MailboxOAuth,
    'status' | 'statusReason' | 'accessToken' | 'accessExpiresAt' | 'refreshToken' | 'refreshedAt'
  >
>;

/**
 * That a mailbox needs a new sign-in, as `helpdesk.mail.mailbox_needs_reauthorization` tells it (the tenant's
 * admins are notified); written to the outbox in the transaction of the status change.
 */
export interface ReauthorizationNotice {
  mailboxName: string;
  mailboxAddress: string;
  provider: OAuthProviderName;
  reason: string;
}

export interface MailboxOAuthRepository {
  saveFlow(flow: OAuthFlow): Promise<void>;
  /** Deletes and answers the flow with this state hash; null when there is none or it has expired. */
  takeFlow(stateHash: string, now: Date): Promise<OAuthFlow | null>;
  find(tenantId: string, mailboxId: string): Promise<MailboxOAuth | null>;
  /** Stores a completed sign-in and sets the mailbox's IMAP to OAuth2 (a new version, so its poller restarts). */
  connect(oauth: MailboxOAuth): Promise<void>;
  /**
   * Runs `fn` with the row locked (SELECT ... FOR UPDATE) and writes its update, and the event of its notice, in the
   * same transaction: one replica refreshes while the others wait and then find the new token.
   */
  withLock<T>(
    tenantId: string,
    mailboxId: string,
    fn: (
      row: MailboxOAuth | null,
    ) => Promise<{ update?: OAuthRowUpdate; notice?: ReauthorizationNotice; value: T }>,
  ): Promise<T>;
}
