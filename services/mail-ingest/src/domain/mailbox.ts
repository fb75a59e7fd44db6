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
}
