// Keyset cursor of the name-ordered directory lists: the (name, id) of a page's last item.
import { cursorUuid, decodeOpaque, encodeOpaque, InvalidCursorError } from '../cursor';
import type { NameCursor } from './entities';

export function encodeNameCursor(cursor: NameCursor): string {
  return encodeOpaque({ n: cursor.name, i: cursor.id });
}

export function decodeNameCursor(raw: string): NameCursor {
  const { n, i } = decodeOpaque(raw);
  if (typeof n !== 'string' || n.length > 400) throw new InvalidCursorError();
  return { name: n, id: cursorUuid(i) };
}
