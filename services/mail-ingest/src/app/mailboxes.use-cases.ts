import { randomBytes } from 'node:crypto';
import { conflict, invalidArgument, notFound } from '@helpdesk/platform';
import { sha256Hex } from '../domain/inbound-mail';
import type { ImapConfig, Mailbox, SmtpConfig } from '../domain/mailbox';
import type { Clock, IdGenerator, MailServerChecker, MailboxRepository, SecretBox } from './ports';

export interface ImapInput extends Omit<ImapConfig, 'auth'> {
  password: string;
  accessToken: string;
  /** `oauth2` with no secret: signed in later through the OAuth2 flow; empty infers it from the secret. */
  auth: '' | 'password' | 'oauth2';
}

export interface SmtpInput extends SmtpConfig {
  password: string;
}

export interface CreateMailboxCommand {
  tenantId: string;
  name: string;
  address: string;
  imap: ImapInput | null;
  smtp: SmtpInput;
  pollIntervalSeconds: number | null;
}

export interface UpdateMailboxCommand {
  tenantId: string;
  id: string;
  expectedVersion?: number;
  name?: string;
  address?: string;
  imap?: ImapInput;
  smtp?: SmtpInput;
  pollIntervalSeconds?: number;
  rotateIntakeToken: boolean;
}

export interface CheckResult {
  ok: boolean;
  error: string;
  skipped: boolean;
}

/** The current IMAP/SMTP token of an OAuth2 mailbox (MailboxOAuthUseCases). */
export interface TokenSource {
  currentToken(mailbox: Mailbox, staleToken?: string): Promise<{ token: string; expiresAt: Date | null }>;
}

export interface MailboxDeps {
  mailboxes: MailboxRepository;
  tokens: TokenSource;
  secrets: SecretBox;
  checker: MailServerChecker;
  clock: Clock;
  ids: IdGenerator;
  defaultPollSeconds: number;
}

/** A push-intake token: shown once, stored as its SHA-256 (it is random, so no slow hash is needed). */
function newIntakeToken(): { token: string; hash: string } {
  const token = `mit_${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256Hex(token) };
}

function imapSecretOf(input: ImapInput): { auth: 'password' | 'oauth2'; secret: string | null } | null {
  if (input.accessToken) return { auth: 'oauth2', secret: input.accessToken };
  if (input.password && input.auth !== 'oauth2') return { auth: 'password', secret: input.password };
  // the OAuth2 flow (POST /mailboxes/:id/oauth/start) brings the tokens
  if (input.auth === 'oauth2') return { auth: 'oauth2', secret: null };
  return null;
}

/** Whether SMTP logs in with XOAUTH2: an OAuth2 sign-in, an SMTP user, and no SMTP password of its own. */
export function smtpUsesOAuth(mailbox: Mailbox): boolean {
  return (
    mailbox.imap?.auth === 'oauth2' && mailbox.oauth !== null && !!mailbox.smtp.user && !mailbox.smtpSecret
  );
}

export type TestStep = 'token' | 'imap_login' | 'imap_folder' | 'smtp_login';

/**
 * The /mailboxes use cases (docs/product/email.md): create, read, list,
 * change, delete and test a tenant's mailboxes.
 */
export class MailboxUseCases {
  constructor(private readonly deps: MailboxDeps) {}

  async create(command: CreateMailboxCommand): Promise<{ mailbox: Mailbox; intakeToken: string }> {
    const now = this.deps.clock.now();
    let imap: ImapConfig | null = null;
    let imapSecret: Buffer | null = null;
    if (command.imap) {
      const secret = imapSecretOf(command.imap);
      if (!secret)
        throw invalidArgument('imap needs a password or an accessToken', [
          { path: ['imap', 'password'], message: 'required' },
        ]);
      imap = { ...stripSecrets(command.imap), auth: secret.auth };
      imapSecret = secret.secret ? this.deps.secrets.seal(secret.secret) : null;
    }
    const { token, hash } = newIntakeToken();
    const mailbox: Mailbox = {
      id: this.deps.ids.newId(),
      tenantId: command.tenantId,
      name: command.name,
      address: command.address.toLowerCase(),
      imap,
      imapSecret,
      smtp: {
        host: command.smtp.host,
        port: command.smtp.port,
        tls: command.smtp.tls,
        user: command.smtp.user,
      },
      smtpSecret: command.smtp.password ? this.deps.secrets.seal(command.smtp.password) : null,
      pollIntervalSeconds: command.pollIntervalSeconds ?? this.deps.defaultPollSeconds,
      intakeTokenHash: hash,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      version: 1,
      uidValidity: 0,
      lastUid: 0,
      lastSyncAt: null,
      lastSyncError: null,
      oauth: null,
    };
    await this.deps.mailboxes.insert(mailbox);
    return { mailbox, intakeToken: token };
  }

  async get(tenantId: string, id: string): Promise<Mailbox> {
    const mailbox = await this.deps.mailboxes.find(tenantId, id);
    if (!mailbox) throw notFound('mailbox');
    return mailbox;
  }

  async list(
    tenantId: string,
    limit: number,
    after?: { name: string; id: string },
  ): Promise<{ items: Mailbox[]; more: boolean }> {
    const rows = await this.deps.mailboxes.list({ tenantId, limit: limit + 1, after });
    return { items: rows.slice(0, limit), more: rows.length > limit };
  }

  async update(command: UpdateMailboxCommand): Promise<{ mailbox: Mailbox; intakeToken: string }> {
    const current = await this.get(command.tenantId, command.id);
    if (command.expectedVersion !== undefined && command.expectedVersion !== current.version) {
      throw conflict('mailbox was changed by someone else', { currentVersion: current.version });
    }
    const next: Mailbox = { ...current, updatedAt: this.deps.clock.now(), version: current.version + 1 };
    if (command.name !== undefined) next.name = command.name;
    if (command.address !== undefined) next.address = command.address.toLowerCase();
    if (command.pollIntervalSeconds !== undefined) next.pollIntervalSeconds = command.pollIntervalSeconds;
    if (command.imap) {
      const secret = imapSecretOf(command.imap);
      if (!secret && !current.imapSecret && current.imap?.auth !== 'oauth2') {
        throw invalidArgument('imap needs a password or an accessToken', [
          { path: ['imap', 'password'], message: 'required' },
        ]);
      }
      const auth = secret?.auth ?? current.imap?.auth ?? 'password';
      const moved =
        !current.imap ||
        current.imap.host !== command.imap.host ||
        current.imap.user !== command.imap.user ||
        current.imap.folder !== command.imap.folder;
      next.imap = { ...stripSecrets(command.imap), auth };
      if (secret?.secret) next.imapSecret = this.deps.secrets.seal(secret.secret);
      // a password replaces an OAuth2 sign-in's use (the sign-in row stays until signed in again or deleted)
      if (secret?.auth === 'oauth2' && !secret.secret) next.imapSecret = null;
      // another server, account or folder: its UIDs mean nothing to the old cursor (dedupe keeps it safe anyway)
      if (moved) {
        next.uidValidity = 0;
        next.lastUid = 0;
      }
    }
    if (command.smtp) {
      next.smtp = {
        host: command.smtp.host,
        port: command.smtp.port,
        tls: command.smtp.tls,
        user: command.smtp.user,
      };
      if (command.smtp.password) next.smtpSecret = this.deps.secrets.seal(command.smtp.password);
      if (!command.smtp.user) next.smtpSecret = null;
    }
    let intakeToken = '';
    if (command.rotateIntakeToken) {
      const fresh = newIntakeToken();
      next.intakeTokenHash = fresh.hash;
      intakeToken = fresh.token;
    }
    if (!(await this.deps.mailboxes.update(next, current.version))) {
      throw conflict('mailbox was changed by someone else');
    }
    return { mailbox: next, intakeToken };
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const current = await this.get(tenantId, id);
    const now = this.deps.clock.now();
    const deleted = { ...current, deletedAt: now, updatedAt: now, version: current.version + 1 };
    if (!(await this.deps.mailboxes.update(deleted, current.version)))
      throw conflict('mailbox was changed by someone else');
  }

  /** Gets the token, logs in to IMAP, opens the folder, connects (and logs in) to SMTP; says which step failed. */
  async test(
    tenantId: string,
    id: string,
  ): Promise<{
    token: CheckResult;
    imapLogin: CheckResult;
    imapFolder: CheckResult;
    smtp: CheckResult;
    ok: boolean;
    failedStep: TestStep | '';
  }> {
    const mailbox = await this.get(tenantId, id);
    const skipped: CheckResult = { ok: true, error: '', skipped: true };
    const notChecked = (why: string): CheckResult => ({
      ok: false,
      error: `not checked: ${why}`,
      skipped: true,
    });
    const result = (error: string | null): CheckResult => ({
      ok: error === null,
      error: error ?? '',
      skipped: false,
    });
    const oauth2 = mailbox.imap?.auth === 'oauth2';
    let token = skipped;
    let accessToken: string | null = null;
    if (oauth2 || smtpUsesOAuth(mailbox)) {
      try {
        accessToken = (await this.deps.tokens.currentToken(mailbox)).token;
        token = result(null);
      } catch (err) {
        token = result((err as Error).message.slice(0, 300));
      }
    }
    let imapLogin = skipped;
    let imapFolder = skipped;
    if (mailbox.imap && (oauth2 || mailbox.imapSecret)) {
      if (oauth2 && accessToken === null) {
        imapLogin = notChecked('no token');
        imapFolder = notChecked('no token');
      } else {
        const imap = await this.deps.checker.imapLogin(
          {
            host: mailbox.imap.host,
            port: mailbox.imap.port,
            tls: mailbox.imap.tls,
            user: mailbox.imap.user,
            secret: oauth2 ? accessToken : this.deps.secrets.open(mailbox.imapSecret!),
            oauth2,
          },
          mailbox.imap.folder,
        );
        imapLogin = result(imap.login);
        imapFolder = imap.login === null ? result(imap.folder) : notChecked('the login failed');
      }
    }
    let smtp: CheckResult;
    if (smtpUsesOAuth(mailbox)) {
      smtp =
        accessToken === null
          ? notChecked('no token')
          : result(await this.deps.checker.smtp({ ...mailbox.smtp, secret: accessToken, oauth2: true }));
    } else {
      smtp = result(
        await this.deps.checker.smtp({
          ...mailbox.smtp,
          secret: mailbox.smtpSecret ? this.deps.secrets.open(mailbox.smtpSecret) : null,
          oauth2: false,
        }),
      );
    }
    const steps: Array<[TestStep, CheckResult]> = [
      ['token', token],
      ['imap_login', imapLogin],
      ['imap_folder', imapFolder],
      ['smtp_login', smtp],
    ];
    const failed = steps.find(([, check]) => !check.ok && !check.skipped);
    return {
      token,
      imapLogin,
      imapFolder,
      smtp,
      ok: !failed,
      failedStep: failed ? failed[0] : '',
    };
  }

  /** SMTP settings with the secret in clear, for the notification service (never logged, never on the bus). */
  async outboundSettings(
    tenantId: string,
    mailboxId: string | null,
  ): Promise<{ mailbox: Mailbox; password: string; accessToken: string; accessTokenExpiresAt: Date | null }> {
    const mailbox = mailboxId
      ? await this.deps.mailboxes
          .find(tenantId, mailboxId)
          .then((m) => m ?? this.deps.mailboxes.defaultOf(tenantId))
      : await this.deps.mailboxes.defaultOf(tenantId);
    if (!mailbox) throw notFound('mailbox');
    if (smtpUsesOAuth(mailbox)) {
      // refreshed here when due: the notification service sends with what it gets and caches it until then
      const current = await this.deps.tokens.currentToken(mailbox);
      return { mailbox, password: '', accessToken: current.token, accessTokenExpiresAt: current.expiresAt };
    }
    return {
      mailbox,
      password: mailbox.smtpSecret ? this.deps.secrets.open(mailbox.smtpSecret) : '',
      accessToken: '',
      accessTokenExpiresAt: null,
    };
  }
}

function stripSecrets(input: ImapInput): Omit<ImapConfig, 'auth'> {
  return {
    host: input.host,
    port: input.port,
    tls: input.tls,
    user: input.user,
    folder: input.folder || 'INBOX',
    processedFolder: input.processedFolder || null,
  };
}
