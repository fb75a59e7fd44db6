// Keyset cursor of the newest-first ticket list: the (openedAt, id) of the last item of a page,
// as opaque base64url JSON so that clients never build one themselves.

export interface TicketCursor {
  openedAt: Date;
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

export function encodeCursor(cursor: TicketCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.openedAt.toISOString(), i: cursor.id }), 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(raw: string): TicketCursor {
  // base64url decoding never throws; it silently skips foreign characters, so the alphabet is checked first
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || raw.length > 512) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const { o, i } = parsed as { o?: unknown; i?: unknown };
  if (typeof o !== 'string' || typeof i !== 'string' || !isUuid(i)) throw new InvalidCursorError();
  const openedAt = new Date(o);
  if (Number.isNaN(openedAt.getTime()) || openedAt.toISOString() !== o) throw new InvalidCursorError();
  return { openedAt, id: i.toLowerCase() };
}
