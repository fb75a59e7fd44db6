import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { TlsMode } from '../domain/mailbox';

export interface ImapTarget {
  host: string;
  port: number;
  tls: TlsMode;
  user: string;
  secret: string;
  oauth2: boolean;
}

/** An ImapFlow client for a mailbox: TLS from the start, required STARTTLS, or plaintext (test servers). */
export function imapClient(target: ImapTarget, extra: Partial<ImapFlowOptions> = {}): ImapFlow {
  return new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.tls === 'tls',
    doSTARTTLS: target.tls === 'starttls' ? true : target.tls === 'none' ? false : undefined,
    auth: target.oauth2
      ? { user: target.user, accessToken: target.secret }
      : { user: target.user, pass: target.secret },
    // imapflow's own logger would write protocol lines (addresses, subjects) to stdout
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    ...extra,
  });
}

/** A failure as something safe to show: a code and imapflow's own short text, never server output with data. */
export function describeImapError(err: unknown): string {
  const e = err as { authenticationFailed?: boolean; code?: string; responseText?: string; message?: string };
  if (e?.authenticationFailed) return 'authentication failed';
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'ENOTFOUND') return 'host not found';
  if (e?.code === 'ETIMEDOUT' || e?.code === 'CONNECT_TIMEOUT' || e?.code === 'GreetingTimeout')
    return 'connection timed out';
  if (e?.code === 'NoConnection') return 'connection closed';
  if (e?.responseText) return e.responseText.slice(0, 200);
  return (e?.code ?? e?.message ?? 'failed').toString().slice(0, 200);
}
