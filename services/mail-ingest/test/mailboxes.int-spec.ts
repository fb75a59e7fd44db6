// Mailboxes, push intake and the raw store against the real PostgreSQL, a real Dovecot and a real SMTP listener.
// The ticket service is not running here: every mail must still be stored whole and kept for a retry.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { commonV1, type mailV1 } from '@helpdesk/contracts';
import {
  domainFailure as failure,
  freePort,
  startDovecot,
  startSmtpSink,
  waitFor,
  type SmtpSink,
  type TestImapServer,
} from '@helpdesk/testing';
import { startMailIngest, type MailIngestHarness, type SharedState } from './support';

// a test logs in to real servers: on a busy machine it takes longer than an ordinary call's deadline
const TEST_DEADLINE = { deadlineMs: 60_000 };
const admin: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() };

describe('mail-ingest: mailboxes, push intake, raw store (PostgreSQL, Dovecot, SMTP)', () => {
  let imap: TestImapServer;
  let smtp: SmtpSink;
  let h: MailIngestHarness & { shared: SharedState };
  const tenantId = randomUUID();

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink({ users: { relay: 'relay-pass' } })]);
    imap.addUser('support@msp.test', 'imap-pass-1');
    // nothing listens there: ticket changes fail as UNAVAILABLE and are retried
    h = await startMailIngest({ TICKET_GRPC_URL: `127.0.0.1:${await freePort()}` });
  });

  afterAll(async () => {
    await h?.stop();
    await Promise.all([imap?.stop(), smtp?.stop()]);
  });

  const createRequest = (over: Partial<mailV1.CreateMailboxRequest> = {}): mailV1.CreateMailboxRequest => ({
    tenantId,
    actor: admin,
    name: 'Support',
    address: 'Support@MSP.test',
    imap: {
      host: imap.host,
      port: imap.port,
      tls: 'none',
      user: 'support@msp.test',
      password: 'imap-pass-1',
      accessToken: '',
      folder: '',
      processedFolder: '',
      auth: '',
    },
    smtp: { host: smtp.host, port: smtp.port, tls: 'none', user: 'relay', password: 'relay-pass' },
    pollIntervalSeconds: 0,
    ...over,
  });

  it('creates a mailbox, answers its intake token once, and never shows or stores a secret in clear', async () => {
    const { mailbox, intakeToken } = await h.client.createMailbox(createRequest());
    expect(intakeToken).toMatch(/^mit_/);
    expect(mailbox).toMatchObject({
      address: 'support@msp.test',
      imap: { folder: 'INBOX', auth: 'password' },
      smtp: { hasPassword: true },
    });
    const read = await h.client.getMailbox({ tenantId, id: mailbox!.id });
    const json = JSON.stringify(read);
    for (const secret of ['imap-pass-1', 'relay-pass', intakeToken]) expect(json).not.toContain(secret);
    const rows = await h.service.prisma.$queryRaw<
      Array<{ row: string }>
    >`SELECT row_to_json(m)::text AS row FROM mailboxes m`;
    for (const secret of ['imap-pass-1', 'relay-pass', intakeToken])
      expect(rows[0]!.row).not.toContain(secret);
    expect((await failure(h.client.getMailbox({ tenantId: randomUUID(), id: mailbox!.id }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('tests IMAP login, folder and SMTP for real, and says which failed', async () => {
    const { mailbox } = await h.client.createMailbox(createRequest({ name: 'Checked' }));
    const good = await h.client.testMailbox({ tenantId, id: mailbox!.id }, TEST_DEADLINE);
    expect(good).toMatchObject({
      ok: true,
      imapLogin: { ok: true },
      imapFolder: { ok: true },
      smtp: { ok: true },
    });
    expect(smtp.logins).toContain('relay');

    const badLogin = await h.client.createMailbox(
      createRequest({ name: 'Bad login', imap: { ...createRequest().imap!, password: 'wrong' } }),
    );
    expect(await h.client.testMailbox({ tenantId, id: badLogin.mailbox!.id }, TEST_DEADLINE)).toMatchObject({
      ok: false,
      imapLogin: { ok: false, error: 'authentication failed' },
      imapFolder: { ok: false, skipped: true },
    });
    const badFolder = await h.client.createMailbox(
      createRequest({ name: 'Bad folder', imap: { ...createRequest().imap!, folder: 'Nope' } }),
    );
    const folder = await h.client.testMailbox({ tenantId, id: badFolder.mailbox!.id }, TEST_DEADLINE);
    expect(folder).toMatchObject({ ok: false, imapLogin: { ok: true }, imapFolder: { ok: false } });
    expect(folder.imapFolder!.error).toContain('Nope');
    const badSmtp = await h.client.createMailbox(
      createRequest({
        name: 'Bad smtp',
        smtp: { host: '127.0.0.1', port: await freePort(), tls: 'none', user: '', password: '' },
      }),
    );
    expect(await h.client.testMailbox({ tenantId, id: badSmtp.mailbox!.id }, TEST_DEADLINE)).toMatchObject({
      ok: false,
      smtp: { ok: false },
    });
  });

  it('changes and deletes mailboxes, keeping stored secrets unless new ones are given', async () => {
    const { mailbox } = await h.client.createMailbox(createRequest({ name: 'Changing', imap: undefined }));
    const renamed = await h.client.updateMailbox({
      tenantId,
      actor: admin,
      id: mailbox!.id,
      name: 'Renamed',
      rotateIntakeToken: true,
      expectedVersion: 1,
    });
    expect(renamed.mailbox).toMatchObject({ name: 'Renamed', version: 2, smtp: { hasPassword: true } });
    expect(renamed.intakeToken).toMatch(/^mit_/);
    expect(
      (
        await failure(
          h.client.updateMailbox({
            tenantId,
            actor: admin,
            id: mailbox!.id,
            name: 'x',
            rotateIntakeToken: false,
            expectedVersion: 1,
          }),
        )
      ).code,
    ).toBe('CONFLICT');
    await h.client.deleteMailbox({ tenantId, actor: admin, id: mailbox!.id });
    expect((await failure(h.client.getMailbox({ tenantId, id: mailbox!.id }))).code).toBe('NOT_FOUND');
    expect(
      (await failure(h.push(mailbox!.id, renamed.intakeToken, Buffer.from('Subject: x\r\n\r\nx')))).code,
    ).toBe('UNAUTHENTICATED');
  });

  it('takes pushed mail only with the intake token, stores it whole before anything else, and keeps it for a retry', async () => {
    const { mailbox, intakeToken } = await h.client.createMailbox(
      createRequest({ name: 'Push', imap: undefined }),
    );
    const raw = Buffer.from(
      `From: dana@client.example\r\nSubject: push\r\nMessage-ID: <push-1@client.example>\r\n\r\n${'x'.repeat(700_000)}\r\n`,
    );
    expect((await failure(h.push(mailbox!.id, 'mit_wrong', raw))).code).toBe('UNAUTHENTICATED');
    expect((await failure(h.push(randomUUID(), intakeToken, raw))).code).toBe('UNAUTHENTICATED');

    const first = await h.push(mailbox!.id, intakeToken, raw);
    expect(first.duplicate).toBe(false);
    // the ticket service is down: not lost, waiting for its next attempt
    expect(first.mail).toMatchObject({
      status: 'retrying',
      source: 'push',
      messageId: 'push-1@client.example',
    });
    expect(first.mail!.lastError).toMatch(/^UNAVAILABLE/);
    expect((await h.raw(tenantId, first.mail!.id)).equals(raw)).toBe(true);
    expect((await failure(h.raw(randomUUID(), first.mail!.id))).code).toBe('NOT_FOUND');

    const again = await h.push(mailbox!.id, intakeToken, raw);
    expect(again).toMatchObject({ duplicate: true, mail: { id: first.mail!.id } });
  });

  it('reads the IMAP folder, stores every message, and flags none while its ticket change is not committed', async () => {
    imap.addUser('intake@msp.test', 'imap-pass-2');
    const appender = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'intake@msp.test', pass: 'imap-pass-2' },
      logger: false,
    });
    await appender.connect();
    for (let i = 0; i < 3; i++) {
      await appender.append(
        'INBOX',
        `From: dana@client.example\r\nSubject: imap ${i}\r\nMessage-ID: <imap-${i}@client.example>\r\n\r\nbody ${i}\r\n`,
      );
    }
    const { mailbox } = await h.client.createMailbox(
      createRequest({
        name: 'Imap',
        imap: { ...createRequest().imap!, user: 'intake@msp.test', password: 'imap-pass-2' },
      }),
    );
    const stored = await waitFor('three stored mails', async () => {
      const rows = await h.service.prisma.inboundMail.findMany({
        where: { mailboxId: mailbox!.id },
        include: { raw: true },
      });
      return rows.length === 3 ? rows : undefined;
    });
    expect(stored.every((r) => r.raw && Buffer.from(r.raw.content).toString().includes(r.messageId!))).toBe(
      true,
    );
    expect(stored.every((r) => r.imapUid !== null && r.imapUidValidity !== null)).toBe(true);
    await appender.mailboxOpen('INBOX');
    expect(await appender.search({ keyword: '$HelpdeskProcessed' }, { uid: true })).toEqual([]);
    const synced = await waitFor('the folder cursor', async () => {
      const { mailbox: m } = await h.client.getMailbox({ tenantId, id: mailbox!.id });
      return Number(m!.sync!.uidValidity) > 0 ? m : undefined;
    });
    expect(Number(synced.sync!.lastUid)).toBe(3);
    expect(synced.sync!.lastError).toBe('');
    await appender.logout();
  });

  it('runs one poller per mailbox across replicas (a lease), and takes every mail once', async () => {
    imap.addUser('replicas@msp.test', 'imap-pass-3');
    const second = await startMailIngest({ TICKET_GRPC_URL: `127.0.0.1:${await freePort()}` }, h.shared);
    try {
      // the mail first: the account's Maildir is made by this session, not by two at once
      const appender = new ImapFlow({
        host: imap.host,
        port: imap.port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: 'replicas@msp.test', pass: 'imap-pass-3' },
        logger: false,
      });
      await appender.connect();
      for (let i = 0; i < 10; i++)
        await appender.append(
          'INBOX',
          `From: r@client.example\r\nSubject: r${i}\r\nMessage-ID: <r-${i}@client.example>\r\n\r\nx\r\n`,
        );
      await appender.logout();
      const { mailbox } = await h.client.createMailbox(
        createRequest({
          name: 'Replicas',
          imap: { ...createRequest().imap!, user: 'replicas@msp.test', password: 'imap-pass-3' },
        }),
      );
      await waitFor(
        'ten stored mails',
        async () => (await h.service.prisma.inboundMail.count({ where: { mailboxId: mailbox!.id } })) === 10,
      );
      const leases = await h.service.prisma.mailboxLease.findMany({ where: { mailboxId: mailbox!.id } });
      expect(leases).toHaveLength(1);
      // both replicas look at the mailboxes every lease/3: the holder keeps it, the other never takes it
      await new Promise((r) => setTimeout(r, 2500));
      const later = await h.service.prisma.mailboxLease.findMany({ where: { mailboxId: mailbox!.id } });
      expect(later.map((l) => l.owner)).toEqual(leases.map((l) => l.owner));
      expect(later[0]!.expiresAt.getTime()).toBeGreaterThan(leases[0]!.expiresAt.getTime());
      expect(await h.service.prisma.inboundMail.count({ where: { mailboxId: mailbox!.id } })).toBe(10);
    } finally {
      await second.stop();
    }
  });
});
