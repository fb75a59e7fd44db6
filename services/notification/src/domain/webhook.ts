// Webhooks (docs/product/webhooks.md): which events an endpoint may subscribe to, the Standard Webhooks
// signature, secrets, the retry schedule and when an endpoint is disabled. Pure: no I/O.
import { createHmac, randomBytes } from 'node:crypto';
import { EVENT_TYPES } from '@helpdesk/contracts';

/** Bus event types that are never delivered: not facts about the tenant's data, or older than any webhook. */
const NOT_DELIVERED = new Set<string>([
  // an instruction to the notification service, not a fact
  'helpdesk.automation.notify_requested',
  // one user's in-app notification, private to its recipient (GET /me/notifications, GET /events)
  'helpdesk.notify.created',
  // published before the tenant can have a webhook
  'helpdesk.identity.tenant_created',
]);

/** The event names of the webhook API: the catalog's types without `helpdesk.` (`ticket.created`), in catalog order. */
export const WEBHOOK_EVENT_NAMES: readonly string[] = EVENT_TYPES.filter((t) => !NOT_DELIVERED.has(t)).map(
  (t) => t.slice('helpdesk.'.length),
);
const NAMES = new Set(WEBHOOK_EVENT_NAMES);

/** The stream domains those events come from (the consumers the service runs). */
export const WEBHOOK_EVENT_DOMAINS: readonly string[] = [
  ...new Set(WEBHOOK_EVENT_NAMES.map((n) => n.split('.')[0]!)),
];

/** The webhook name of a bus event type, or null when it is never delivered. */
export function webhookEventName(type: string): string | null {
  if (!type.startsWith('helpdesk.')) return null;
  const name = type.slice('helpdesk.'.length);
  return NAMES.has(name) ? name : null;
}

/**
 * Checks and normalizes an endpoint's event list: names of {@link WEBHOOK_EVENT_NAMES} or `*` alone, duplicates
 * dropped. Answers the list or the reason it is refused.
 */
export function normalizeEvents(events: readonly string[]): { events: string[] } | { error: string } {
  const unique = [...new Set(events.map((e) => e.trim()))];
  if (unique.length === 0) return { error: 'events must name at least one event, or be ["*"]' };
  if (unique.includes('*')) {
    return unique.length === 1
      ? { events: ['*'] }
      : { error: '"*" stands alone: it already means every event' };
  }
  const unknown = unique.filter((e) => !NAMES.has(e));
  if (unknown.length > 0)
    return {
      error: `unknown event ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${WEBHOOK_EVENT_NAMES.join(', ')}`,
    };
  return { events: unique };
}

/** Whether an endpoint subscribed to `events` gets the event named `name`. */
export function subscribes(events: readonly string[], name: string): boolean {
  return events.includes('*') || events.includes(name);
}

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(random: (bytes: number) => Buffer = randomBytes): string {
  return SECRET_PREFIX + random(32).toString('base64');
}

/** The key bytes of a `whsec_` secret. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>` of one secret. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The Standard Webhooks headers of one attempt; every secret signs (space-separated) during a rotation. */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signature(s, id, timestamp, body)).join(' '),
  };
}

/** How long the secret before a rotation keeps signing. */
export const PREVIOUS_SECRET_MS = 24 * 3600_000;

/** The body POSTed: the event's envelope without `traceparent`, with its `type` as on the bus. */
export function deliveryBody(envelope: {
  id: string;
  type: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  data: unknown;
}): string {
  const { id, type, version, tenantId, occurredAt, data } = envelope;
  return JSON.stringify({ id, type, version, tenantId, occurredAt, data });
}

/** The waits before retry 1…9 after a failed attempt; after the last one the delivery is failed. */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  14 * 3600_000,
  20 * 3600_000,
  24 * 3600_000,
];

/** Jitter of a retry's wait: up to this fraction either way. */
export const RETRY_JITTER = 0.1;

/**
 * When the next automatic attempt is due after `attemptsMade` automatic attempts failed (1 after the first), or
 * null when the schedule is used up. `random` is in [0, 1).
 */
export function nextAttemptAt(attemptsMade: number, failedAt: Date, random: () => number): Date | null {
  const wait = RETRY_SCHEDULE_MS[attemptsMade - 1];
  if (wait === undefined) return null;
  const jitter = 1 + RETRY_JITTER * (2 * random() - 1);
  return new Date(failedAt.getTime() + Math.round(wait * jitter));
}

/** An endpoint whose deliveries failed for this long without a 2xx between is disabled. */
export const FAILING_DISABLE_MS = 5 * 24 * 3600_000;

/** What an attempt's answer means. */
export type AttemptOutcome = 'delivered' | 'retry' | 'gone';

/** A 2xx in time delivers; a 410 disables the endpoint at once; anything else (3xx included) is retried. */
export function attemptOutcome(statusCode: number, inTime: boolean): AttemptOutcome {
  if (inTime && statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 410) return 'gone';
  return 'retry';
}

/** Whether an endpoint failing since `failingSince` is to be disabled at `now`. */
export function failingTooLong(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= FAILING_DISABLE_MS;
}
