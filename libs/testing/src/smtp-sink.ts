import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One mail the sink took. */
export interface CaughtMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header's first value as text (lower-case name). */
  header(name: string): string | undefined;
}

/** A real SMTP listener (smtp-server) on 127.0.0.1 that records every mail the platform sends. */
export interface SmtpSink {
  host: string;
  port: number;
  mails: CaughtMail[];
  /** Logins it accepted (user names), to check SMTP auth was used. */
  logins: string[];
  /** Resolves with the mails matching `pick` once there are at least `count`, or rejects after `timeoutMs`. */
  waitFor(pick: (mail: CaughtMail) => boolean, count?: number, timeoutMs?: number): Promise<CaughtMail[]>;
  /** Called for every mail taken (e.g. an auto-responder that answers it). */
  onMail(listener: (mail: CaughtMail) => void | Promise<void>): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(
  options: {
    users?: Record<string, string>;
    /** XOAUTH2 only, every mail authenticated: the token checked by this (e.g. at an introspection endpoint). */
    xoauth2?: (user: string, accessToken: string) => Promise<boolean>;
  } = {},
): Promise<SmtpSink> {
  const mails: CaughtMail[] = [];
  const logins: string[] = [];
  const listeners: Array<(mail: CaughtMail) => void | Promise<void>> = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.xoauth2,
    ...(options.xoauth2 ? { authMethods: ['XOAUTH2'] } : {}),
    allowInsecureAuth: true,
    logger: false,
    size: 40 * 1024 * 1024,
    // stop() waits this long for open sessions before it closes them (421): a sender's pooled idle connection
    // (the notification service keeps one) would hold it for smtp-server's default of 30 s
    closeTimeout: 1_000,
    onAuth(auth, _session, callback) {
      const check = options.xoauth2;
      if (check) {
        if (auth.method !== 'XOAUTH2' || !auth.username || !auth.accessToken)
          return callback(new Error('XOAUTH2 required'));
        const user = auth.username;
        void check(user, auth.accessToken).then(
          (ok) => {
            if (!ok) return callback(null, { data: { status: '401', schemes: 'bearer' } });
            logins.push(user);
            callback(null, { user });
          },
          (err: Error) => callback(err),
        );
        return;
      }
      const users = options.users ?? {};
      if (auth.username && users[auth.username] !== undefined && users[auth.username] === auth.password) {
        logins.push(auth.username);
        return callback(null, { user: auth.username });
      }
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const mail: CaughtMail = {
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              header: (name) => {
                const value = parsed.headers.get(name.toLowerCase());
                if (value === undefined) return undefined;
                return typeof value === 'string' ? value : JSON.stringify(value);
              },
            };
            mails.push(mail);
            for (const listener of listeners) void Promise.resolve(listener(mail)).catch(() => undefined);
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as { port: number };
  return {
    host: '127.0.0.1',
    port: address.port,
    mails,
    logins,
    async waitFor(pick, count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.filter(pick);
        if (found.length >= count) return found;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${count} mail(s); caught ${mails.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    onMail: (listener) => listeners.push(listener),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
