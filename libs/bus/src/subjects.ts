// Naming rules for subjects, streams and durables; the prefix (BUS_PREFIX) isolates test runs on a shared server.

const PREFIX_PATTERN = /^[A-Za-z0-9_-]+$/;
const DOMAIN_PATTERN = /^[a-z][a-z0-9_]*$/;
const NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;

/** Event types look like `helpdesk.<domain>.<event>` (lower snake case tokens). */
export const EVENT_TYPE_PATTERN = /^helpdesk\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Throws unless `prefix` is empty/undefined or a single subject token usable in stream names. */
export function assertPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && prefix !== '' && !PREFIX_PATTERN.test(prefix)) {
    throw new Error(`invalid bus prefix "${prefix}": use letters, digits, "_" or "-"`);
  }
}

/** Throws unless `domain` is a lower snake case token such as `ticket`. */
export function assertDomain(domain: string): void {
  if (!DOMAIN_PATTERN.test(domain)) throw new Error(`invalid event domain "${domain}"`);
}

/** Prepends `<prefix>.` to a subject (or subject filter) when a prefix is set. */
export function prefixSubject(subject: string, prefix?: string): string {
  assertPrefix(prefix);
  return prefix ? `${prefix}.${subject}` : subject;
}

/** The NATS subject an event type is published on: `<prefix.>helpdesk.ticket.created`. */
export function subjectFor(type: string, prefix?: string): string {
  if (!EVENT_TYPE_PATTERN.test(type)) throw new Error(`invalid event type "${type}"`);
  return prefixSubject(type, prefix);
}

/** The domain of an event type or unprefixed subject: `helpdesk.ticket.created` → `ticket`. */
export function domainOf(typeOrSubject: string): string {
  const [root, domain] = typeOrSubject.split('.');
  if (root !== 'helpdesk' || domain === undefined || !DOMAIN_PATTERN.test(domain)) {
    throw new Error(`"${typeOrSubject}" is not a helpdesk.<domain>.… subject`);
  }
  return domain;
}

/** Stream of a domain: `<PREFIX_>HELPDESK_<DOMAIN>`. */
export function streamNameFor(domain: string, prefix?: string): string {
  assertDomain(domain);
  assertPrefix(prefix);
  return `${prefix ? `${prefix}_` : ''}HELPDESK_${domain.toUpperCase()}`;
}

/** The one subject filter a domain stream captures: `<prefix.>helpdesk.<domain>.>`. */
export function streamSubjectFor(domain: string, prefix?: string): string {
  assertDomain(domain);
  return prefixSubject(`helpdesk.${domain}.>`, prefix);
}

/** Domain name of the dead-letter stream (`HELPDESK_DLQ` on `helpdesk.dlq.>`). */
export const DLQ_DOMAIN = 'dlq';

/** Dead-letter subject of a consuming service: `<prefix.>helpdesk.dlq.<consumer>`. */
export function dlqSubjectFor(consumer: string, prefix?: string): string {
  assertName(consumer, 'consumer');
  return prefixSubject(`helpdesk.${DLQ_DOMAIN}.${consumer}`, prefix);
}

/** Durable consumer name `<consumer>--<purpose>` (e.g. `ticket--sla-clock`). */
export function durableNameFor(consumer: string, purpose: string): string {
  assertName(consumer, 'consumer');
  assertName(purpose, 'purpose');
  return `${consumer}--${purpose}`;
}

function assertName(value: string, what: string): void {
  if (!NAME_PATTERN.test(value) || value.includes('--')) {
    throw new Error(`invalid ${what} name "${value}": lower case letters, digits, "_" or single "-"`);
  }
}

/** NATS wildcard match: `*` is one token, a final `>` is one or more tokens. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return i === f.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return f.length === s.length;
}
