import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { mailCorpusDir } from '@helpdesk/testing';
import fc from 'fast-check';
import { scanMimeStructure } from './mime-structure';

const limits = { maxDepth: 50, maxParts: 1000 };

function nested(depth: number): string {
  let body = 'Content-Type: text/plain\r\n\r\nhello\r\n';
  for (let level = depth; level >= 1; level--) {
    body = `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n${body}--b${level}--\r\n`;
  }
  return `From: a@x.example\r\nSubject: deep\r\n${body}`;
}

function wide(parts: number): string {
  const each = Array.from(
    { length: parts },
    (_, i) => `--w\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`,
  ).join('');
  return `From: a@x.example\r\nContent-Type: multipart/mixed; boundary=w\r\n\r\n${each}--w--\r\n`;
}

describe('MIME structure scan', () => {
  it('counts depth and parts of nested multiparts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 49 }), (depth) => {
        const result = scanMimeStructure(Buffer.from(nested(depth)), limits);
        expect(result).toEqual({ parts: depth + 1, depth, exceeded: null });
      }),
    );
  });

  it('refuses nesting deeper than the limit and more parts than the limit', () => {
    expect(scanMimeStructure(Buffer.from(nested(51)), limits).exceeded).toBe('depth');
    expect(scanMimeStructure(Buffer.from(nested(50)), limits).exceeded).toBeNull();
    expect(scanMimeStructure(Buffer.from(wide(999)), limits).exceeded).toBeNull();
    expect(scanMimeStructure(Buffer.from(wide(1000)), limits).exceeded).toBe('parts');
  });

  it('counts embedded messages as a level', () => {
    const inner =
      'Content-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nx\r\n--in--\r\n';
    const raw = `Content-Type: multipart/mixed; boundary=out\r\n\r\n--out\r\nContent-Type: message/rfc822\r\n\r\n${inner}--out--\r\n`;
    expect(scanMimeStructure(Buffer.from(raw), limits)).toEqual({ parts: 3, depth: 3, exceeded: null });
  });

  it('keeps every mail of the corpus within the limits', () => {
    const root = mailCorpusDir();
    const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
    let files = 0;
    for (const dir of dirs) {
      for (const file of readdirSync(path.join(root, dir.name))) {
        files++;
        expect(scanMimeStructure(readFileSync(path.join(root, dir.name, file)), limits).exceeded).toBeNull();
      }
    }
    expect(files).toBeGreaterThan(90);
  });

  it('finds a folded Content-Type among 100,000 other headers', () => {
    const filler = Array.from({ length: 100_000 }, (_, i) => `X-Filler-${i}: value\r\n`).join('');
    const raw = `From: a@x.example\r\n${filler}Content-Type:\r\n multipart/mixed;\r\n\tboundary=w\r\n${filler}\r\n--w\r\n\r\none\r\n--w\r\n\r\ntwo\r\n--w--\r\n`;
    expect(scanMimeStructure(Buffer.from(raw), limits)).toEqual({ parts: 3, depth: 1, exceeded: null });
  });
});
