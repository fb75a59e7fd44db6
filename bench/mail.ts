// `npm run bench:mail`: e-mail intake of the whole platform (processes, real Dovecot, real SMTP listener).
//  1. imapflow alone fetching the backlog's sources (the raw limit of this machine's IMAP path), then
//  2. mails per second from IMAP to committed ticket on the same backlog, then
//  3. APPEND → ticket-visible latency with the backlog empty, then
//  4. the input limits: 25 MB inputs, nesting and part counts, the hostile mails of libs/testing
//     (hostile-mail.ts), each parsed in a process of its own. `BENCH_MAIL_ONLY=limits` runs only this part.
// Prints figures beside the goals; asserts nothing (docs/architecture.md "Tests").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { Client } from 'pg';
import { hostileMails, startDovecot, startSmtpSink, waitFor } from '@helpdesk/testing';
import { createMailbox, rawMail } from '../test/support/mail';
import { startTestPlatform } from '../test/support/platform';
import { machineLine } from './cpu';

const BACKLOG = Number(process.env.BENCH_MAIL_BACKLOG ?? 10_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_MAIL_LATENCY_SAMPLES ?? 200);
const GOALS = { rate: 100, p99Ms: 2000, parseMs: 2000, memoryMiB: 256 };
const log = (line = ''): void => console.log(line);
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function backlogMail(i: number): Buffer {
  return rawMail({
    from: process.env.BENCH_MAIL_ONE_SENDER
      ? `customer@client.example`
      : `customer${i % 500}@client${i % 37}.example`,
    subject: `Backlog mail ${i}: printer on floor ${i % 9} is offline`,
    messageId: `bench-${i}@client.example`,
    to: 'bench@msp.test',
    body: `Hello,\r\n\r\nthe printer on floor ${i % 9} has been offline since this morning (${i}).\r\n\r\nRegards`,
  });
}

async function main(): Promise<void> {
  const only = process.env.BENCH_MAIL_ONLY;
  if (only && only !== 'limits') throw new Error('BENCH_MAIL_ONLY takes only "limits"');
  log(`mail intake benchmark · ${machineLine()} · ${only ? 'input limits only' : `backlog ${BACKLOG}`}`);
  if (!only) await platformParts();
  inputLimits();
}

/** Parts 1–3: the whole platform, Dovecot and an SMTP listener. */
async function platformParts(): Promise<void> {
  const [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
  const platform = await startTestPlatform({
    label: 'benchmail',
    env: {
      'mail-ingest': { LOG_LEVEL: 'warn', MAIL_CONCURRENCY: process.env.BENCH_MAIL_CONCURRENCY ?? '16' },
      notification: { LOG_LEVEL: 'warn' },
    },
  });
  const db = new Client({ connectionString: platform.db('mail-ingest').url });
  await db.connect();
  try {
    const admin = await platform.createTenantAndLogin('Bench MSP');
    imap.addUser('bench@msp.test', 'bench-secret');
    const mails = Array.from({ length: BACKLOG }, (_, i) => backlogMail(i));
    const bytes = mails.reduce((n, m) => n + m.length, 0);
    imap.deliver('bench@msp.test', mails);

    // 1. imapflow alone: the same messages, the same server, read-only
    const reader = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'bench@msp.test', pass: 'bench-secret' },
      logger: false,
    });
    await reader.connect();
    await reader.mailboxOpen('INBOX', { readOnly: true });
    let fetched = 0;
    const fetchStart = Date.now();
    for await (const message of reader.fetch('1:*', { uid: true, source: true }))
      if (message.source) fetched++;
    const fetchS = (Date.now() - fetchStart) / 1000;
    await reader.logout();
    log(
      `imapflow alone: fetched ${fetched} sources (${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${fetchS.toFixed(1)} s = ${(fetched / fetchS).toFixed(0)} mails/s`,
    );

    // 2. the platform on the same backlog: from the mailbox's creation to every mail's ticket committed
    const started = Date.now();
    const mailbox = await createMailbox(platform, admin.token, {
      imap: { server: imap, user: 'bench@msp.test', password: 'bench-secret' },
      smtp,
      address: 'bench@msp.test',
    });
    const done = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM inbound_mails WHERE mailbox_id = $1 AND status = 'done'`,
          [mailbox.id],
        )
      ).rows[0]!.n;
    let last = 0;
    await waitFor(
      'the backlog',
      async () => {
        const n = await done();
        if (n - last >= 1000) {
          log(`  ${n} done after ${((Date.now() - started) / 1000).toFixed(0)} s`);
          last = n;
        }
        return n >= BACKLOG;
      },
      60 * 60_000,
    );
    const platformS = (Date.now() - started) / 1000;
    const rate = BACKLOG / platformS;
    log(
      `platform: ${BACKLOG} mails IMAP → committed ticket in ${platformS.toFixed(1)} s = ${rate.toFixed(0)} mails/s (${(rate / (fetched / fetchS)).toFixed(4)}× imapflow alone) · goal ≥ ${GOALS.rate}: ${rate >= GOALS.rate ? 'met' : 'NOT met'}`,
    );

    // 3. latency with the backlog empty: APPEND, then the ticket's mail committed (processed_at)
    const appender = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'bench@msp.test', pass: 'bench-secret' },
      logger: false,
    });
    await appender.connect();
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const id = `latency-${i}@client.example`;
      const before = Date.now();
      await appender.append(
        'INBOX',
        rawMail({
          from: `late${i}@client.example`,
          subject: `latency ${i}`,
          messageId: id,
          to: 'bench@msp.test',
        }),
      );
      const at = await waitFor(
        `latency mail ${i}`,
        async () => {
          const row = (
            await db.query<{ at: Date | null }>(
              `SELECT processed_at AS at FROM inbound_mails WHERE mailbox_id = $1 AND message_id = $2 AND status = 'done'`,
              [mailbox.id, id],
            )
          ).rows[0];
          return row?.at ?? undefined;
        },
        60_000,
      );
      latencies.push(at.getTime() - before);
      await new Promise((r) => setTimeout(r, 50));
    }
    await appender.logout();
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(
      `latency APPEND → ticket committed, backlog empty, ${LATENCY_SAMPLES} mails one at a time: p50 ${p50} ms, p99 ${p99} ms, max ${latencies[latencies.length - 1]} ms · goal p99 ≤ ${GOALS.p99Ms} ms: ${p99 <= GOALS.p99Ms ? 'met' : 'NOT met'}`,
    );
  } finally {
    await db.end();
    await platform.stop();
    await Promise.all([imap.stop(), smtp.stop()]);
  }
}

/** Part 4: each input parsed by a process of its own. */
function inputLimits(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hd-mail-limits-'));
  try {
    const MiB = 1024 * 1024;
    const attachment = Buffer.alloc(Math.floor((25 * MiB - 4096) * 0.74), 7)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const inputs: Record<string, string | Buffer> = {
      '25 MB, one base64 attachment': `From: a@x.example\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`,
      '25 MB, plain text body': `From: a@x.example\r\nSubject: long\r\nContent-Type: text/plain\r\n\r\n${'All work and no play makes Jack a dull boy. '.repeat(Math.floor((25 * MiB) / 44))}\r\n`,
      '25 MB, quoted-printable html': `From: a@x.example\r\nSubject: html\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${'<p>Hello =3D world</p>=\r\n'.repeat(Math.floor((25 * MiB) / 24))}\r\n`,
      '999 parts': wide(999),
      '1,001 parts (refused)': wide(1001),
      '50 levels': nested(50),
      '51 levels (refused)': nested(51),
      '100,000 levels in 25 MB (refused)': nested(100_000),
    };
    // the hostile mails of the system test (test/mail-hostile.sys-spec.ts) but those the rows above already are
    const above = ['depth-under-limit', 'depth-over-limit', 'depth-100000', 'parts-under-limit'];
    for (const hostile of hostileMails({ tag: 'bench', big: true }))
      if (!above.includes(hostile.name)) inputs[`hostile: ${hostile.name}`] = hostile.raw;
    log('');
    log('input limits (one process per input; goal: parsed or refused within 2 s and 256 MiB):');
    for (const [label, content] of Object.entries(inputs)) {
      const file = path.join(dir, 'input.eml');
      writeFileSync(file, content);
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'mail-limits.ts'), file],
        { encoding: 'utf8' },
      );
      const r = JSON.parse(out.trim().split('\n').pop()!) as {
        ms: number;
        peakRssMiB: number;
        rssBeforeMiB: number;
        outcome: string;
      };
      const used = r.peakRssMiB - r.rssBeforeMiB;
      const ok = r.ms <= GOALS.parseMs && used <= GOALS.memoryMiB;
      log(
        `  ${label.padEnd(40)} ${(content.length / MiB).toFixed(1).padStart(5)} MiB  ${r.ms.toFixed(0).padStart(5)} ms  +${used.toFixed(0).padStart(4)} MiB peak  ${r.outcome}  ${ok ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function wide(parts: number): string {
  const each = Array.from(
    { length: parts },
    (_, i) => `--w\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`,
  ).join('');
  return `From: a@x.example\r\nSubject: wide\r\nContent-Type: multipart/mixed; boundary=w\r\n\r\n${each}--w--\r\n`;
}

function nested(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 1; level <= depth; level++) {
    open.push(`Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n`);
    close.unshift(`--b${level}--\r\n`);
  }
  return `From: a@x.example\r\nSubject: deep\r\n${open.join('')}Content-Type: text/plain\r\n\r\nhello\r\n${close.join('')}`;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
