// Every message of the e-mail corpus (test/fixtures/mail-corpus, MIT licence) through the pipeline of a running
// platform: each becomes a ticket or a message with its raw source kept (or is the repeat of a corpus mail with
// the same Message-ID, taken once), none crashes the service, and what a reader sees matches the mail.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { mailCorpusDir, startSmtpSink, type SmtpSink } from '@helpdesk/testing';
import { allTickets, createMailbox, messagesOf, pushMail } from './support/mail';
import { startTestPlatform, type TenantSession, type TestPlatform } from './support/platform';

const corpus = mailCorpusDir();
const groups = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const filesOf = (group: string) =>
  readdirSync(path.join(corpus, group))
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => ({ group, name: f, raw: readFileSync(path.join(corpus, group, f)) }));
const CHECKED = ['plain_emails', 'mime_emails', 'attachment_emails', 'multi_charset'];

describe('the e-mail corpus through the pipeline', () => {
  let platform: TestPlatform;
  let smtp: SmtpSink;
  let admin: TenantSession;
  let mailbox: { id: string; intakeToken: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
  const results = new Map<string, any>();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    platform = await startTestPlatform({ label: 'corpus' });
    admin = await platform.createTenantAndLogin('Corpus MSP');
    mailbox = await createMailbox(platform, admin.token, { smtp, address: 'help@corpus.test' });
  });

  afterAll(async () => {
    await platform?.stop();
    await smtp?.stop();
  });

  it('finds the corpus groups', () => {
    expect(groups).toEqual(expect.arrayContaining([...CHECKED, 'error_emails', 'multipart_report_emails']));
  });

  it.each(groups.filter((g) => g !== 'multipart_report_emails'))('takes every mail of %s', async (group) => {
    for (const file of filesOf(group)) {
      const res = await pushMail(platform, mailbox, file.raw);
      expect({ file: file.name, status: res.status }).toEqual({ file: file.name, status: 202 });
      results.set(`${group}/${file.name}`, res.body);
      if (res.body.duplicate) continue;
      expect({ file: file.name, ...res.body.mail }).toMatchObject({ file: file.name, status: 'done' });
      if (res.body.mail.outcome === 'bounce_unmatched') {
        // a delivery report about a mail that was never ours: no ticket
        // (docs/product/email.md), its record and source kept
        expect(file.raw.toString('latin1')).toMatch(
          /multipart\/report|^Return-Path: <>|^X-Failed-Recipients/im,
        );
        expect(
          (await platform.api('GET', `/api/v1/mail/inbound/${res.body.mail.id}`, { token: admin.token })).body
            .size,
        ).toBe(file.raw.length);
        continue;
      }
      expect(res.body.mail.ticketId).toBeTruthy();
      expect(res.body.mail.ticketMessageId).toBeTruthy();
      // the raw source is kept, byte for byte
      const raw = await platform.api('GET', `/api/v1/messages/${res.body.mail.ticketMessageId}/raw`, {
        token: admin.token,
      });
      expect(raw.status).toBe(200);
      expect(
        Buffer.from(
          await (
            await fetch(`${platform.base}/api/v1/messages/${res.body.mail.ticketMessageId}/raw`, {
              headers: { authorization: `Bearer ${admin.token}` },
            })
          ).arrayBuffer(),
        ).equals(file.raw),
      ).toBe(true);
    }
  });

  it('drops only repeats of an earlier corpus mail with the same Message-ID', async () => {
    for (const [key, body] of results) {
      if (!body.duplicate) continue;
      const earlier = [...results.entries()].find(
        ([k, b]) => k !== key && !b.duplicate && b.mail.id === body.mail.id,
      );
      expect({ key, earlierHasIt: Boolean(earlier) }).toEqual({ key, earlierHasIt: true });
    }
  });

  it.each(CHECKED)('keeps subject, sender and attachment names of %s', async (group) => {
    for (const file of filesOf(group)) {
      const body = results.get(`${group}/${file.name}`);
      if (body.duplicate || body.mail.outcome === 'bounce_unmatched') continue;
      const expected = await simpleParser(file.raw);
      const thread = await messagesOf(platform, admin.token, body.mail.ticketId);
      const message = thread.find((m) => m.id === body.mail.ticketMessageId);
      const label = `${group}/${file.name}`;
      expect({ label, subject: message.email.subject ?? '' }).toEqual({
        label,
        subject: (expected.subject ?? '').replace(/[\r\n]+/g, ' ').trim(),
      });
      const sender = (
        Array.isArray(expected.from) ? expected.from[0] : expected.from
      )?.value[0]?.address?.toLowerCase();
      if (sender) expect({ label, from: message.email.from }).toEqual({ label, from: sender });
      const names = message.attachments.map((a: { filename: string }) => a.filename);
      const wanted = expected.attachments.map(
        (a, i) => a.filename?.trim() || new RegExp(`^attachment-${i + 1}\\.`),
      );
      expect({ label, count: names.length }).toEqual({ label, count: wanted.length });
      wanted.forEach((w, i) =>
        expect({ label, name: names[i] }).toEqual({
          label,
          name: typeof w === 'string' ? w : expect.stringMatching(w),
        }),
      );
    }
  });

  it('reads charsets and encoded names right', async () => {
    const subjectOf = async (key: string) => {
      const body = results.get(key);
      expect({ key, duplicate: body.duplicate }).toEqual({ key, duplicate: false });
      const thread = await messagesOf(platform, admin.token, body.mail.ticketId);
      return thread.find((m) => m.id === body.mail.ticketMessageId);
    };
    expect((await subjectOf('multi_charset/japanese_iso_2022.eml')).email.subject).toBe('まみむめも');
    expect((await subjectOf('multi_charset/japanese_attachment.eml')).attachments[0].filename).toBe(
      'てすと.txt',
    );
    expect((await subjectOf('multi_charset/japanese_attachment_long_name.eml')).attachments[0].filename).toBe(
      'かきくけこかきくけこかきくけこかきくけこかきくけこ.txt',
    );
    expect((await subjectOf('multi_charset/ks_c_5601-1987.eml')).email.from).toBe('from@example.com');
    expect((await subjectOf('attachment_emails/attachment_with_quoted_filename.eml')).email.subject).toBe(
      'Eelanalüüsi päring',
    );
  });

  it('treats every multipart report as a bounce: on the ticket of the bounced mail, the address marked, no ticket', async () => {
    const files = filesOf('multipart_report_emails');
    // the tickets the bounced mails belong to: their Message-IDs are in the returned parts of the reports
    for (const file of files) {
      const ids = [...file.raw.toString('latin1').matchAll(/^message-id:\s*<([^>]+)>/gim)]
        .map((m) => m[1]!)
        .slice(1);
      for (const id of ids)
        await pushMail(
          platform,
          mailbox,
          Buffer.from(
            `From: sender@corpus.test\r\nSubject: sent ${id}\r\nMessage-ID: <${id}>\r\n\r\nthe mail that bounced\r\n`,
          ),
        );
    }
    const contact = await platform.api('POST', '/api/v1/contacts', {
      token: admin.token,
      body: { name: 'Edwin', email: 'edwin@zzzzzzz.com' },
    });
    expect(contact.status).toBe(201);
    const ticketsBefore = (await allTickets(platform, admin.token)).length;
    const sentBefore = smtp.mails.length;

    for (const file of files) {
      const res = await pushMail(platform, mailbox, file.raw);
      if (res.body.duplicate) continue;
      expect({ file: file.name, status: res.body.mail.status, outcome: res.body.mail.outcome }).toEqual({
        file: file.name,
        status: 'done',
        outcome: 'bounce',
      });
      const thread = await messagesOf(platform, admin.token, res.body.mail.ticketId);
      const note = thread.find((m) => m.id === res.body.mail.ticketMessageId);
      expect(note).toMatchObject({ kind: 'system', email: { hasRaw: true } });
    }
    expect((await allTickets(platform, admin.token)).length).toBe(ticketsBefore);
    const edwin = await platform.api('GET', `/api/v1/contacts/${contact.body.id}`, { token: admin.token });
    expect(edwin.body.emailBouncing).toBe(true);
    // no reply to a bounce: nothing more was sent than the automatic replies to the seed mails' sender (none: same sender)
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.mails.slice(sentBefore).filter((m) => !m.envelopeTo.includes('sender@corpus.test'))).toEqual(
      [],
    );
  });

  it('left nothing in quarantine and the services running', async () => {
    const quarantine = await platform.api('GET', '/api/v1/mail/quarantine', { token: admin.token });
    expect(quarantine.body.items).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${platform.ports['mail-ingest']!.health}/readyz`)).status).toBe(
      200,
    );
    expect(platform.procs['mail-ingest']!.child.exitCode).toBeNull();
  });
});
