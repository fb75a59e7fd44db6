// Mail helpers of the system tests: raw messages, IMAP appends to the test Dovecot, push intake, mailboxes.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { waitFor, type SmtpSink, type TestImapServer } from '@helpdesk/testing';
import type { TestPlatform } from './platform';

export interface RawMailFields {
  from?: string;
  fromName?: string;
  to?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  headers?: string[];
  body?: string;
}

/** A plain-text RFC 822 message. */
export function rawMail(fields: RawMailFields = {}): Buffer {
  const lines = [
    `From: ${fields.fromName ?? 'Dana Client'} <${fields.from ?? 'dana@client.example'}>`,
    `To: ${fields.to ?? 'support@msp.test'}`,
    `Subject: ${fields.subject ?? 'Printer offline'}`,
    `Date: ${new Date().toUTCString()}`,
    ...(fields.messageId === null
      ? []
      : [`Message-ID: <${fields.messageId ?? `${randomUUID()}@client.example`}>`]),
    ...(fields.inReplyTo ? [`In-Reply-To: <${fields.inReplyTo}>`] : []),
    ...(fields.references?.length ? [`References: ${fields.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...(fields.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    fields.body ?? 'The printer on floor 2 is offline since this morning.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

/** An IMAP account on the test Dovecot that tests append to (as an MTA delivering would). */
export async function imapAccount(server: TestImapServer, user: string, password: string) {
  server.addUser(user, password);
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user, pass: password },
    logger: false,
  });
  await client.connect();
  return {
    user,
    password,
    client,
    append: (raw: Buffer, folder = 'INBOX') => client.append(folder, raw),
    close: () => client.logout().catch(() => client.close()),
  };
}

/** Creates a mailbox through the API (admin) reading `user` on Dovecot and sending through the sink. */
export async function createMailbox(
  platform: TestPlatform,
  token: string,
  options: {
    imap?: { server: TestImapServer; user: string; password: string; folder?: string };
    smtp: SmtpSink;
    address?: string;
    name?: string;
  },
): Promise<{ id: string; intakeToken: string; address: string }> {
  const address = options.address ?? 'support@msp.test';
  const res = await platform.api('POST', '/api/v1/mailboxes', {
    token,
    body: {
      name: options.name ?? 'Support',
      address,
      ...(options.imap
        ? {
            imap: {
              host: options.imap.server.host,
              port: options.imap.server.port,
              tls: 'none',
              user: options.imap.user,
              password: options.imap.password,
              ...(options.imap.folder ? { folder: options.imap.folder } : {}),
            },
          }
        : {}),
      smtp: { host: options.smtp.host, port: options.smtp.port, tls: 'none' },
      pollIntervalSeconds: 5,
    },
  });
  if (res.status !== 201) throw new Error(`creating a mailbox answered ${res.status}: ${res.text}`);
  return { id: res.body.id, intakeToken: res.body.intakeToken, address };
}

/** POST /inbound/mail/:mailboxId with the raw message. */
export function pushMail(platform: TestPlatform, mailbox: { id: string; intakeToken: string }, raw: Buffer) {
  return platform.api('POST', `/api/v1/inbound/mail/${mailbox.id}`, {
    raw,
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${mailbox.intakeToken}` },
  });
}

/** Every ticket of the tenant (all pages). */
export async function allTickets(platform: TestPlatform, token: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await platform.api(
      'GET',
      `/api/v1/tickets?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    if (res.status !== 200) throw new Error(`listing tickets answered ${res.status}: ${res.text}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

export async function messagesOf(platform: TestPlatform, token: string, ticketId: string) {
  const res = await platform.api('GET', `/api/v1/tickets/${ticketId}/messages?limit=200`, { token });
  if (res.status !== 200) throw new Error(`listing messages answered ${res.status}: ${res.text}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
  return res.body.items as any[];
}

/** Waits for the inbound mail record to be done (or quarantined) and answers it. */
export function processed(platform: TestPlatform, token: string, inboundId: string, timeoutMs = 30_000) {
  return waitFor(
    `inbound mail ${inboundId} processed`,
    async () => {
      const res = await platform.api('GET', `/api/v1/mail/inbound/${inboundId}`, { token });
      return res.status === 200 && ['done', 'quarantined'].includes(res.body.status) ? res.body : undefined;
    },
    timeoutMs,
  );
}
