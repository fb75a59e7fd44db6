// Helpers shared by the use cases: validation errors, pages, ids; versions and patches come from @helpdesk/platform.
import { invalidArgument, notFound } from '@helpdesk/platform';
import type { z } from 'zod';
import { decodeCursor, encodeCursor, isUuid, type CreatedCursor } from '../domain';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Parses with `schema`; every issue becomes INVALID_ARGUMENT naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
  throw invalidArgument(
    issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
    issues,
  );
}

export interface PageArgs {
  limit: number;
  after: CreatedCursor | undefined;
}

export function pageArgs(limit: number | undefined, cursor: string | undefined): PageArgs {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidArgument(`limit must be between 1 and ${MAX_PAGE_SIZE}`, [
      { path: ['page', 'limit'], message: 'out of range' },
    ]);
  }
  return { limit: size, after: cursor ? decodeCursor(cursor) : undefined };
}

/** Cuts the one extra row a list read asks for into a page and the cursor of the next one. */
export function toPage<T extends CreatedCursor>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** An id that cannot exist is simply not found. */
export function requireUuidOrNotFound(id: string, what: string): string {
  if (!isUuid(id)) throw notFound(what);
  return id.toLowerCase();
}
