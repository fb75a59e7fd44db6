// Crash safety of mail intake: mail-ingest killed (SIGKILL) in the middle of a 500-mail IMAP backlog; after the
// restart every mail is exactly one ticket, none lost, none doubled. Dedupe is per mailbox, and a UIDVALIDITY
// change makes the folder be read again without doubling anything.
import { ImapFlow } from 'imapflow';
import { Client } from 'pg';
import { startDovecot, startSmtpSink, waitFor, type SmtpSink, type TestImapServer } from '@helpdesk/testing';
import { allTickets, createMailbox, imapAccount, pushMail, rawMail } from './support/mail';
import { startTestPlatform, type TenantSession, type TestPlatform } from './support/platform';

const BATCH = 500;

describe('mail intake survives kill -9 and re-reads without doubling', () => {
  let platform: TestPlatform;
  let imap: TestImapServer;
  let smtp: SmtpSink;
  let admin: TenantSession;
  let db: Client;

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
    // the folder is read again every 2 s besides IDLE, so that the re-created folder is seen quickly
    platform = await startTestPlatform({
      label: 'crash',
      env: { 'mail-ingest': { IMAP_RESYNC_SECONDS: '2' } },
    });
    admin = await platform.createTenantAndLogin('Crash MSP');
    db = new Client({ connectionString: platform.db('mail-ingest').url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    await Promise.all([imap?.stop(), smtp?.stop()]);
  });

  const doneCount = async (mailboxId: string) =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_mails WHERE mailbox_id = $1 AND status = 'done'`,
        [mailboxId],
      )
    ).rows[0]!.n;

  it(`turns a backlog of ${BATCH} mails into exactly ${BATCH} tickets across a SIGKILL`, async () => {
    const account = await imapAccount(imap, 'crash@msp.test', 'crash-secret');
    for (let i = 0; i < BATCH; i++) {
      await account.append(
        rawMail({
          from: 'batch@client.example',
          subject: `crash ${i}`,
          messageId: `crash-${i}@client.example`,
          to: 'crash@msp.test',
        }),
      );
    }
    const mailbox = await createMailbox(platform, admin.token, {
      imap: { server: imap, user: 'crash@msp.test', password: 'crash-secret' },
      smtp,
      address: 'crash@msp.test',
    });

    // in the middle of the batch: some mails done, most not
    await waitFor('part of the batch', async () => (await doneCount(mailbox.id)) >= 60, 120_000);
    await platform.procs['mail-ingest']!.kill9();
    const atKill = await doneCount(mailbox.id);
    expect(atKill).toBeLessThan(BATCH);

    await platform.startService('mail-ingest');
    await waitFor('the whole batch', async () => (await doneCount(mailbox.id)) === BATCH, 240_000);

    const tickets = (await allTickets(platform, admin.token)).filter((t) => /^crash \d+$/.test(t.title));
    const titles = tickets.map((t) => t.title);
    expect(new Set(titles).size).toBe(BATCH);
    expect(titles).toHaveLength(BATCH);
    const rows = await db.query<{ n: number; tickets: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT ticket_id)::int AS tickets FROM inbound_mails WHERE mailbox_id = $1`,
      [mailbox.id],
    );
    expect(rows.rows[0]).toEqual({ n: BATCH, tickets: BATCH });

    // and every message ends up marked processed in the folder
    await waitFor(
      'every message flagged',
      async () => {
        await account.client.mailboxOpen('INBOX');
        const open = await account.client.search({ unKeyword: '$HelpdeskProcessed' }, { uid: true });
        return open && open.length === 0;
      },
      60_000,
    );
    await account.close();
  }, 540_000);

  it('takes the same mail once per tenant: sent to two mailboxes it is one ticket, the copy recorded by the second', async () => {
    const one = await createMailbox(platform, admin.token, { smtp, address: 'one@msp.test', name: 'One' });
    const two = await createMailbox(platform, admin.token, { smtp, address: 'two@msp.test', name: 'Two' });
    const raw = rawMail({
      from: 'both@client.example',
      subject: 'to both mailboxes',
      messageId: 'both@client.example',
    });
    const a = await pushMail(platform, one, raw);
    const b = await pushMail(platform, two, raw);
    const again = await pushMail(platform, one, raw);
    expect([a.body.duplicate, b.body.duplicate, again.body.duplicate]).toEqual([false, true, true]);
    expect(b.body.mail).toMatchObject({
      mailboxId: two.id,
      outcome: 'duplicate',
      ticketId: a.body.mail.ticketId,
    });
    expect(
      (await allTickets(platform, admin.token)).filter((t) => t.title === 'to both mailboxes'),
    ).toHaveLength(1);
    // without a Message-ID the content decides, across mailboxes too
    const bare = rawMail({ from: 'both@client.example', subject: 'no id', messageId: null });
    expect((await pushMail(platform, one, bare)).body.duplicate).toBe(false);
    expect((await pushMail(platform, one, bare)).body.duplicate).toBe(true);
    expect((await pushMail(platform, two, bare)).body.duplicate).toBe(true);
  });

  it('reads the folder again after a UIDVALIDITY change without doubling', async () => {
    const account = await imapAccount(imap, 'uv@msp.test', 'uv-secret');
    await account.client.mailboxCreate('Helpdesk');
    const raws = Array.from({ length: 5 }, (_, i) =>
      rawMail({
        from: 'uv@client.example',
        subject: `uidvalidity ${i}`,
        messageId: `uv-${i}@client.example`,
      }),
    );
    for (const raw of raws) await account.append(raw, 'Helpdesk');
    const mailbox = await createMailbox(platform, admin.token, {
      imap: { server: imap, user: 'uv@msp.test', password: 'uv-secret', folder: 'Helpdesk' },
      smtp,
      address: 'uv@msp.test',
    });
    await waitFor('five done', async () => (await doneCount(mailbox.id)) === 5, 60_000);
    const before = (await platform.api('GET', `/api/v1/mailboxes/${mailbox.id}`, { token: admin.token })).body
      .sync;

    // the folder is dropped and made again (a server migration does this): new UIDVALIDITY, the same mail
    await account.client.mailboxDelete('Helpdesk');
    await account.client.mailboxCreate('Helpdesk');
    for (const raw of [
      ...raws,
      rawMail({ from: 'uv@client.example', subject: 'uidvalidity new', messageId: 'uv-new@client.example' }),
    ]) {
      await account.append(raw, 'Helpdesk');
    }
    await waitFor('the new mail', async () => (await doneCount(mailbox.id)) === 6, 90_000);
    await account.close();
    // a fresh session: the one that deleted the selected folder is of no further use
    const checker = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'uv@msp.test', pass: 'uv-secret' },
      logger: false,
    });
    await checker.connect();
    await waitFor(
      'the re-read folder flagged',
      async () => {
        await checker.mailboxOpen('Helpdesk');
        const open = await checker.search({ unKeyword: '$HelpdeskProcessed' }, { uid: true });
        return open && open.length === 0;
      },
      60_000,
    );
    await checker.logout();
    const after = (await platform.api('GET', `/api/v1/mailboxes/${mailbox.id}`, { token: admin.token })).body
      .sync;
    expect(after.uidValidity).not.toBe(before.uidValidity);
    const tickets = (await allTickets(platform, admin.token)).filter((t) =>
      t.title.startsWith('uidvalidity'),
    );
    expect(tickets.map((t) => t.title).sort()).toEqual([
      'uidvalidity 0',
      'uidvalidity 1',
      'uidvalidity 2',
      'uidvalidity 3',
      'uidvalidity 4',
      'uidvalidity new',
    ]);
  }, 240_000);
});
