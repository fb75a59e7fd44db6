// Opaque keyset cursors: what a page continues after, as base64url JSON so that clients never build one themselves.

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid');
    this.name = 'InvalidCursorError';
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

export function encodeOpaque(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The object inside a cursor; InvalidCursorError for anything that is not one of ours. */
export function decodeOpaque(raw: string, maxLength = 1024): Record<string, unknown> {
  // base64url decoding never throws; it silently skips foreign characters, so the alphabet is checked first
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || raw.length > maxLength) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidCursorError();
  return parsed as Record<string, unknown>;
}

/** Cursor of lists ordered by an insertion sequence (thread, history). */
export function encodeSeqCursor(seq: bigint): string {
  return encodeOpaque({ s: seq.toString() });
}

export function decodeSeqCursor(raw: string): bigint {
  const { s } = decodeOpaque(raw);
  if (typeof s !== 'string' || !/^\d{1,19}$/.test(s)) throw new InvalidCursorError();
  return BigInt(s);
}

/** A timestamp as a cursor stores it: the exact ISO string, or InvalidCursorError. */
export function cursorDate(value: unknown): Date {
  if (typeof value !== 'string') throw new InvalidCursorError();
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== value) throw new InvalidCursorError();
  return date;
}

export function cursorUuid(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new InvalidCursorError();
  return value.toLowerCase();
}
