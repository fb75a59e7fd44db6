// Keyset cursor of the newest-first entry lists: the (startedAt, id) of the last item of a page, as opaque
// base64url JSON so that clients never build one themselves.

export interface EntryCursor {
  startedAt: Date;
  id: string;
}

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

export function encodeEntryCursor(cursor: EntryCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.startedAt.toISOString(), i: cursor.id }), 'utf8').toString(
    'base64url',
  );
}

export function decodeEntryCursor(raw: string): EntryCursor {
  // base64url decoding never throws; it silently skips foreign characters, so the alphabet is checked first
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || raw.length > 512) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const { s, i } = parsed as { s?: unknown; i?: unknown };
  if (typeof s !== 'string' || typeof i !== 'string' || !isUuid(i)) throw new InvalidCursorError();
  const startedAt = new Date(s);
  if (Number.isNaN(startedAt.getTime()) || startedAt.toISOString() !== s) throw new InvalidCursorError();
  return { startedAt, id: i.toLowerCase() };
}
