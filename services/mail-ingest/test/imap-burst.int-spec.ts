// Mail that arrives while a fetch round runs (real Dovecot, real PostgreSQL): it must be taken by the next round at
// once, not after IMAP_RESYNC_SECONDS. The ticket service is slow here, so that each round lasts a while and the
// bursts land in the middle of one.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { commonV1 } from '@helpdesk/contracts';
import { delay, freePort, startDovecot, waitFor, type TestImapServer } from '@helpdesk/testing';
import { FakeTicketService } from './in-memory.fakes';
import type { CreateEmailTicket, TicketChange } from '../src/app/ports';
import { startMailIngest, type MailIngestHarness, type SharedState } from './support';

const CREATE_MS = 1000;

/** The ticket service as a map whose creates each take CREATE_MS, counting the ones begun and finished. */
class SlowTicketService extends FakeTicketService {
  begun = 0;
  finished = 0;
  override async createTicket(command: CreateEmailTicket): Promise<TicketChange> {
    this.begun++;
    await delay(CREATE_MS);
    try {
      return await super.createTicket(command);
    } finally {
      this.finished++;
    }
  }
}

const mail = (n: number) =>
  Buffer.from(
    `From: dana@client.example\r\nTo: burst@msp.test\r\nSubject: burst ${n}\r\nMessage-ID: <burst-${n}-${randomUUID()}@client.example>\r\n\r\nbody ${n}\r\n`,
  );

describe('mail-ingest: mail appended during a fetch round (Dovecot, slow ticket service)', () => {
  let imap: TestImapServer;
  let h: MailIngestHarness & { shared: SharedState };
  const tickets = new SlowTicketService();
  const tenantId = randomUUID();

  beforeAll(async () => {
    imap = await startDovecot();
    h = await startMailIngest(
      // a resync far beyond the test's wait: only a round started by the new mail can take it in time
      { TICKET_GRPC_URL: `127.0.0.1:${await freePort()}`, IMAP_RESYNC_SECONDS: '300', MAIL_CONCURRENCY: '2' },
      undefined,
      { tickets },
    );
  });

  afterAll(async () => {
    await h?.stop();
    await imap?.stop();
  });

  it('takes bursts appended while a round is still fetching at once, every mail a ticket and flagged', async () => {
    imap.addUser('burst@msp.test', 'imap-pass');
    const appender = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'burst@msp.test', pass: 'imap-pass' },
      logger: false,
    });
    await appender.connect();
    try {
      let n = 0;
      for (; n < 4; n++) await appender.append('INBOX', mail(n));
      await h.client.createMailbox({
        tenantId,
        actor: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() },
        name: 'Burst',
        address: 'burst@msp.test',
        imap: {
          host: imap.host,
          port: imap.port,
          tls: 'none',
          user: 'burst@msp.test',
          password: 'imap-pass',
          accessToken: '',
          folder: '',
          processedFolder: '',
          auth: '',
        },
        smtp: { host: '127.0.0.1', port: 25, tls: 'none', user: '', password: '' },
        pollIntervalSeconds: 0,
      });

      // two bursts, each while the round before it is still creating tickets (so its EXISTS comes mid-round)
      for (const size of [10, 6]) {
        const before = tickets.begun;
        await waitFor('a round creating tickets', () => tickets.begun > before, 30_000);
        const inFolder = n;
        for (let i = 0; i < size; i++, n++) await appender.append('INBOX', mail(n));
        // the round taking the mail before this burst had not finished when the burst was in the folder
        expect(tickets.finished).toBeLessThan(inFolder);
      }

      // far below the 300-s resync: the rounds follow each other at once
      await waitFor('every mail a ticket', () => tickets.tickets.size === n, 60_000);
      await waitFor(
        'every mail flagged processed',
        async () => {
          const lock = await appender.getMailboxLock('INBOX');
          try {
            const flagged = await appender.search({ keyword: '$HelpdeskProcessed' }, { uid: true });
            return (flagged || []).length === n;
          } finally {
            lock.release();
          }
        },
        30_000,
      );
      expect(await h.service.prisma.inboundMail.count({ where: { tenantId, status: 'done' } })).toBe(n);
      expect(tickets.begun).toBe(n);
      // and then it idles: no round after round (each round records its sync time)
      const syncAt = async () =>
        (await h.service.prisma.mailbox.findFirstOrThrow({ where: { tenantId } })).lastSyncAt?.getTime();
      await delay(1000);
      const quiet = await syncAt();
      await delay(1500);
      expect(await syncAt()).toBe(quiet);
    } finally {
      await appender.logout();
    }
  });
});
