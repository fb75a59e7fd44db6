// Hostile mail through the intake of a running platform (issue 18): each generated input (libs/testing
// hostile-mail.ts) becomes one ticket with its raw source kept byte for byte, or is quarantined with a reason an
// admin reads; none is lost or taken twice, the gateway never answers 500, and mail-ingest stays ready.
import { randomUUID } from 'node:crypto';
import {
  hostileMails,
  startDovecot,
  startSmtpSink,
  waitFor,
  type HostileMail,
  type SmtpSink,
  type TestImapServer,
} from '@helpdesk/testing';
import {
  allTickets,
  createMailbox,
  imapAccount,
  messagesOf,
  processed,
  pushMail,
  rawMail,
} from './support/mail';
import { startTestPlatform, type TenantSession, type TestPlatform } from './support/platform';

const tag = randomUUID().slice(0, 8);
const cases = hostileMails({ tag, big: true });
// through IMAP as well (Dovecot takes 8-bit, not NUL, in an APPEND)
const IMAP_CASES = ['zip-bomb', 'charset-unknown'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
type Json = any;

describe('hostile mail through the intake', () => {
  let platform: TestPlatform;
  let smtp: SmtpSink;
  let imap: TestImapServer;
  let admin: TenantSession;
  let mailbox: { id: string; intakeToken: string };
  const taken = new Map<string, Json>();

  beforeAll(async () => {
    [smtp, imap] = await Promise.all([startSmtpSink(), startDovecot()]);
    platform = await startTestPlatform({
      label: 'hostile',
      // a mail that keeps failing reaches the quarantine in seconds, not minutes
      env: { 'mail-ingest': { MAIL_MAX_ATTEMPTS: '2', MAIL_RETRY_BASE_MS: '100' } },
    });
    admin = await platform.createTenantAndLogin('Hostile MSP');
    mailbox = await createMailbox(platform, admin.token, { smtp, address: 'support@msp.test' });
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([smtp?.stop(), imap?.stop()]);
  });

  async function rawOf(messageId: string): Promise<Buffer> {
    const res = await fetch(`${platform.base}/api/v1/messages/${messageId}/raw`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Ticketed with its raw source byte for byte, or quarantined with a reason listed for the admin. */
  async function expectKept(c: HostileMail, mail: Json): Promise<void> {
    expect({ name: c.name, size: mail.size }).toEqual({ name: c.name, size: c.raw.length });
    if (mail.status === 'quarantined') {
      expect({ name: c.name, reason: mail.lastError }).toEqual({ name: c.name, reason: expect.any(String) });
      return;
    }
    expect({ name: c.name, status: mail.status, outcome: mail.outcome }).toEqual({
      name: c.name,
      status: 'done',
      outcome: 'created',
    });
    expect({ name: c.name, same: (await rawOf(mail.ticketMessageId)).equals(c.raw) }).toEqual({
      name: c.name,
      same: true,
    });
  }

  it.each(cases.map((c) => [c.name, c] as const))('keeps %s', async (_name, c) => {
    const res = await pushMail(platform, mailbox, c.raw);
    expect({ name: c.name, status: res.status, text: res.status === 202 ? '' : res.text }).toEqual({
      name: c.name,
      status: 202,
      text: '',
    });
    expect(res.body.duplicate).toBe(false);
    const mail =
      res.body.mail.status === 'done'
        ? res.body.mail
        : await processed(platform, admin.token, res.body.mail.id);
    taken.set(c.name, mail);
    await expectKept(c, mail);
  });

  it('refuses a body over the limit with 413 and the error shape, and takes nothing', async () => {
    const before = (await allTickets(platform, admin.token)).length;
    const res = await pushMail(
      platform,
      mailbox,
      Buffer.concat([rawMail({ subject: 'too large' }), Buffer.alloc(25 * 1024 * 1024, 'a')]),
    );
    expect(res.status).toBe(413);
    // the house error shape; `details` only when a field is to blame (DESIGN.md)
    expect(res.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
    expect((await allTickets(platform, admin.token)).length).toBe(before);
  });

  it('shows what the reader of each hard case sees', async () => {
    const threadOf = async (name: string) => {
      const mail = taken.get(name);
      return { mail, thread: (await messagesOf(platform, admin.token, mail.ticketId)) as Json[] };
    };
    // past the limits: the headers make the ticket, a note says why the body is not in the thread
    for (const name of ['depth-over-limit', 'depth-100000', 'parts-10000']) {
      const { mail, thread } = await threadOf(name);
      expect(mail.notes.join(' ')).toMatch(/was not parsed/);
      expect(thread.find((m) => m.id === mail.ticketMessageId).email.subject).toBe(`hostile ${name}`);
    }
    // just under them: parsed
    expect(taken.get('depth-under-limit').notes).toEqual([]);
    // the zip is an attachment of its own size, never unpacked
    const zip = await threadOf('zip-bomb');
    const attachment = zip.thread
      .find((m) => m.id === zip.mail.ticketMessageId)
      .attachments.find((a: Json) => a.filename === 'report.zip');
    expect(attachment).toMatchObject({ contentType: 'application/zip' });
    expect(attachment.size).toBeLessThan(100_000);
    // NUL bytes are left out of what is stored as text (PostgreSQL takes none); the raw source has them
    const nul = await threadOf('nul-bytes');
    const nulMessage = nul.thread.find((m) => m.id === nul.mail.ticketMessageId);
    expect(nulMessage.email.subject).toBe('NUL  in thesubject');
    expect(nulMessage.attachments.map((a: Json) => a.filename)).toEqual(['nul.bin']);
    // a header block the parser refuses: the sender is read from the top headers all the same
    for (const name of ['header-one-line', 'header-many']) {
      const { mail, thread } = await threadOf(name);
      expect(mail.from).toBe('hostile@attacker.example');
      expect(thread.find((m) => m.id === mail.ticketMessageId).email.from).toBe('hostile@attacker.example');
    }
    // no sender, or one no one can have: the requester is unknown and a note says so
    for (const name of ['from-missing', 'from-garbage']) {
      const { mail } = await threadOf(name);
      expect(mail.notes.join(' ')).toMatch(/sender/i);
    }
  });

  it('takes each input once: one record, one ticket each', async () => {
    expect([...taken.keys()].sort()).toEqual(cases.map((c) => c.name).sort());
    const mails = [...taken.values()];
    expect(new Set(mails.map((m) => m.id)).size).toBe(cases.length);
    const ticketed = mails.filter((m) => m.status === 'done');
    expect(new Set(ticketed.map((m) => m.ticketId)).size).toBe(ticketed.length);
    expect((await allTickets(platform, admin.token)).length).toBe(ticketed.length);
    const quarantine = await platform.api('GET', '/api/v1/mail/quarantine?limit=100', { token: admin.token });
    expect(quarantine.body.items.map((m: Json) => m.id).sort()).toEqual(
      mails
        .filter((m) => m.status === 'quarantined')
        .map((m) => m.id)
        .sort(),
    );
    // pushed again, each is a duplicate of itself: nothing new
    for (const c of cases.filter((c) => c.raw.length < 1024 * 1024)) {
      const again = await pushMail(platform, mailbox, c.raw);
      expect({
        name: c.name,
        status: again.status,
        duplicate: again.body.duplicate,
        id: again.body.mail.id,
      }).toEqual({
        name: c.name,
        status: 202,
        duplicate: true,
        id: taken.get(c.name).id,
      });
    }
    expect((await allTickets(platform, admin.token)).length).toBe(ticketed.length);
  });

  it('takes some of them through IMAP too', async () => {
    const account = await imapAccount(imap, 'hostile@msp.test', 'hostile-secret');
    try {
      const inbox = await createMailbox(platform, admin.token, {
        smtp,
        address: 'hostile@msp.test',
        imap: { server: imap, user: account.user, password: account.password },
      });
      const before = (await allTickets(platform, admin.token)).length;
      const imapTag = randomUUID().slice(0, 8);
      const chosen = hostileMails({ tag: imapTag }).filter((c) => IMAP_CASES.includes(c.name));
      for (const c of chosen) await account.append(c.raw);
      const tickets = await waitFor('the IMAP mails ticketed', async () => {
        const all = await allTickets(platform, admin.token);
        return all.length >= before + chosen.length && all;
      });
      expect(tickets.length).toBe(before + chosen.length);
      const pushed = new Set([...taken.values()].map((m) => m.ticketId));
      for (const c of chosen) {
        const ticket = tickets.find((t: Json) => t.title === `hostile ${c.name}` && !pushed.has(t.id));
        const message = (await messagesOf(platform, admin.token, ticket.id)).find(
          (m) => m.kind === 'email_in',
        );
        expect({ name: c.name, same: (await rawOf(message.id)).equals(c.raw) }).toEqual({
          name: c.name,
          same: true,
        });
      }
      expect(inbox.id).toBeTruthy();
    } finally {
      await account.close();
    }
  });

  it('is still ready afterwards and tickets a normal mail', async () => {
    expect((await fetch(`http://127.0.0.1:${platform.ports['mail-ingest']!.health}/readyz`)).status).toBe(
      200,
    );
    expect(platform.procs['mail-ingest']!.child.exitCode).toBeNull();
    const res = await pushMail(platform, mailbox, rawMail({ subject: 'after the storm' }));
    expect(res.status).toBe(202);
    expect(res.body.mail).toMatchObject({ status: 'done', outcome: 'created' });
  });
});
