// Keyset cursor of the creation-ordered lists (calendars, policies): the (createdAt, id) of a page's last item,
// as opaque base64url JSON so that clients never build one themselves.
import { invalidArgument } from '@helpdesk/platform';

export interface CreatedCursor {
  readonly createdAt: Date;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCursor(cursor: CreatedCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.createdAt.toISOString(), i: cursor.id }), 'utf8').toString(
    'base64url',
  );
}

/** Throws INVALID_ARGUMENT for anything this module did not encode. */
export function decodeCursor(raw: string): CreatedCursor {
  const invalid = () =>
    invalidArgument('cursor is not valid', [{ path: ['page', 'cursor'], message: 'invalid' }]);
  // base64url decoding never throws; it silently skips foreign characters, so the alphabet is checked first
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || raw.length > 512) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { t, i } = (parsed ?? {}) as { t?: unknown; i?: unknown };
  const createdAt = typeof t === 'string' ? new Date(t) : undefined;
  if (!createdAt || Number.isNaN(createdAt.getTime()) || typeof i !== 'string' || !isUuid(i)) throw invalid();
  return { createdAt, id: i.toLowerCase() };
}
