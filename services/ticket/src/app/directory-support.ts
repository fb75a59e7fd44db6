// Helpers shared by the directory use cases: rule errors → INVALID_ARGUMENT, page arguments, versions.
import { conflict, invalidArgument, notFound } from '@helpdesk/platform';
export { ruled } from './rule-errors';
import { InvalidCursorError, isUuid } from '../domain/cursor';
import { decodeNameCursor, sortKey, type NameCursor } from '../domain/directory';

export const DEFAULT_DIRECTORY_PAGE_SIZE = 50;
export const MAX_DIRECTORY_PAGE_SIZE = 200;

export interface PageArgs {
  limit: number;
  after: NameCursor | undefined;
}

export function pageArgs(limit: number | undefined, cursor: string | undefined): PageArgs {
  const size = limit ?? DEFAULT_DIRECTORY_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_DIRECTORY_PAGE_SIZE) {
    throw invalidArgument(`limit must be between 1 and ${MAX_DIRECTORY_PAGE_SIZE}`, [
      { path: ['page', 'limit'], message: 'out of range' },
    ]);
  }
  if (!cursor) return { limit: size, after: undefined };
  try {
    return { limit: size, after: decodeNameCursor(cursor) };
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw invalidArgument(err.message, [{ path: ['page', 'cursor'], message: err.message }]);
    }
    throw err;
  }
}

/** Cuts the one extra row a list read asks for into a page and the cursor of the next one. */
export function toPage<T extends { name: string; id: string }>(
  rows: T[],
  limit: number,
  encode: (cursor: NameCursor) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encode({ name: sortKey(last.name), id: last.id }) : null,
  };
}

/** An id that cannot exist is simply not found; passing it on would make PostgreSQL reject the uuid cast. */
export function requireUuidOrNotFound(id: string, what: string): string {
  if (!isUuid(id)) throw notFound(what);
  return id.toLowerCase();
}

/** If-Match: the caller's version must still be the stored one. */
export function checkVersion(what: string, expected: number | undefined, current: number): void {
  if (expected !== undefined && expected !== current) {
    throw conflict(`${what} was changed by someone else (version ${current}, not ${expected})`, {
      currentVersion: current,
    });
  }
}

export function staleWrite(what: string): Error {
  return conflict(`${what} was changed by someone else; read it again and retry`);
}

/** Keeps the old value when the patch leaves a field out. */
export function patched<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}
