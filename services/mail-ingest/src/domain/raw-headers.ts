// The top header block of a raw message, read without a MIME parser: enough to dedupe before storing and to
// build a ticket from a message no parser can read.
import { storableText } from './storable-text';

const MAX_HEADER_BYTES = 256 * 1024;

/** Lower-case header name → raw (unfolded, undecoded) values in order. */
export function readTopHeaders(raw: Buffer): Map<string, string[]> {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const endMatch = /\r?\n\r?\n/.exec(head);
  const block = endMatch ? head.slice(0, endMatch.index) : head;
  const headers = new Map<string, string[]>();
  let current: { name: string; value: string } | null = null;
  const flush = () => {
    if (!current) return;
    const list = headers.get(current.name) ?? [];
    list.push(storableText(current.value.trim()));
    headers.set(current.name, list);
    current = null;
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    current = {
      name: storableText(line.slice(0, colon).trim().toLowerCase()),
      value: line.slice(colon + 1),
    };
  }
  flush();
  return headers;
}

/** The Message-ID of the top header block, without brackets; null when absent or empty. */
export function messageIdOf(headers: Map<string, string[]>): string | null {
  const value = headers.get('message-id')?.[0];
  if (!value) return null;
  const match = /<([^<>\s]+)>/.exec(value) ?? /([^<>\s]+@[^<>\s]+)/.exec(value);
  const id = (match?.[1] ?? value).trim();
  return id.length > 0 && id.length <= 998 ? id : null;
}

/** Everything up to and including the blank line after the top headers (a message with no body). */
export function headerBlockOf(raw: Buffer): Buffer {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  const end = match ? match.index + match[0].length : text.length;
  return Buffer.concat([raw.subarray(0, end), Buffer.from('\r\n')]);
}
