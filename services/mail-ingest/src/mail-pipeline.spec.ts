// The pipeline with the real MIME parser and fakes of the other ports (in-memory repositories, ticket service).
import { randomUUID } from 'node:crypto';
import { createLogger } from '@helpdesk/platform';
import { signMessageId } from '@helpdesk/mail';
import type { Mailbox } from './domain/mailbox';
import { MailparserAdapter } from './infra/mailparser.adapter';
import { FakeTicketService, InMemoryInbound, InMemoryMailboxes } from '../test/in-memory.fakes';
import { MailPipeline } from './app/mail-pipeline';

const secret = 'pipeline-secret-pipeline-secret-pipeline';
const tenantId = randomUUID();

function mailbox(address = 'support@msp.example'): Mailbox {
  const now = new Date();
  return {
    id: randomUUID(),
    tenantId,
    name: 'Support',
    address,
    imap: null,
    imapSecret: null,
    smtp: { host: 'smtp.example', port: 25, tls: 'none', user: null },
    smtpSecret: null,
    pollIntervalSeconds: 60,
    intakeTokenHash: '0'.repeat(64),
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    version: 1,
    uidValidity: 0,
    lastUid: 0,
    lastSyncAt: null,
    lastSyncError: null,
    oauth: null,
  };
}

function mail(fields: {
  subject?: string;
  from?: string;
  messageId?: string | null;
  headers?: string[];
  body?: string;
}): Buffer {
  const lines = [
    `From: Dana <${fields.from ?? 'dana@client.example'}>`,
    'To: support@msp.example',
    `Subject: ${fields.subject ?? 'Printer offline'}`,
    ...(fields.messageId === null
      ? []
      : [`Message-ID: <${fields.messageId ?? `${randomUUID()}@client.example`}>`]),
    ...(fields.headers ?? []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    fields.body ?? 'The printer on floor 2 is offline.',
  ];
  return Buffer.from(lines.join('\r\n'));
}

async function setup(options: { maxAttempts?: number } = {}) {
  const tickets = new FakeTicketService();
  const inbound = new InMemoryInbound();
  const mailboxes = new InMemoryMailboxes();
  const box = mailbox();
  await mailboxes.insert(box);
  const pipeline = new MailPipeline({
    inbound,
    mailboxes,
    tickets,
    parser: new MailparserAdapter(),
    clock: { now: () => new Date() },
    ids: { newId: () => randomUUID() },
    logger: createLogger('test', 'silent'),
    options: {
      maxDepth: 50,
      maxParts: 1000,
      maxAttempts: options.maxAttempts ?? 3,
      claimMs: 60_000,
      retryBaseMs: 10,
      messageIdSecrets: [secret],
    },
  });
  const take = async (raw: Buffer, into = box) => {
    const { mail: stored, duplicate } = await pipeline.intake({ mailbox: into, source: 'push', raw });
    return { duplicate, mail: duplicate ? stored : await pipeline.process(stored.id) };
  };
  return { tickets, inbound, mailboxes, box, pipeline, take };
}

describe('mail pipeline', () => {
  it('makes a new mail a ticket whose thread starts with the email_in message and its raw reference', async () => {
    const { tickets, inbound, take } = await setup();
    const { mail: done } = await take(mail({ messageId: 'first@client.example' }));
    expect(done).toMatchObject({ status: 'done', outcome: 'created', threadingRule: 'new_ticket' });
    expect(tickets.tickets.size).toBe(1);
    expect(tickets.messages).toEqual([
      expect.objectContaining({
        kind: 'email_in',
        emailMessageId: 'first@client.example',
        threadingRule: 'new_ticket',
        rawRef: done.id,
      }),
    ]);
    expect(inbound.events[0]).toMatchObject({
      outcome: 'created',
      from: 'dana@client.example',
      automaticReason: '',
    });
  });

  it('takes a Message-ID once per tenant: a copy through a second mailbox is recorded there and joins nothing', async () => {
    const { tickets, inbound, mailboxes, box, take } = await setup();
    const second = mailbox('billing@msp.example');
    await mailboxes.insert(second);
    const raw = mail({ messageId: 'twice@client.example' });
    const first = await take(raw);
    expect(first).toMatchObject({
      duplicate: false,
      mail: { status: 'done', outcome: 'created', duplicateOfId: null },
    });
    // the same mail through billing@ (its headers as that delivery wrote them)
    const copy = await take(
      Buffer.concat([Buffer.from('Delivered-To: billing@msp.example\r\n'), raw]),
      second,
    );
    expect(copy.duplicate).toBe(true);
    expect(copy.mail).toMatchObject({
      mailboxId: second.id,
      status: 'done',
      outcome: 'duplicate',
      duplicateOfId: first.mail.id,
      ticketId: first.mail.ticketId,
    });
    expect(copy.mail.id).not.toBe(first.mail.id);
    expect(copy.mail.notes.join(' ')).toContain(first.mail.id);
    // one ticket, one message, one event (the automatic reply is sent for events only)
    expect(tickets.tickets.size).toBe(1);
    expect(tickets.messages).toHaveLength(1);
    expect(inbound.events).toHaveLength(1);
    // the copy is kept whole for its mailbox, and a repeat there finds that copy
    expect(inbound.rows.get(copy.mail.id)!.raw.toString()).toContain('Delivered-To: billing@');
    expect((await take(raw, second)).mail.id).toBe(copy.mail.id);
    expect((await take(raw, box)).mail.id).toBe(first.mail.id);
    expect(tickets.tickets.size).toBe(1);
  });

  it('takes the same Message-ID of two tenants as two tickets', async () => {
    const { tickets, inbound, mailboxes, take } = await setup();
    const other = { ...mailbox('support@other.example'), tenantId: randomUUID() };
    await mailboxes.insert(other);
    const raw = mail({ messageId: 'both@client.example' });
    expect((await take(raw)).mail.outcome).toBe('created');
    expect((await take(raw, other)).mail).toMatchObject({
      outcome: 'created',
      duplicateOfId: null,
      tenantId: other.tenantId,
    });
    expect(tickets.tickets.size).toBe(2);
    expect(inbound.events).toHaveLength(2);
  });

  it('dedupes mail without a Message-ID by its content, per tenant', async () => {
    const { tickets, mailboxes, take } = await setup();
    const raw = mail({ messageId: null });
    await take(raw);
    expect((await take(raw)).duplicate).toBe(true);
    const second = mailbox('billing@msp.example');
    await mailboxes.insert(second);
    expect((await take(raw, second)).mail.outcome).toBe('duplicate');
    expect((await take(mail({ messageId: null, body: 'other text' }))).duplicate).toBe(false);
    expect(tickets.tickets.size).toBe(2);
  });

  it('changes the ticket once when it crashed after the ticket service committed', async () => {
    const { tickets, pipeline, take } = await setup();
    tickets.failAfterCommit = 1;
    const { mail: first } = await take(mail({}));
    expect(first.status).toBe('retrying');
    const again = await pipeline.process(first.id);
    expect(again).toMatchObject({ status: 'done', outcome: 'created' });
    expect(tickets.tickets.size).toBe(1);
    expect(tickets.messages).toHaveLength(1);
  });

  it('quarantines a mail that keeps failing, and an agent retry runs it again', async () => {
    const { tickets, pipeline, take } = await setup({ maxAttempts: 2 });
    tickets.failAfterCommit = 0;
    const broken = tickets.createTicket.bind(tickets);
    tickets.createTicket = async () => {
      throw new Error('bug');
    };
    const { mail: first } = await take(mail({}));
    expect((await pipeline.process(first.id)).status).toBe('quarantined');
    tickets.createTicket = broken;
    expect(await pipeline.process(first.id)).toMatchObject({ status: 'quarantined' });
    expect(await pipeline.process(first.id, { force: true })).toMatchObject({
      status: 'done',
      outcome: 'created',
    });
  });

  it('threads a reply to our signed Message-ID onto its ticket', async () => {
    const { tickets, take } = await setup();
    const ticket = tickets.addTicket(tenantId);
    const ours = signMessageId({ secret, tenantId, ticketId: ticket.id, domain: 'msp.example' });
    const { mail: done } = await take(
      mail({ subject: 'Re: hello', headers: [`In-Reply-To: <${ours}>`, `References: <${ours}>`] }),
    );
    expect(done).toMatchObject({
      outcome: 'appended',
      threadingRule: 'signed_message_id',
      ticketId: ticket.id,
    });
  });

  it('records follow-ups of closed tickets and redirects of merged ones as the ticket service answered', async () => {
    const { tickets, take } = await setup();
    const into = tickets.addTicket(tenantId);
    const merged = tickets.addTicket(tenantId, { mergedIntoId: into.id });
    const closed = tickets.addTicket(tenantId, { closed: true });
    expect((await take(mail({ subject: `Re: [#${merged.number}] x` }))).mail).toMatchObject({
      outcome: 'redirected',
      ticketId: into.id,
    });
    const followUp = (await take(mail({ subject: `Re: [#${closed.number}] x` }))).mail;
    expect(followUp.outcome).toBe('follow_up');
    expect(followUp.ticketId).not.toBe(closed.id);
  });

  it('opens a new ticket for a stranger using a token, with a note naming the other ticket', async () => {
    const { tickets, take } = await setup();
    const named = tickets.addTicket(tenantId);
    const { mail: done } = await take(
      mail({ subject: `[#${named.number}] give me access`, from: 'mallory@evil.example' }),
    );
    expect(done).toMatchObject({ outcome: 'created', threadingRule: 'subject_token_untrusted' });
    expect(done.ticketId).not.toBe(named.id);
    const note = tickets.messages.find((m) => m.kind === 'system' && m.ticketId === done.ticketId);
    expect(note?.bodyText).toContain(`#${named.number}`);
  });

  it('marks automatic mail so that no automatic reply goes to it, and still takes it', async () => {
    const { inbound, take } = await setup();
    await take(mail({ headers: ['Auto-Submitted: auto-replied'] }));
    await take(mail({ from: 'support@msp.example' }));
    expect(inbound.events.map((e) => e.automaticReason)).toEqual(['auto_submitted', 'own_address']);
  });

  it('leaves attachments over the limit out, with a note in the thread and the list in the event', async () => {
    const { tickets, inbound, take } = await setup();
    tickets.attachmentLimit = 1000;
    const raw = Buffer.from(
      [
        'From: dana@client.example',
        'Subject: logs',
        'Message-ID: <att@client.example>',
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b',
        'Content-Type: application/octet-stream; name=big.bin',
        'Content-Disposition: attachment; filename=big.bin',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(3000, 7).toString('base64'),
        '--b',
        'Content-Type: text/plain; name=small.txt',
        'Content-Disposition: attachment; filename=small.txt',
        '',
        'small',
        '--b--',
      ].join('\r\n'),
    );
    await take(raw);
    expect(tickets.attachments.map((a) => a.filename)).toEqual(['small.txt']);
    expect(inbound.events[0]!.oversizeAttachments).toEqual([{ filename: 'big.bin', size: 3000 }]);
    expect(tickets.messages.find((m) => m.kind === 'system')?.bodyText).toContain('big.bin');
  });

  it('attaches a bounce to the ticket of the bounced mail, marks the address, and opens no ticket', async () => {
    const { tickets, inbound, take } = await setup();
    const ticket = tickets.addTicket(tenantId);
    const ours = signMessageId({ secret, tenantId, ticketId: ticket.id, domain: 'msp.example' });
    const raw = Buffer.from(
      [
        'From: MAILER-DAEMON@mx.example',
        'Return-Path: <>',
        'Subject: Undelivered Mail',
        'Message-ID: <bounce1@mx.example>',
        'Content-Type: multipart/report; report-type=delivery-status; boundary=r',
        '',
        '--r',
        'Content-Type: text/plain',
        '',
        'could not deliver',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example',
        '',
        'Final-Recipient: rfc822; gone@client.example',
        'Action: failed',
        'Status: 5.1.1',
        '',
        '--r',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: <${ours}>`,
        'Subject: Re: [#1001] hello',
        '',
        '--r--',
      ].join('\r\n'),
    );
    const { mail: done } = await take(raw);
    expect(done).toMatchObject({ outcome: 'bounce', ticketId: ticket.id });
    expect(tickets.tickets.size).toBe(1);
    expect(tickets.messages).toEqual([expect.objectContaining({ kind: 'system', ticketId: ticket.id })]);
    expect(tickets.bouncing).toEqual(['gone@client.example']);
    expect(inbound.events).toEqual([]);
  });

  it('keeps a mail past the MIME limits as a ticket with a note, and takes the next mail', async () => {
    const { tickets, take } = await setup();
    let body = 'Content-Type: text/plain\r\n\r\nx\r\n';
    for (let level = 60; level >= 1; level--)
      body = `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n${body}--b${level}--\r\n`;
    const deep = Buffer.from(`From: dana@client.example\r\nSubject: deep\r\nMessage-ID: <deep@x>\r\n${body}`);
    const { mail: refused } = await take(deep);
    expect(refused).toMatchObject({ status: 'done', outcome: 'created' });
    expect(tickets.messages[0]!.bodyText).toContain('more than 50 levels');
    expect((await take(mail({}))).mail.status).toBe('done');
  });

  it('makes malformed MIME a ticket with what could be read', async () => {
    const { tickets, take } = await setup();
    const raw = Buffer.from(
      'From: dana@client.example\r\nSubject: broken\r\nContent-Type: multipart/mixed; boundary="never"\r\n\r\nno parts at all, only text',
    );
    const { mail: done } = await take(raw);
    expect(done).toMatchObject({ status: 'done', outcome: 'created' });
    expect([...tickets.tickets.values()][0]!.title).toBe('broken');
  });

  it('keeps NUL characters out of what it stores as text (the raw source keeps them)', async () => {
    const { tickets, inbound, take } = await setup();
    const raw = Buffer.from(
      'From: Nul\u0000Sender <nul@client.example>\r\nSubject: NUL \u0000 here\r\nMessage-ID: <nul@client.example>\r\n\r\ntext\u0000with NUL\r\n',
      'latin1',
    );
    const { mail: done } = await take(raw);
    expect(done).toMatchObject({ status: 'done', outcome: 'created', subject: 'NUL  here' });
    const stored = [...tickets.tickets.values()][0]!;
    expect(stored.title).toBe('NUL  here');
    expect(tickets.messages[0]!.bodyText.trim()).toBe('textwith NUL');
    expect(JSON.stringify(inbound.events)).not.toContain('\\u0000');
    expect((await inbound.loadRaw(done.id)).equals(raw)).toBe(true);
  });

  it('takes a Message-ID over 998 characters as none (deduped by content)', async () => {
    const { tickets, take } = await setup();
    const raw = mail({ messageId: `${'m'.repeat(2000)}@client.example` });
    expect((await take(raw)).mail).toMatchObject({ status: 'done', messageId: null });
    expect(tickets.messages[0]!.emailMessageId).toBe('');
    expect((await take(raw)).duplicate).toBe(true);
  });

  it('reads the sender from the top headers when the parser refuses the header block', async () => {
    const { tickets, inbound, take } = await setup();
    const raw = Buffer.from(
      `From: Dana <dana@client.example>\r\nSubject: huge header\r\nX-Filler: ${'x'.repeat(3 * 1024 * 1024)}\r\n\r\nbody\r\n`,
    );
    const { mail: done } = await take(raw);
    expect(done).toMatchObject({ status: 'done', outcome: 'created' });
    expect([...tickets.tickets.values()][0]!.requesterEmail).toBe('dana@client.example');
    expect(inbound.events[0]).toMatchObject({ from: 'dana@client.example' });
  });
});
