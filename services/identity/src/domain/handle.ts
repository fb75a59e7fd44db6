// Handles are what follows `@` in a mention: lowercase, no spaces, and no trailing punctuation so that
// "thanks @anna." still mentions `anna`.
export const HANDLE_MAX_LENGTH = 32;
const HANDLE_PATTERN = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;
const FALLBACK_HANDLE = 'user';

export function isValidHandle(handle: string): boolean {
  return handle.length <= HANDLE_MAX_LENGTH && HANDLE_PATTERN.test(handle);
}

/** The handle proposed for an e-mail address: its local part, lowercased, reduced to handle characters. */
export function deriveHandle(email: string): string {
  const at = email.lastIndexOf('@');
  const local = (at >= 0 ? email.slice(0, at) : email).toLowerCase();
  // Sub-addressing (`anna+helpdesk@`) names the same person.
  const base = local.split('+')[0] ?? '';
  const cleaned = base
    .replace(/[^a-z0-9._-]+/g, '')
    .slice(0, HANDLE_MAX_LENGTH)
    .replace(/^[._-]+|[._-]+$/g, '');
  return cleaned.length > 0 ? cleaned : FALLBACK_HANDLE;
}

/** The first of `base`, `base2`, `base3`, ... that is not in `taken`, kept within the length limit. */
export function firstFreeHandle(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = String(n);
    const candidate = `${base.slice(0, HANDLE_MAX_LENGTH - suffix.length).replace(/[._-]+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
