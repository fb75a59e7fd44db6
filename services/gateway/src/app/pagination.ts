import type { commonV1 } from '@helpdesk/contracts';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

/** A REST list page: `{items, nextCursor}`, with `null` once there is nothing more. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function toPageRequest(query: PageQuery): commonV1.PageRequest {
  return { limit: query.limit, cursor: query.cursor ?? '' };
}

// proto3 has no null: an empty next_cursor means the last page.
export function toPage<S, T>(response: { items: S[]; nextCursor: string }, map: (item: S) => T): Page<T> {
  return {
    items: response.items.map(map),
    nextCursor: response.nextCursor === '' ? null : response.nextCursor,
  };
}
