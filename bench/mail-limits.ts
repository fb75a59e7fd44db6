// One input through the intake's CPU work in a process of its own, so that its time and memory are its alone:
// `node --import tsx bench/mail-limits.ts <file>` prints JSON {ms, peakRssMiB, rssBeforeMiB, outcome}. The steps
// are the pipeline's: the top headers and hash of intake (dedupe key), the structure scan, then mailparser on the
// whole mail, or on its header block when the scan refuses it.
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../services/mail-ingest/src/domain/inbound-mail';
import { scanMimeStructure } from '../services/mail-ingest/src/domain/mime-structure';
import { headerBlockOf, messageIdOf, readTopHeaders } from '../services/mail-ingest/src/domain/raw-headers';
import { MailparserAdapter } from '../services/mail-ingest/src/infra/mailparser.adapter';

async function main(): Promise<void> {
  const raw = readFileSync(process.argv[2]!);
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  messageIdOf(readTopHeaders(raw));
  sha256Hex(raw);
  const structure = scanMimeStructure(raw, { maxDepth: 50, maxParts: 1000 });
  let outcome: string;
  if (structure.exceeded) {
    const mail = await new MailparserAdapter().parse(headerBlockOf(raw));
    outcome = `refused (${structure.exceeded}: ${structure.exceeded === 'depth' ? structure.depth : structure.parts}), from ${mail.from ? 'read' : 'unread'}`;
  } else {
    const mail = await new MailparserAdapter().parse(raw);
    outcome = `parsed (${structure.parts} parts, ${mail.attachments.length} attachments, ${mail.text.length} text chars, from ${mail.from ? 'read' : 'unread'}${mail.notes.length ? ', headers only' : ''})`;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({ ms, peakRssMiB: usage.maxRSS / 1024, rssBeforeMiB: rssBefore / 1024 / 1024, outcome })}\n`,
  );
}

void main();
