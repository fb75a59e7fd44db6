// Address rules shared by intake and outbound mail.

/** Lower-cased address with surrounding brackets and spaces removed. */
export function normalizeAddress(address: string): string {
  return address.trim().replace(/^<|>$/g, '').trim().toLowerCase();
}

const SYSTEM_LOCAL_PARTS =
  /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|noreply-.*|bounces?(\+.*)?|mail-daemon)$/i;

/** Mailer-daemon, postmaster and no-reply addresses: never sent an automatic reply (docs/product/email.md). */
export function isSystemAddress(address: string): boolean {
  const local = normalizeAddress(address).split('@')[0] ?? '';
  return SYSTEM_LOCAL_PARTS.test(local);
}

/** The domain of an address, lower-cased; empty when there is none. */
export function domainOf(address: string): string {
  const normalized = normalizeAddress(address);
  const at = normalized.lastIndexOf('@');
  return at < 0 ? '' : normalized.slice(at + 1);
}
