import { DomainError, failedPrecondition, invalidArgument, notFound, type Logger } from '@helpdesk/platform';
import { sha256Hex } from '../domain/inbound-mail';
import {
  accessTokenFresh,
  OAuthGrantRefused,
  type Mailbox,
  type MailboxOAuth,
  type OAuthProviderName,
} from '../domain/mailbox';
import type {
  Clock,
  MailboxOAuthRepository,
  MailboxRepository,
  OAuthClient,
  OAuthProviderPort,
  OAuthRowUpdate,
  OutboxNotifier,
  ReauthorizationNotice,
  SecretBox,
} from './ports';

/** The mailbox's grant was refused at a refresh; it reads no mail until an admin signs it in again. */
export class ReauthorizationNeeded extends DomainError {
  constructor(readonly reason: string) {
    super('FAILED_PRECONDITION', `the mailbox needs a new OAuth2 sign-in: ${reason}`, { reason });
    this.name = 'ReauthorizationNeeded';
  }
}

export interface StartOAuthCommand {
  tenantId: string;
  mailboxId: string;
  provider: OAuthProviderName;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  loginHint: string;
}

export interface MailboxOAuthDeps {
  mailboxes: MailboxRepository;
  oauth: MailboxOAuthRepository;
  provider: OAuthProviderPort;
  secrets: SecretBox;
  clock: Clock;
  logger: Logger;
  redirectUri: string;
  flowMs: number;
  refreshMarginMs: number;
  /** Nudged after a commit that wrote an event (a mailbox that needs a new sign-in). */
  outbox?: OutboxNotifier;
}

/** A token to log in with and until when it holds. */
export interface CurrentToken {
  token: string;
  expiresAt: Date | null;
}

/**
 * OAuth2 sign-in of mailboxes (issue 20): the authorization-code flow with PKCE, and the current access token,
 * refreshed before it expires (or once after a refused login) by one replica at a time.
 */
export class MailboxOAuthUseCases {
  constructor(private readonly deps: MailboxOAuthDeps) {}

  async start(command: StartOAuthCommand): Promise<{ authorizationUrl: string; expiresAt: Date }> {
    const mailbox = await this.deps.mailboxes.find(command.tenantId, command.mailboxId);
    if (!mailbox) throw notFound('mailbox');
    if (!mailbox.imap) throw failedPrecondition('the mailbox has no IMAP settings to sign in to');
    const generic = command.provider === 'generic';
    if (generic && (!command.issuer || !command.clientId))
      throw invalidArgument('the generic provider needs issuer and clientId', [
        { path: [command.issuer ? 'clientId' : 'issuer'], message: 'required' },
      ]);
    const client: OAuthClient = {
      provider: command.provider,
      issuer: generic ? command.issuer : null,
      clientId: generic ? command.clientId : null,
      clientSecret: generic && command.clientSecret ? command.clientSecret : null,
      scopes: generic ? command.scopes : '',
    };
    const state = this.deps.provider.newState();
    const codeVerifier = this.deps.provider.newCodeVerifier();
    const authorizationUrl = await this.deps.provider.authorizationUrl(client, {
      state,
      codeVerifier,
      redirectUri: this.deps.redirectUri,
      loginHint: command.loginHint || mailbox.imap.user,
    });
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.flowMs);
    await this.deps.oauth.saveFlow({
      stateHash: sha256Hex(state),
      tenantId: mailbox.tenantId,
      mailboxId: mailbox.id,
      provider: client.provider,
      issuer: client.issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret ? this.deps.secrets.seal(client.clientSecret) : null,
      scopes: client.scopes,
      codeVerifier: this.deps.secrets.seal(codeVerifier),
      redirectUri: this.deps.redirectUri,
      createdAt: now,
      expiresAt,
    });
    this.deps.logger.info(
      { tenantId: mailbox.tenantId, mailboxId: mailbox.id, provider: client.provider },
      'mailbox oauth sign-in started',
    );
    return { authorizationUrl, expiresAt };
  }

  /** The provider's redirect: the state finds the flow (once), the code becomes the tokens. */
  async complete(query: string): Promise<{ mailbox: Mailbox; provider: OAuthProviderName }> {
    const params = new URLSearchParams(query);
    const state = params.get('state');
    if (!state) throw invalidArgument('the redirect carries no state');
    const now = this.deps.clock.now();
    const flow = await this.deps.oauth.takeFlow(sha256Hex(state), now);
    if (!flow) throw failedPrecondition('this sign-in is unknown or has expired: start it again');
    const mailbox = await this.deps.mailboxes.find(flow.tenantId, flow.mailboxId);
    if (!mailbox) throw notFound('mailbox');
    const log = { tenantId: flow.tenantId, mailboxId: flow.mailboxId, provider: flow.provider };
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description') ?? '';
      this.deps.logger.warn({ ...log, error }, 'mailbox oauth sign-in refused by the provider');
      throw failedPrecondition(
        `the provider refused the sign-in: ${error}${description ? `: ${description.slice(0, 300)}` : ''}`,
      );
    }
    const client: OAuthClient = {
      provider: flow.provider,
      issuer: flow.issuer,
      clientId: flow.clientId,
      clientSecret: flow.clientSecret ? this.deps.secrets.open(flow.clientSecret) : null,
      scopes: flow.scopes,
    };
    const tokens = await this.deps.provider.exchangeCode(client, {
      callbackQuery: query,
      state,
      codeVerifier: this.deps.secrets.open(flow.codeVerifier),
      redirectUri: flow.redirectUri,
    });
    const at = this.deps.clock.now();
    await this.deps.oauth.connect({
      mailboxId: mailbox.id,
      tenantId: mailbox.tenantId,
      provider: flow.provider,
      issuer: flow.issuer,
      clientId: flow.clientId,
      clientSecret: flow.clientSecret,
      scopes: flow.scopes,
      status: 'connected',
      statusReason: null,
      accessToken: this.deps.secrets.seal(tokens.accessToken),
      accessExpiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken ? this.deps.secrets.seal(tokens.refreshToken) : null,
      connectedAt: at,
      refreshedAt: null,
      updatedAt: at,
    });
    this.deps.logger.info(
      { ...log, refreshToken: tokens.refreshToken !== null },
      'mailbox oauth sign-in completed',
    );
    const connected = await this.deps.mailboxes.find(mailbox.tenantId, mailbox.id);
    return { mailbox: connected ?? mailbox, provider: flow.provider };
  }

  /**
   * The token to log in to IMAP or SMTP with: the stored password or static token for a mailbox never signed in
   * with OAuth2, else the current access token, refreshed first when it is due. `staleToken` is a token the server
   * just refused: it is refreshed unless another replica already has.
   */
  async currentToken(mailbox: Mailbox, staleToken?: string): Promise<CurrentToken> {
    const row = await this.deps.oauth.find(mailbox.tenantId, mailbox.id);
    if (!row) {
      if (!mailbox.imapSecret)
        throw failedPrecondition('the mailbox is not signed in: start its OAuth2 sign-in');
      return { token: this.deps.secrets.open(mailbox.imapSecret), expiresAt: null };
    }
    if (row.status === 'needs_reauthorization')
      throw new ReauthorizationNeeded(row.statusReason ?? 'refused');
    if (staleToken === undefined && this.fresh(row)) return this.tokenOf(row);
    let noticed = false;
    const value = await this.deps.oauth.withLock(mailbox.tenantId, mailbox.id, async (locked) => {
      if (!locked) throw failedPrecondition('the mailbox is not signed in: start its OAuth2 sign-in');
      if (locked.status === 'needs_reauthorization')
        return { value: new ReauthorizationNeeded(locked.statusReason ?? 'refused') };
      const current = this.tokenOf(locked);
      // another replica (or an earlier call) refreshed it while this one waited for the lock
      if (staleToken === undefined ? this.fresh(locked) : current.token !== staleToken)
        return { value: current };
      const refreshed = await this.refreshLocked(mailbox, locked);
      noticed = refreshed.notice !== undefined;
      return refreshed;
    });
    // the status change and its event have committed: the relay publishes it now, not at its next poll
    if (noticed) this.deps.outbox?.nudge();
    if (value instanceof ReauthorizationNeeded) throw value;
    return value;
  }

  private async refreshLocked(
    mailbox: Mailbox,
    row: MailboxOAuth,
  ): Promise<{
    update?: OAuthRowUpdate;
    notice?: ReauthorizationNotice;
    value: CurrentToken | ReauthorizationNeeded;
  }> {
    const log = { tenantId: row.tenantId, mailboxId: row.mailboxId, provider: row.provider };
    const refuse = (reason: string) => {
      this.deps.logger.warn({ ...log, reason }, 'mailbox oauth refresh refused; it needs a new sign-in');
      const statusReason = reason.slice(0, 1000);
      return {
        update: { status: 'needs_reauthorization' as const, statusReason },
        // the tenant's admins learn it through the notification service (ADR 42)
        notice: {
          mailboxName: mailbox.name,
          mailboxAddress: mailbox.address,
          provider: row.provider,
          reason: statusReason,
        },
        value: new ReauthorizationNeeded(reason),
      };
    };
    if (!row.refreshToken)
      return refuse('the provider issued no refresh token (offline access was not granted)');
    try {
      const tokens = await this.deps.provider.refresh(
        {
          provider: row.provider,
          issuer: row.issuer,
          clientId: row.clientId,
          clientSecret: row.clientSecret ? this.deps.secrets.open(row.clientSecret) : null,
          scopes: row.scopes,
        },
        this.deps.secrets.open(row.refreshToken),
      );
      this.deps.logger.info({ ...log, expiresAt: tokens.expiresAt }, 'mailbox oauth token refreshed');
      return {
        update: {
          accessToken: this.deps.secrets.seal(tokens.accessToken),
          accessExpiresAt: tokens.expiresAt,
          ...(tokens.refreshToken ? { refreshToken: this.deps.secrets.seal(tokens.refreshToken) } : {}),
          refreshedAt: this.deps.clock.now(),
        },
        value: { token: tokens.accessToken, expiresAt: tokens.expiresAt },
      };
    } catch (err) {
      if (err instanceof OAuthGrantRefused) return refuse(err.reason);
      throw err;
    }
  }

  private fresh(row: MailboxOAuth): boolean {
    return accessTokenFresh(row.accessExpiresAt, this.deps.clock.now(), this.deps.refreshMarginMs);
  }

  private tokenOf(row: MailboxOAuth): CurrentToken {
    return { token: this.deps.secrets.open(row.accessToken), expiresAt: row.accessExpiresAt };
  }
}
