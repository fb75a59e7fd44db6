// Keyset pagination cursors: what a page continues after (its last item's sort key and id), as opaque base64url
// JSON so that clients never build one themselves.

/** Where a page ends: the sort instant and the id of its last item. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid');
    this.name = 'InvalidCursorError';
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An 8-4-4-4-12 hex id, as PostgreSQL's uuid type accepts it. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Any small object as an opaque cursor. */
export function encodeOpaque(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The object inside a cursor of {@link encodeOpaque}; {@link InvalidCursorError} for anything that is not one. */
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

/** A timestamp as a cursor stores it: the exact ISO string, or {@link InvalidCursorError}. */
export function cursorDate(value: unknown): Date {
  if (typeof value !== 'string') throw new InvalidCursorError();
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== value) throw new InvalidCursorError();
  return date;
}

/** An id as a cursor stores it (lower-cased), or {@link InvalidCursorError}. */
export function cursorUuid(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new InvalidCursorError();
  return value.toLowerCase();
}

export function encodeKeysetCursor(position: KeysetPosition): string {
  return encodeOpaque({ a: position.at.toISOString(), i: position.id });
}

/** The position a cursor of {@link encodeKeysetCursor} names; throws {@link InvalidCursorError} for anything else. */
export function decodeKeysetCursor(raw: string): KeysetPosition {
  const { a, i } = decodeOpaque(raw, 512);
  return { at: cursorDate(a), id: cursorUuid(i) };
}

/** Cursor of lists ordered by an insertion sequence (a thread, a history). */
export function encodeSeqCursor(seq: bigint): string {
  return encodeOpaque({ s: seq.toString() });
}

export function decodeSeqCursor(raw: string): bigint {
  const { s } = decodeOpaque(raw);
  if (typeof s !== 'string' || !/^\d{1,19}$/.test(s)) throw new InvalidCursorError();
  return BigInt(s);
}
