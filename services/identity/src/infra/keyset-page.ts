import type { PagePosition } from '../domain/page-cursor';
import type { Page, PageQuery } from '../app/ports';

/** Prisma `where` for rows after a (createdAt, id) position, matching `ORDER BY created_at, id`. */
export function afterPosition(after: PagePosition | undefined) {
  if (!after) return {};
  return {
    OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }],
  };
}

export const keysetOrder = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/** Rows were fetched with `take: limit + 1`; the extra row only says that another page exists. */
export function toPage<R extends { createdAt: Date; id: string }, T>(
  rows: R[],
  page: PageQuery,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return rows.length > page.limit && last
    ? { items: items.map(map), next: { createdAt: last.createdAt, id: last.id } }
    : { items: items.map(map) };
}
