// One mail through two mailboxes of a tenant (real PostgreSQL, real Dovecot): one ticket, one event, whichever
// mailbox takes it first and also when both take it at the same moment; another tenant's copy is its own.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { commonV1, type mailV1 } from '@helpdesk/contracts';
import { freePort, startDovecot, waitFor, type TestImapServer } from '@helpdesk/testing';
import { FakeTicketService } from './in-memory.fakes';
import type { CreateEmailTicket, TicketChange } from '../src/app/ports';
import { startMailIngest, type MailIngestHarness, type SharedState } from './support';

/** The ticket service as a map, counting the creates it was asked for. */
class CountingTicketService extends FakeTicketService {
  readonly creates: CreateEmailTicket[] = [];
  override async createTicket(command: CreateEmailTicket): Promise<TicketChange> {
    this.creates.push(command);
    return super.createTicket(command);
  }
}

const admin: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() };

const mail = (messageId: string | null, to = 'support@msp.test') =>
  Buffer.from(
    [
      `From: Dana <dana@client.example>`,
      `To: support@msp.test, billing@msp.test`,
      `Delivered-To: ${to}`,
      'Subject: Printer offline',
      ...(messageId ? [`Message-ID: <${messageId}>`] : []),
      '',
      'The printer is offline.',
      '',
    ].join('\r\n'),
  );

describe('mail-ingest: a Message-ID is taken once per tenant across its mailboxes (PostgreSQL, Dovecot)', () => {
  let imap: TestImapServer;
  let h: MailIngestHarness & { shared: SharedState };
  const tickets = new CountingTicketService();
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  let support: { id: string; token: string };
  let billing: { id: string; token: string };
  let other: { id: string; token: string };

  const create = async (
    tenantId: string,
    address: string,
    imapLogin?: { user: string; password: string },
  ) => {
    const { mailbox, intakeToken } = await h.client.createMailbox({
      tenantId,
      actor: admin,
      name: address,
      address,
      ...(imapLogin
        ? {
            imap: {
              host: imap.host,
              port: imap.port,
              tls: 'none',
              user: imapLogin.user,
              password: imapLogin.password,
              accessToken: '',
              folder: '',
              processedFolder: '',
              auth: '',
            },
          }
        : {}),
      smtp: { host: '127.0.0.1', port: 25, tls: 'none', user: '', password: '' },
      pollIntervalSeconds: 0,
    });
    return { id: mailbox!.id, token: intakeToken };
  };

  /** helpdesk.mail.received events written for these inbound mails. */
  const eventsFor = async (inboundIds: string[]) => {
    const rows = await h.service.prisma.outboxEvent.findMany({ where: { type: 'helpdesk.mail.received' } });
    return rows.filter((r) =>
      inboundIds.includes((r.payload as { data?: { inboundId?: string } }).data?.inboundId ?? ''),
    );
  };

  const createsOf = (messageId: string) =>
    tickets.creates.filter((c) => c.initialMessage.email?.messageId === messageId);

  beforeAll(async () => {
    imap = await startDovecot();
    h = await startMailIngest({ TICKET_GRPC_URL: `127.0.0.1:${await freePort()}` }, undefined, { tickets });
    support = await create(tenantA, 'support@msp.test');
    billing = await create(tenantA, 'billing@msp.test');
    other = await create(tenantB, 'help@other.test');
  });

  afterAll(async () => {
    await h?.stop();
    await imap?.stop();
  });

  const expectOneTaken = async (
    first: mailV1.PushRawMailResponse,
    copy: mailV1.PushRawMailResponse,
    messageId: string | null,
  ) => {
    expect(first).toMatchObject({
      duplicate: false,
      mail: { status: 'done', outcome: 'created', duplicateOfId: '' },
    });
    expect(copy).toMatchObject({
      duplicate: true,
      mail: { status: 'done', outcome: 'duplicate', duplicateOfId: first.mail!.id },
    });
    // at once when the first was done before the copy came; a copy stored meanwhile names it once it is
    expect(['', first.mail!.ticketId]).toContain(copy.mail!.ticketId);
    expect(copy.mail!.id).not.toBe(first.mail!.id);
    if (messageId) expect(createsOf(messageId)).toHaveLength(1);
    // the automatic reply is driven by this event: the copy writes none
    expect(await eventsFor([first.mail!.id, copy.mail!.id])).toHaveLength(1);
    // the copy is on record for its mailbox, with its own raw source
    const row = await h.service.prisma.inboundMail.findUniqueOrThrow({
      where: { id: copy.mail!.id },
      include: { raw: true },
    });
    expect(row.raw).not.toBeNull();
    expect(await h.client.getInboundMail({ tenantId: tenantA, id: copy.mail!.id })).toMatchObject({
      mail: { outcome: 'duplicate', duplicateOfId: first.mail!.id, ticketId: first.mail!.ticketId },
    });
  };

  it('takes a mail once whichever mailbox pushes it first', async () => {
    const one = `one-${randomUUID()}@client.example`;
    const a = await h.push(support.id, support.token, mail(one, 'support@msp.test'));
    const b = await h.push(billing.id, billing.token, mail(one, 'billing@msp.test'));
    await expectOneTaken(a, b, one);

    const two = `two-${randomUUID()}@client.example`;
    const c = await h.push(billing.id, billing.token, mail(two, 'billing@msp.test'));
    const d = await h.push(support.id, support.token, mail(two, 'support@msp.test'));
    await expectOneTaken(c, d, two);
    expect(c.mail!.mailboxId).toBe(billing.id);

    // a repeat in a mailbox finds that mailbox's record, the copy included
    expect(await h.push(support.id, support.token, mail(two, 'support@msp.test'))).toMatchObject({
      duplicate: true,
      mail: { id: d.mail!.id },
    });
    expect(createsOf(two)).toHaveLength(1);
  });

  it('takes a mail without a Message-ID once by its content', async () => {
    const raw = Buffer.from(
      `From: dana@client.example\r\nSubject: no id ${randomUUID()}\r\n\r\nsame bytes\r\n`,
    );
    const a = await h.push(support.id, support.token, raw);
    const b = await h.push(billing.id, billing.token, raw);
    await expectOneTaken(a, b, null);
  });

  it('takes a mail once when both mailboxes store it at the same moment', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `race-${i}-${randomUUID()}@client.example`);
    const answers = await Promise.all(
      ids.map((id) =>
        Promise.all([
          h.push(support.id, support.token, mail(id, 'support@msp.test')),
          h.push(billing.id, billing.token, mail(id, 'billing@msp.test')),
        ]),
      ),
    );
    for (const [index, pair] of answers.entries()) {
      const first = pair.find((p) => !p.duplicate);
      const copy = pair.find((p) => p.duplicate);
      expect(first && copy).toBeTruthy();
      await expectOneTaken(first!, copy!, ids[index]!);
    }
  });

  it('gives each tenant its own ticket for the same Message-ID', async () => {
    const id = `tenants-${randomUUID()}@client.example`;
    const a = await h.push(support.id, support.token, mail(id));
    const b = await h.push(other.id, other.token, mail(id, 'help@other.test'));
    expect(a).toMatchObject({ duplicate: false, mail: { outcome: 'created', tenantId: tenantA } });
    expect(b).toMatchObject({
      duplicate: false,
      mail: { outcome: 'created', tenantId: tenantB, duplicateOfId: '' },
    });
    expect(
      createsOf(id)
        .map((c) => c.tenantId)
        .sort(),
    ).toEqual([tenantA, tenantB].sort());
    expect(await eventsFor([a.mail!.id, b.mail!.id])).toHaveLength(2);
  });

  it('flags the copy in the second IMAP folder processed without a second ticket', async () => {
    const accounts = [
      { user: 'imap-support@msp.test', password: 'pass-1' },
      { user: 'imap-billing@msp.test', password: 'pass-2' },
    ];
    const id = `imap-${randomUUID()}@client.example`;
    const appenders: ImapFlow[] = [];
    try {
      for (const account of accounts) {
        imap.addUser(account.user, account.password);
        const client = new ImapFlow({
          host: imap.host,
          port: imap.port,
          secure: false,
          doSTARTTLS: false,
          auth: { user: account.user, pass: account.password },
          logger: false,
        });
        await client.connect();
        appenders.push(client);
        await client.append('INBOX', mail(id, account.user));
      }
      // both pollers start at once and find the mail in their folders at about the same moment
      const boxes = await Promise.all(
        accounts.map((account) => create(tenantA, account.user.replace('imap-', ''), account)),
      );
      const rows = await waitFor(
        'both copies done',
        async () => {
          const found = await h.service.prisma.inboundMail.findMany({
            where: { messageId: id, status: 'done' },
          });
          return found.length === 2 ? found : undefined;
        },
        30_000,
      );
      expect(rows.map((r) => r.outcome).sort()).toEqual(['created', 'duplicate']);
      expect(rows.map((r) => r.mailboxId).sort()).toEqual(boxes.map((b) => b.id).sort());
      expect(rows.every((r) => r.imapUid !== null)).toBe(true);
      expect(createsOf(id)).toHaveLength(1);
      expect(await eventsFor(rows.map((r) => r.id))).toHaveLength(1);
      for (const client of appenders) {
        await waitFor(
          'the copy flagged processed',
          async () => {
            const lock = await client.getMailboxLock('INBOX');
            try {
              return (
                ((await client.search({ keyword: '$HelpdeskProcessed' }, { uid: true })) || []).length === 1
              );
            } finally {
              lock.release();
            }
          },
          30_000,
        );
      }
    } finally {
      for (const client of appenders) await client.logout().catch(() => client.close());
    }
  });
});
