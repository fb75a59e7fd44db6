// Page arguments of the ticket service's lists: limit 1..200 (50 by default) and an opaque cursor.
import { decodeSeqCursor, invalidArgument, InvalidCursorError } from '@helpdesk/platform';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageLimit(limit: number | undefined): number {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`limit must be between 1 and ${MAX_PAGE_SIZE}`, [
      { path: ['page', 'limit'], message: 'out of range' },
    ]);
  }
  return size;
}

/** Decodes a cursor with `decode`; a forged or foreign one is INVALID_ARGUMENT. */
export function pageCursor<T>(cursor: string | undefined, decode: (raw: string) => T): T | undefined {
  if (!cursor) return undefined;
  try {
    return decode(cursor);
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw invalidArgument(err.message, [{ path: ['page', 'cursor'], message: err.message }]);
    }
    throw err;
  }
}

export const seqCursor = (cursor: string | undefined): bigint | undefined =>
  pageCursor(cursor, decodeSeqCursor);
