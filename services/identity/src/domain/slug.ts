// A tenant's slug names its portal (`/portal/<slug>`) and is what contacts type: lowercase letters, digits and
// hyphens, starting and ending with a letter or digit. A uuid-shaped slug is refused: `tenant` in the portal
// sign-in calls is a slug or an id, and must not be both.
export const SLUG_MAX_LENGTH = 63;
const BASE_MAX_LENGTH = 50;
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FALLBACK_SLUG = 'tenant';

/** Why `slug` cannot be a slug, or undefined when it can. */
export function slugProblem(slug: string): string | undefined {
  if (slug.length < 2 || slug.length > SLUG_MAX_LENGTH) return `must be 2-${SLUG_MAX_LENGTH} characters`;
  if (!SLUG_PATTERN.test(slug)) {
    return 'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit';
  }
  if (UUID_SHAPE.test(slug)) return 'must not look like a tenant id';
  return undefined;
}

/** The slug proposed for a tenant name: accents dropped, lowercased, each run of other characters one hyphen. */
export function slugFromName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const cleaned = folded
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, BASE_MAX_LENGTH)
    .replace(/-+$/, '');
  return cleaned.length >= 2 ? cleaned : FALLBACK_SLUG;
}

/** The first of `base`, `base-2`, `base-3`, ... that is not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
