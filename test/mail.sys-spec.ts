// The e-mail channel end to end (docs/product/email.md): the platform as processes, a real Dovecot the mailbox
// reads, a real SMTP listener catching what the platform sends, a customer conversation that threads both ways.
import { verifyMessageId } from '@helpdesk/mail';
import {
  startDovecot,
  startSmtpSink,
  waitFor,
  type CaughtMail,
  type SmtpSink,
  type TestImapServer,
} from '@helpdesk/testing';
import { allTickets, createMailbox, imapAccount, messagesOf, pushMail, rawMail } from './support/mail';
import { startTestPlatform, type TenantSession, type TestPlatform } from './support/platform';

const idOf = (value: string | undefined) => (value ?? '').trim().replace(/^<|>$/g, '');
const tokenIn = (subject: string | undefined) => /\[#(\d+)\]/.exec(subject ?? '')?.[1];

describe('e-mail channel (IMAP, SMTP, threading, automatic replies)', () => {
  let platform: TestPlatform;
  let imap: TestImapServer;
  let smtp: SmtpSink;
  let admin: TenantSession;
  let inbox: Awaited<ReturnType<typeof imapAccount>>;
  let mailbox: { id: string; intakeToken: string; address: string };

  beforeAll(async () => {
    [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
    platform = await startTestPlatform({ label: 'mail' });
    admin = await platform.createTenantAndLogin('Mail MSP');
    inbox = await imapAccount(imap, 'support@msp.test', 'imap-secret');
    mailbox = await createMailbox(platform, admin.token, {
      imap: { server: imap, user: 'support@msp.test', password: 'imap-secret' },
      smtp,
    });
  });

  afterAll(async () => {
    await inbox?.close();
    await platform?.stop();
    await Promise.all([imap?.stop(), smtp?.stop()]);
  });

  const to = (address: string) => (m: CaughtMail) => m.envelopeTo.includes(address);

  it('opens a ticket from a mail in the IMAP folder, answers automatically, and threads replies both ways', async () => {
    const first = rawMail({
      from: 'dana@client.example',
      subject: 'Printer offline',
      messageId: 'conv-1@client.example',
    });
    await inbox.append(first);

    // the ticket, whose thread starts with the email_in it came from
    const ticket = await waitFor(
      'the e-mail ticket',
      async () => (await allTickets(platform, admin.token)).find((t) => t.title === 'Printer offline'),
      60_000,
    );
    expect(ticket).toMatchObject({ source: 'email', raisedBy: 'dana@client.example' });

    // the automatic reply: token in the subject, RFC 3834, our signed Message-ID threaded to the mail
    const [autoReply] = await smtp.waitFor(to('dana@client.example'), 1, 30_000);
    expect(tokenIn(autoReply!.parsed.subject)).toBe(String(ticket.number));
    expect(autoReply!.header('auto-submitted')).toBe('auto-replied');
    expect(idOf(autoReply!.parsed.inReplyTo)).toBe('conv-1@client.example');
    expect(autoReply!.parsed.from?.value[0]?.address).toBe('support@msp.test');
    const ourId = idOf(autoReply!.parsed.messageId);
    expect(ourId).toMatch(/^hd\./);

    const thread = await waitFor('email_in then email_out', async () => {
      const m = await messagesOf(platform, admin.token, ticket.id);
      return m.length >= 2 ? m : undefined;
    });
    expect(thread.map((m) => m.kind)).toEqual(['email_in', 'email_out']);
    expect(thread[0]).toMatchObject({
      threadingRule: 'new_ticket',
      email: { messageId: 'conv-1@client.example', hasRaw: true },
    });
    expect(thread[1].email.messageId).toBe(ourId);

    // the raw source, byte for byte; another tenant gets 404
    const raw = await platform.api('GET', `/api/v1/messages/${thread[0].id}/raw`, { token: admin.token });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/message\/rfc822/);
    expect(raw.text).toBe(first.toString());
    const other = await platform.createTenantAndLogin('Other MSP');
    expect(
      (await platform.api('GET', `/api/v1/messages/${thread[0].id}/raw`, { token: other.token })).status,
    ).toBe(404);

    // the message was flagged processed in the folder, after its ticket change
    await waitFor('the processed flag', async () => {
      await inbox.client.mailboxOpen('INBOX');
      const flagged = await inbox.client.search({ keyword: '$HelpdeskProcessed' }, { uid: true });
      return flagged && flagged.length >= 1;
    });

    // the customer answers the automatic reply: same ticket, matched by our signed id, no second automatic reply
    await inbox.append(
      rawMail({
        subject: `Re: ${autoReply!.parsed.subject}`,
        messageId: 'conv-2@client.example',
        inReplyTo: ourId,
        references: ['conv-1@client.example', ourId],
        body: 'It shows error 49.',
      }),
    );
    const afterReply = await waitFor('the reply in the thread', async () => {
      const m = await messagesOf(platform, admin.token, ticket.id);
      return m.some((x) => x.email?.messageId === 'conv-2@client.example') ? m : undefined;
    });
    expect(afterReply.find((x) => x.email?.messageId === 'conv-2@client.example').threadingRule).toBe(
      'signed_message_id',
    );

    // the agent answers in the console: mailed to the requester from the mailbox, threaded and with the token
    // with a file, which goes along in the mail
    const guide = Buffer.from('1. Unplug it.\n2. Plug it back in.\n');
    const upload = await platform.upload(`/api/v1/tickets/${ticket.id}/attachments`, admin.token, {
      name: 'restart guide.txt',
      type: 'text/plain',
      content: guide,
    });
    expect(upload.status).toBe(201);
    const reply = await platform.api('POST', `/api/v1/tickets/${ticket.id}/messages`, {
      token: admin.token,
      body: { kind: 'public_reply', bodyText: 'Please restart it.', attachmentIds: [upload.body.id] },
    });
    expect(reply.status).toBe(201);
    const agentMail = await smtp.waitFor(
      (m) => to('dana@client.example')(m) && m.parsed.text?.includes('Please restart it.') === true,
      1,
      30_000,
    );
    const mailed = agentMail[0]!;
    expect(
      mailed.parsed.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content.toString(),
      })),
    ).toEqual([{ filename: 'restart guide.txt', contentType: 'text/plain', content: guide.toString() }]);
    expect(tokenIn(mailed.parsed.subject)).toBe(String(ticket.number));
    expect(mailed.header('auto-submitted')).toBeUndefined();
    expect(idOf(mailed.parsed.messageId)).toMatch(/^hd\./);
    const refs = ([] as string[]).concat(mailed.parsed.references ?? []).map(idOf);
    expect(refs).toEqual(expect.arrayContaining(['conv-1@client.example', 'conv-2@client.example']));
    expect(idOf(mailed.parsed.inReplyTo)).not.toBe('');
    expect(smtp.mails.filter(to('dana@client.example'))).toHaveLength(2);

    // and the customer's answer to that one threads back
    await inbox.append(
      rawMail({
        subject: `Re: ${mailed.parsed.subject}`,
        messageId: 'conv-3@client.example',
        inReplyTo: idOf(mailed.parsed.messageId),
      }),
    );
    await waitFor('the third customer mail', async () =>
      (await messagesOf(platform, admin.token, ticket.id)).some(
        (x) => x.email?.messageId === 'conv-3@client.example',
      ),
    );
    expect(
      (await allTickets(platform, admin.token)).filter((t) => t.raisedBy === 'dana@client.example'),
    ).toHaveLength(1);
  });

  it('drops a repeated Message-ID, and takes a mail with a valid token from a stranger as a new, related ticket', async () => {
    const mail = rawMail({
      from: 'erin@client.example',
      subject: 'VPN down',
      messageId: 'dup-1@client.example',
    });
    const first = await pushMail(platform, mailbox, mail);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ duplicate: false, mail: { status: 'done', outcome: 'created' } });
    const again = await pushMail(platform, mailbox, mail);
    expect(again.body).toMatchObject({ duplicate: true, mail: { id: first.body.mail.id } });
    const vpn = (await allTickets(platform, admin.token)).filter((t) => t.title === 'VPN down');
    expect(vpn).toHaveLength(1);

    const stranger = await pushMail(
      platform,
      mailbox,
      rawMail({
        from: 'mallory@evil.example',
        subject: `Re: [#${vpn[0].number}] VPN down`,
        messageId: 'stranger@evil.example',
      }),
    );
    expect(stranger.body.mail).toMatchObject({
      outcome: 'created',
      threadingRule: 'subject_token_untrusted',
    });
    expect(stranger.body.mail.ticketId).not.toBe(vpn[0].id);
    const strangerThread = await messagesOf(platform, admin.token, stranger.body.mail.ticketId);
    expect(strangerThread.some((m) => m.kind === 'system' && m.bodyText.includes(`#${vpn[0].number}`))).toBe(
      true,
    );
    expect(
      (await messagesOf(platform, admin.token, vpn[0].id)).some(
        (m) => m.email?.messageId === 'stranger@evil.example',
      ),
    ).toBe(false);

    // the requester with the token attaches
    const own = await pushMail(
      platform,
      mailbox,
      rawMail({
        from: 'erin@client.example',
        subject: `Re: [#${vpn[0].number}] still down`,
        messageId: 'dup-2@client.example',
      }),
    );
    expect(own.body.mail).toMatchObject({
      outcome: 'appended',
      threadingRule: 'subject_token',
      ticketId: vpn[0].id,
    });
  });

  it('takes a mail sent to two mailboxes of the tenant once: one ticket, one automatic reply', async () => {
    const billingInbox = await imapAccount(imap, 'billing@msp.test', 'imap-billing');
    try {
      const billing = await createMailbox(platform, admin.token, {
        imap: { server: imap, user: 'billing@msp.test', password: 'imap-billing' },
        smtp,
        address: 'billing@msp.test',
        name: 'Billing',
      });
      // one mail to support@ and billing@, delivered into both folders at the same moment
      const both = rawMail({
        from: 'lee@client.example',
        to: 'support@msp.test, billing@msp.test',
        subject: 'Invoice and printer',
        messageId: 'both-1@client.example',
      });
      await Promise.all([inbox.append(both), billingInbox.append(both)]);
      const ticket = await waitFor(
        'the ticket',
        async () => (await allTickets(platform, admin.token)).find((t) => t.title === 'Invoice and printer'),
        60_000,
      );
      for (const account of [inbox, billingInbox]) {
        await waitFor(
          `both copies flagged processed (${account.user})`,
          async () => {
            const lock = await account.client.getMailboxLock('INBOX');
            try {
              const flagged = await account.client.search(
                { keyword: '$HelpdeskProcessed', header: { 'message-id': 'both-1@client.example' } },
                { uid: true },
              );
              return (flagged || []).length === 1;
            } finally {
              lock.release();
            }
          },
          60_000,
        );
      }

      // a copy is flagged only once done: by then a second ticket would exist
      expect(
        (await allTickets(platform, admin.token)).filter((t) => t.title === 'Invoice and printer'),
      ).toHaveLength(1);

      // and pushed to billing@ first, then to support@: the second answers as a duplicate naming the same ticket
      const pushed = rawMail({
        from: 'lee@client.example',
        to: 'billing@msp.test, support@msp.test',
        subject: 'Pushed twice',
        messageId: 'both-2@client.example',
      });
      const first = await pushMail(platform, billing, pushed);
      expect(first.body).toMatchObject({ duplicate: false, mail: { outcome: 'created' } });
      const copy = await pushMail(platform, mailbox, pushed);
      expect(copy.status).toBe(202);
      expect(copy.body).toMatchObject({
        duplicate: true,
        mail: {
          mailboxId: mailbox.id,
          outcome: 'duplicate',
          ticketId: first.body.mail.ticketId,
          duplicateOfId: first.body.mail.id,
        },
      });
      expect(copy.body.mail.id).not.toBe(first.body.mail.id);

      // a later mail's reply proves the copies were decided (events are handled in order): one reply per mail
      await pushMail(
        platform,
        mailbox,
        rawMail({ from: 'mo@client.example', subject: 'Marker two mailboxes' }),
      );
      await smtp.waitFor(to('mo@client.example'), 1, 30_000);
      expect(smtp.mails.filter(to('lee@client.example'))).toHaveLength(2);
      const lees = (await allTickets(platform, admin.token)).filter(
        (t) => t.raisedBy === 'lee@client.example',
      );
      expect(lees.map((t) => t.id).sort()).toEqual([ticket.id, first.body.mail.ticketId].sort());
      expect(
        (await messagesOf(platform, admin.token, ticket.id)).filter((m) => m.kind === 'email_in'),
      ).toHaveLength(1);
    } finally {
      await billingInbox.close();
    }
  });

  it('sends no automatic reply to automatic mail, lists or system senders, but still takes it', async () => {
    const cases = [
      rawMail({
        from: 'ooo@client.example',
        subject: 'Out of office',
        headers: ['Auto-Submitted: auto-replied'],
      }),
      rawMail({
        from: 'news@client.example',
        subject: 'Newsletter',
        headers: ['Precedence: bulk', 'List-Id: <news.client.example>'],
      }),
      rawMail({ from: 'noreply@client.example', subject: 'Your invoice' }),
      rawMail({ from: 'support@msp.test', subject: 'Sent to ourselves' }),
    ];
    for (const raw of cases)
      expect((await pushMail(platform, mailbox, raw)).body.mail).toMatchObject({
        status: 'done',
        outcome: 'created',
      });
    // a mail that does get one, sent after them, proves the others were decided (events are handled in order)
    await pushMail(platform, mailbox, rawMail({ from: 'frank@client.example', subject: 'Marker' }));
    await smtp.waitFor(to('frank@client.example'), 1, 30_000);
    for (const address of ['ooo@client.example', 'news@client.example', 'noreply@client.example']) {
      expect(smtp.mails.filter(to(address))).toEqual([]);
    }
    expect(smtp.mails.filter((m) => m.envelopeTo.includes('support@msp.test'))).toEqual([]);
  });

  it('opens a follow-up for a reply to a closed ticket and redirects a reply to a merged one', async () => {
    const closed = (
      await pushMail(
        platform,
        mailbox,
        rawMail({ from: 'gina@client.example', subject: 'Closed one', messageId: 'closed-1@client.example' }),
      )
    ).body.mail;
    const ticket = (await platform.api('GET', `/api/v1/tickets/${closed.ticketId}`, { token: admin.token }))
      .body;
    for (const status of ['resolved', 'closed']) {
      const res = await platform.api('PATCH', `/api/v1/tickets/${ticket.id}`, {
        token: admin.token,
        body: { status },
        headers: {
          'if-match': String(
            (await platform.api('GET', `/api/v1/tickets/${ticket.id}`, { token: admin.token })).body.version,
          ),
        },
      });
      expect(res.status).toBe(200);
    }
    const followUp = (
      await pushMail(
        platform,
        mailbox,
        rawMail({
          from: 'gina@client.example',
          subject: `Re: [#${ticket.number}] Closed one`,
          inReplyTo: 'closed-1@client.example',
        }),
      )
    ).body.mail;
    expect(followUp.outcome).toBe('follow_up');
    expect(followUp.ticketId).not.toBe(ticket.id);
    const newTicket = (
      await platform.api('GET', `/api/v1/tickets/${followUp.ticketId}`, { token: admin.token })
    ).body;
    expect(newTicket.followUpOfId).toBe(ticket.id);

    const a = (
      await pushMail(
        platform,
        mailbox,
        rawMail({ from: 'hank@client.example', subject: 'Merge me', messageId: 'merge-a@client.example' }),
      )
    ).body.mail;
    const b = (
      await pushMail(
        platform,
        mailbox,
        rawMail({ from: 'hank@client.example', subject: 'Keep me', messageId: 'merge-b@client.example' }),
      )
    ).body.mail;
    const merge = await platform.api('POST', `/api/v1/tickets/${a.ticketId}/merge`, {
      token: admin.token,
      body: { intoTicketId: b.ticketId },
    });
    expect(merge.status).toBe(200);
    // its thread moved: a reply naming its mail lands on the surviving ticket directly
    const byId = (
      await pushMail(
        platform,
        mailbox,
        rawMail({
          from: 'hank@client.example',
          subject: 'Re: Merge me',
          inReplyTo: 'merge-a@client.example',
        }),
      )
    ).body.mail;
    expect(byId).toMatchObject({ outcome: 'appended', ticketId: b.ticketId });
    // its number still names it: the ticket service redirects
    const mergedNumber = (await platform.api('GET', `/api/v1/tickets/${a.ticketId}`, { token: admin.token }))
      .body.number;
    const byToken = (
      await pushMail(
        platform,
        mailbox,
        rawMail({ from: 'hank@client.example', subject: `Re: [#${mergedNumber}] Merge me` }),
      )
    ).body.mail;
    expect(byToken).toMatchObject({
      outcome: 'redirected',
      threadingRule: 'subject_token',
      ticketId: b.ticketId,
    });
  });

  it('keeps malformed MIME as a ticket with what could be read, and the raw source', async () => {
    const broken = Buffer.from(
      'From: ivy@client.example\r\nSubject: Broken MIME\r\nMessage-ID: <broken@client.example>\r\nContent-Type: multipart/mixed; boundary="nope"\r\nContent-Transfer-Encoding: base64\r\n\r\n--wrong\r\n%%%not base64%%%\r\n',
    );
    const res = await pushMail(platform, mailbox, broken);
    expect(res.body.mail).toMatchObject({ status: 'done', outcome: 'created' });
    const [message] = await messagesOf(platform, admin.token, res.body.mail.ticketId);
    const raw = await platform.api('GET', `/api/v1/messages/${message.id}/raw`, { token: admin.token });
    expect(raw.text).toBe(broken.toString());
  });

  it('leaves attachments over the limit out, notes it in the thread and tells the sender', async () => {
    const settings = await platform.api('PATCH', '/api/v1/ticket-settings', {
      token: admin.token,
      body: { attachmentMaxBytes: 4096 },
    });
    expect(settings.status).toBe(200);
    const big = Buffer.alloc(20_000, 1).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(
      [
        'From: jay@client.example',
        'To: support@msp.test',
        'Subject: Logs attached',
        'Message-ID: <big@client.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary=zz',
        '',
        '--zz',
        'Content-Type: text/plain',
        '',
        'See the logs.',
        '--zz',
        'Content-Type: application/zip; name=logs.zip',
        'Content-Disposition: attachment; filename=logs.zip',
        'Content-Transfer-Encoding: base64',
        '',
        big,
        '--zz',
        'Content-Type: text/plain; name=small.txt',
        'Content-Disposition: attachment; filename=small.txt',
        '',
        'tiny',
        '--zz--',
        '',
      ].join('\r\n'),
    );
    const res = await pushMail(platform, mailbox, raw);
    expect(res.body.mail).toMatchObject({ status: 'done', outcome: 'created' });
    const thread = await messagesOf(platform, admin.token, res.body.mail.ticketId);
    expect(thread[0].attachments.map((a: { filename: string }) => a.filename)).toEqual(['small.txt']);
    expect(thread.some((m) => m.kind === 'system' && m.bodyText.includes('logs.zip'))).toBe(true);
    const [notice] = await smtp.waitFor(to('jay@client.example'), 1, 30_000);
    expect(notice!.parsed.text).toContain('logs.zip');
    expect(notice!.header('auto-submitted')).toBe('auto-replied');
    await platform.api('PATCH', '/api/v1/ticket-settings', {
      token: admin.token,
      body: { attachmentMaxBytes: 25 * 1024 * 1024 },
    });
  });

  it('stops a mail loop with an auto-responder within 3 messages', async () => {
    const responder = 'robot@loop.example';
    let answered = 0;
    // a broken auto-responder: answers every mail it gets with a fresh mail of its own, no loop headers
    smtp.onMail(async (mail) => {
      if (!mail.envelopeTo.includes(responder) || answered >= 20) return;
      answered++;
      await pushMail(
        platform,
        mailbox,
        rawMail({
          from: responder,
          subject: `I got your mail (${answered})`,
          body: 'Thank you for your message.',
        }),
      );
    });
    await pushMail(platform, mailbox, rawMail({ from: responder, subject: 'Hello from the robot' }));
    await waitFor(
      'the loop to stop',
      async () => {
        const before = smtp.mails.filter(to(responder)).length;
        await new Promise((r) => setTimeout(r, 4000));
        return before >= 1 && smtp.mails.filter(to(responder)).length === before;
      },
      90_000,
    );
    expect(smtp.mails.filter(to(responder)).length).toBeLessThanOrEqual(3);
    // and every mail it sent was still taken as a ticket
    expect((await allTickets(platform, admin.token)).filter((t) => t.raisedBy === responder).length).toBe(
      answered + 1,
    );
  });

  it('e-mails a portal sign-in link that signs the contact in once, and tells strangers nothing', async () => {
    const contact = await platform.api('POST', '/api/v1/contacts', {
      token: admin.token,
      body: { name: 'Kim', email: 'kim@client.example', portalAccess: 'own' },
    });
    expect(contact.status).toBe(201);
    // contacts know their MSP's portal by its slug, not by its id
    const { slug } = (await platform.api('GET', '/api/v1/tenant', { token: admin.token })).body;
    const asked = await platform.api('POST', '/api/v1/portal/auth/magic-link', {
      body: { tenant: slug, email: 'kim@client.example' },
    });
    expect(asked.status).toBe(202);
    const [mail] = await smtp.waitFor(to('kim@client.example'), 1, 30_000);
    const link = new URL(/https?:\/\/\S+/.exec(mail!.parsed.text ?? '')![0]);
    expect(link.pathname).toBe(`/portal/${slug}/verify`);
    const verify = await platform.api('POST', '/api/v1/portal/auth/verify', {
      body: { tenant: slug, token: link.searchParams.get('token') },
    });
    expect(verify.status).toBe(200);
    expect(verify.body.contact.email).toBe('kim@client.example');
    expect(
      (
        await platform.api('POST', '/api/v1/portal/auth/verify', {
          body: { tenant: slug, token: link.searchParams.get('token') },
        })
      ).status,
    ).toBe(401);

    const unknown = await platform.api('POST', '/api/v1/portal/auth/magic-link', {
      body: { tenant: slug, email: 'nobody@client.example' },
    });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(asked.body);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.mails.filter(to('nobody@client.example'))).toEqual([]);
  });

  it('signs every Message-ID it sends for the ticket it names', () => {
    const sent = smtp.mails.filter((m) => /^\[#\d+\]|Re: \[#\d+\]/.test(m.parsed.subject ?? ''));
    expect(sent.length).toBeGreaterThan(3);
    // the signature itself is checked by mail-ingest on the way back; here: the shape every one of them has
    for (const mail of sent)
      expect(
        verifyMessageId(idOf(mail.parsed.messageId), '00000000-0000-0000-0000-000000000000', [
          'x'.repeat(32),
        ]),
      ).toBeNull();
    for (const mail of sent)
      expect(idOf(mail.parsed.messageId)).toMatch(
        /^hd\.[0-9a-f]{32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}@msp\.test$/,
      );
  });
});
