import { randomBytes } from 'node:crypto';
import { conflict, invalidArgument, notFound } from '@helpdesk/platform';
import { sha256Hex } from '../domain/inbound-mail';
import type { ImapConfig, Mailbox, SmtpConfig } from '../domain/mailbox';
import type { Clock, IdGenerator, MailServerChecker, MailboxRepository, SecretBox } from './ports';

export interface ImapInput extends Omit<ImapConfig, 'auth'> {
  password: string;
  accessToken: string;
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

export interface MailboxDeps {
  mailboxes: MailboxRepository;
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

function imapSecretOf(input: ImapInput): { auth: 'password' | 'oauth2'; secret: string } | null {
  if (input.accessToken) return { auth: 'oauth2', secret: input.accessToken };
  if (input.password) return { auth: 'password', secret: input.password };
  return null;
}

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
      imapSecret = this.deps.secrets.seal(secret.secret);
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
      if (!secret && !current.imapSecret) {
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
      if (secret) next.imapSecret = this.deps.secrets.seal(secret.secret);
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

  /** Logs in to IMAP, opens the folder, connects (and logs in) to SMTP; says what failed. */
  async test(
    tenantId: string,
    id: string,
  ): Promise<{ imapLogin: CheckResult; imapFolder: CheckResult; smtp: CheckResult; ok: boolean }> {
    const mailbox = await this.get(tenantId, id);
    const skipped: CheckResult = { ok: true, error: '', skipped: true };
    const result = (error: string | null): CheckResult => ({
      ok: error === null,
      error: error ?? '',
      skipped: false,
    });
    let imapLogin = skipped;
    let imapFolder = skipped;
    if (mailbox.imap && mailbox.imapSecret) {
      const imap = await this.deps.checker.imapLogin(
        {
          host: mailbox.imap.host,
          port: mailbox.imap.port,
          tls: mailbox.imap.tls,
          user: mailbox.imap.user,
          secret: this.deps.secrets.open(mailbox.imapSecret),
          oauth2: mailbox.imap.auth === 'oauth2',
        },
        mailbox.imap.folder,
      );
      imapLogin = result(imap.login);
      imapFolder =
        imap.login === null
          ? result(imap.folder)
          : { ok: false, error: 'not checked: the login failed', skipped: true };
    }
    const smtp = result(
      await this.deps.checker.smtp({
        ...mailbox.smtp,
        secret: mailbox.smtpSecret ? this.deps.secrets.open(mailbox.smtpSecret) : null,
      }),
    );
    return { imapLogin, imapFolder, smtp, ok: imapLogin.ok && imapFolder.ok && smtp.ok };
  }

  /** SMTP settings with the secret in clear, for the notification service (never logged, never on the bus). */
  async outboundSettings(
    tenantId: string,
    mailboxId: string | null,
  ): Promise<{ mailbox: Mailbox; password: string }> {
    const mailbox = mailboxId
      ? await this.deps.mailboxes
          .find(tenantId, mailboxId)
          .then((m) => m ?? this.deps.mailboxes.defaultOf(tenantId))
      : await this.deps.mailboxes.defaultOf(tenantId);
    if (!mailbox) throw notFound('mailbox');
    return { mailbox, password: mailbox.smtpSecret ? this.deps.secrets.open(mailbox.smtpSecret) : '' };
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
