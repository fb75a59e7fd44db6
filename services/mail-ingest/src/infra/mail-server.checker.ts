import nodemailer from 'nodemailer';
import type { MailServerChecker, ServerCheckTarget } from '../app/ports';
import { describeImapError, imapClient } from './imap-connection';

/** `POST /mailboxes/:id/test`: a real IMAP login and folder open, a real SMTP connection and login. */
export class MailServerCheckerLive implements MailServerChecker {
  async imapLogin(
    target: ServerCheckTarget & { oauth2: boolean },
    folder: string,
  ): Promise<{ login: string | null; folder: string | null }> {
    const client = imapClient(
      { ...target, user: target.user ?? '', secret: target.secret ?? '' },
      { disableAutoIdle: true },
    );
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      return { login: describeImapError(err), folder: null };
    }
    try {
      await client.mailboxOpen(folder, { readOnly: true });
      return { login: null, folder: null };
    } catch (err) {
      return { login: null, folder: `folder "${folder}" cannot be opened: ${describeImapError(err)}` };
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async smtp(target: ServerCheckTarget & { oauth2: boolean }): Promise<string | null> {
    const transport = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      secure: target.tls === 'tls',
      requireTLS: target.tls === 'starttls',
      ignoreTLS: target.tls === 'none',
      auth: !target.user
        ? undefined
        : target.oauth2
          ? { type: 'OAuth2', user: target.user, accessToken: target.secret ?? '' }
          : { user: target.user, pass: target.secret ?? '' },
      connectionTimeout: 15_000,
      greetingTimeout: 10_000,
      logger: false,
    });
    try {
      await transport.verify();
      return null;
    } catch (err) {
      const e = err as { code?: string; responseCode?: number; command?: string };
      if (e.code === 'EAUTH') return 'authentication failed';
      if (e.code === 'ECONNECTION' || e.code === 'ESOCKET') return 'connection failed';
      if (e.code === 'ETIMEDOUT') return 'connection timed out';
      return `failed${e.code ? ` (${e.code})` : ''}${e.responseCode ? ` with ${e.responseCode}` : ''}`;
    } finally {
      transport.close();
    }
  }
}
