export const TLS_MODES = ['none', 'starttls', 'tls'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface ImapConfig {
  host: string;
  port: number;
  tls: TlsMode;
  user: string;
  auth: 'password' | 'oauth2';
  folder: string;
  processedFolder: string | null;
}

export interface SmtpConfig {
  host: string;
  port: number;
  tls: TlsMode;
  user: string | null;
}

/** A mailbox as the use cases see it; secrets stay encrypted in `imapSecret` / `smtpSecret`. */
export interface Mailbox {
  id: string;
  tenantId: string;
  name: string;
  address: string;
  imap: ImapConfig | null;
  imapSecret: Buffer | null;
  smtp: SmtpConfig;
  smtpSecret: Buffer | null;
  pollIntervalSeconds: number;
  intakeTokenHash: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  version: number;
  uidValidity: number;
  lastUid: number;
  lastSyncAt: Date | null;
  lastSyncError: string | null;
  /** The OAuth2 sign-in when there is one (tokens sealed). */
  oauth: MailboxOAuth | null;
}

export const OAUTH_PROVIDERS = ['microsoft', 'google', 'generic'] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];
export type OAuthStatus = 'connected' | 'needs_reauthorization';

/** A mailbox's OAuth2 sign-in; the tokens and the generic client's secret are sealed. */
export interface MailboxOAuth {
  mailboxId: string;
  tenantId: string;
  provider: OAuthProviderName;
  /** The generic provider's issuer and client; null for Microsoft and Google (operator configuration). */
  issuer: string | null;
  clientId: string | null;
  clientSecret: Buffer | null;
  scopes: string;
  status: OAuthStatus;
  statusReason: string | null;
  accessToken: Buffer;
  accessExpiresAt: Date;
  refreshToken: Buffer | null;
  connectedAt: Date;
  refreshedAt: Date | null;
  updatedAt: Date;
}

/** An authorization-code flow waiting for its redirect; found by the hash of its state, used once. */
export interface OAuthFlow {
  stateHash: string;
  tenantId: string;
  mailboxId: string;
  provider: OAuthProviderName;
  issuer: string | null;
  clientId: string | null;
  clientSecret: Buffer | null;
  scopes: string;
  codeVerifier: Buffer;
  redirectUri: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Whether an access token still has more than `marginMs` to live at `now`. */
export function accessTokenFresh(expiresAt: Date, now: Date, marginMs: number): boolean {
  return expiresAt.getTime() - now.getTime() > marginMs;
}

/** The provider refused the refresh token (revoked consent, expired or rotated grant): only a new sign-in helps. */
export class OAuthGrantRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OAuthGrantRefused';
  }
}
