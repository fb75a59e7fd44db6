// Clients and contacts of a tenant's directory: their value rules. Pure: no I/O, no framework imports.

export const PORTAL_ACCESS_LEVELS = ['none', 'own', 'client'] as const;
/** What a contact sees in the portal: nothing, their own tickets, or every ticket of their client. */
export type PortalAccess = (typeof PORTAL_ACCESS_LEVELS)[number];
export const DEFAULT_PORTAL_ACCESS: PortalAccess = 'none';

export const NAME_MAX_LENGTH = 200;
export const NOTES_MAX_LENGTH = 10_000;
export const PHONE_MAX_LENGTH = 50;
export const EMAIL_MAX_LENGTH = 320;
export const DOMAINS_MAX = 50;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** A value the directory refuses; `field` names it for the caller's error details. */
export class DirectoryRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryRuleError';
  }
}

// RFC 1035 labels (letters, digits, inner hyphens; punycode for IDNs), at least two of them.
const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** `@Acme.COM.` → `acme.com`; throws for anything that is not a host name with a dot. */
export function normalizeDomain(raw: string, field = 'domains'): string {
  const domain = raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  const labels = domain.split('.');
  if (
    domain.length === 0 ||
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => LABEL_RE.test(l))
  ) {
    throw new DirectoryRuleError(field, `"${raw.slice(0, 100)}" is not an e-mail domain`);
  }
  // a top-level label is never all digits: this keeps IP addresses out
  if (/^\d+$/.test(labels[labels.length - 1]!)) {
    throw new DirectoryRuleError(field, `"${raw.slice(0, 100)}" is not an e-mail domain`);
  }
  return domain;
}

/** Normalizes every domain and drops repeats, keeping the caller's order. */
export function normalizeDomains(raw: readonly string[]): string[] {
  if (raw.length > DOMAINS_MAX) throw new DirectoryRuleError('domains', `at most ${DOMAINS_MAX} domains`);
  return [...new Set(raw.map((d) => normalizeDomain(d)))];
}

// Deliberately loose on the local part (quoted forms and the like are rare and harmless); strict on the domain.
const LOCAL_PART_RE = /^[^\s@"<>(),;:\\[\]]{1,64}$/;

/** Trims and lower-cases an address (contacts are matched case-insensitively); throws if it is not one. */
export function normalizeEmail(raw: string, field = 'email'): string {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (email.length > EMAIL_MAX_LENGTH || at < 1 || !LOCAL_PART_RE.test(email.slice(0, at))) {
    throw new DirectoryRuleError(field, 'not a valid e-mail address');
  }
  try {
    normalizeDomain(email.slice(at + 1), field);
  } catch {
    throw new DirectoryRuleError(field, 'not a valid e-mail address');
  }
  return email;
}

/** The domain part of a normalized address. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export function parsePortalAccess(raw: string, field = 'portalAccess'): PortalAccess {
  if (raw === '') return DEFAULT_PORTAL_ACCESS;
  if ((PORTAL_ACCESS_LEVELS as readonly string[]).includes(raw)) return raw as PortalAccess;
  throw new DirectoryRuleError(field, `must be one of ${PORTAL_ACCESS_LEVELS.join(', ')}`);
}

/** Trims a name; empty or too long is refused. */
export function normalizeName(raw: string, field = 'name'): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0) throw new DirectoryRuleError(field, 'must not be empty');
  if (name.length > NAME_MAX_LENGTH)
    throw new DirectoryRuleError(field, `at most ${NAME_MAX_LENGTH} characters`);
  return name;
}

/**
 * The display name of a contact created from an e-mail alone (an unknown sender): the given name if any, else
 * the local part of the address (`jane.doe@x` → `jane.doe`), so that lists never show a blank.
 */
export function contactNameFor(email: string, given: string | undefined): string {
  const name = (given ?? '').trim().replace(/\s+/g, ' ').slice(0, NAME_MAX_LENGTH);
  return name.length > 0 ? name : email.slice(0, email.lastIndexOf('@'));
}

export function normalizePhone(raw: string): string | null {
  const phone = raw.trim();
  if (phone.length > PHONE_MAX_LENGTH)
    throw new DirectoryRuleError('phone', `at most ${PHONE_MAX_LENGTH} characters`);
  return phone === '' ? null : phone;
}

export function checkNotes(raw: string): string {
  if (raw.length > NOTES_MAX_LENGTH)
    throw new DirectoryRuleError('notes', `at most ${NOTES_MAX_LENGTH} characters`);
  return raw;
}

export function checkPassword(raw: string): string {
  if (raw.length < PASSWORD_MIN_LENGTH || raw.length > PASSWORD_MAX_LENGTH) {
    throw new DirectoryRuleError(
      'password',
      `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
  return raw;
}

/**
 * Join by domain (docs/product/tenants-and-users.md): the client whose domains contain the address's domain,
 * matched exactly (a subdomain is a different domain; a client that wants it lists it). Domains are unique
 * per tenant, so at most one client matches.
 */
export function clientIdForEmail(
  email: string,
  clients: ReadonlyArray<{ id: string; domains: readonly string[] }>,
): string | null {
  const domain = emailDomain(email);
  return clients.find((c) => c.domains.includes(domain))?.id ?? null;
}

/** The key lists are ordered by: case-insensitive, so `bravo` sorts between `Alpha` and `Charlie`. */
export function sortKey(name: string): string {
  return name.toLowerCase();
}
