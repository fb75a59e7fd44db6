// Keyset cursor of the name-ordered directory lists: the (name, id) of a page's last item, as opaque
// base64url JSON so that clients never build one themselves.
import { InvalidCursorError, isUuid } from '../cursor';
import type { NameCursor } from './entities';

export function encodeNameCursor(cursor: NameCursor): string {
  return Buffer.from(JSON.stringify({ n: cursor.name, i: cursor.id }), 'utf8').toString('base64url');
}

export function decodeNameCursor(raw: string): NameCursor {
  // base64url decoding never throws; it silently skips foreign characters, so the alphabet is checked first
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || raw.length > 1024) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const { n, i } = parsed as { n?: unknown; i?: unknown };
  if (typeof n !== 'string' || n.length > 400 || typeof i !== 'string' || !isUuid(i)) {
    throw new InvalidCursorError();
  }
  return { name: n, id: i.toLowerCase() };
}
