// One input through the intake parser in a process of its own, so that its time and memory are its alone:
// `node --import tsx bench/mail-limits.ts <file>` prints JSON {ms, rssMiB, heapMiB, outcome}.
import { readFileSync } from 'node:fs';
import { scanMimeStructure } from '../services/mail-ingest/src/domain/mime-structure';
import { MailparserAdapter } from '../services/mail-ingest/src/infra/mailparser.adapter';

async function main(): Promise<void> {
  const raw = readFileSync(process.argv[2]!);
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const structure = scanMimeStructure(raw, { maxDepth: 50, maxParts: 1000 });
  let outcome: string;
  if (structure.exceeded) {
    outcome = `refused (${structure.exceeded}: ${structure.exceeded === 'depth' ? structure.depth : structure.parts})`;
  } else {
    const mail = await new MailparserAdapter().parse(raw);
    outcome = `parsed (${structure.parts} parts, ${mail.attachments.length} attachments, ${mail.text.length} text chars)`;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({ ms, peakRssMiB: usage.maxRSS / 1024, rssBeforeMiB: rssBefore / 1024 / 1024, outcome })}\n`,
  );
}

void main();
