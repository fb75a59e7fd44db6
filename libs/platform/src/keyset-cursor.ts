// Keyset pagination cursors: the (instant, id) of the last item of a page, as opaque base64url JSON so that
// clients never build one themselves. The list is ordered by that instant and then by id.

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

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ a: position.at.toISOString(), i: position.id }), 'utf8').toString(
    'base64url',
  );
}

/** The position a cursor of {@link encodeKeysetCursor} names; throws {@link InvalidCursorError} for anything else. */
export function decodeKeysetCursor(raw: string): KeysetPosition {
  // base64url decoding never throws; it silently skips foreign characters, so the alphabet is checked first
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || raw.length > 512) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const { a, i } = parsed as { a?: unknown; i?: unknown };
  if (typeof a !== 'string' || typeof i !== 'string' || !isUuid(i)) throw new InvalidCursorError();
  const at = new Date(a);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== a) throw new InvalidCursorError();
  return { at, id: i.toLowerCase() };
}
