// What the webhook use cases need from the outside world; adapters in src/infra/webhook-*.ts.
import type { NotifyStore } from './notifications/ports';

/** Why an endpoint is disabled. */
export type DisabledReason = 'gone' | 'failing' | 'admin';

/** An endpoint as the API shows it (never its secret). */
export interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One try of a delivery; `statusCode` 0 when there was no answer. */
export interface DeliveryAttempt {
  at: Date;
  statusCode: number;
  durationMs: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export interface EndpointChanges {
  url?: string;
  events?: string[];
  description?: string;
  active?: boolean;
  /** A rotation: the new sealed secret, the one it replaces and until when that one signs too. */
  rotation?: { secret: Buffer; previous: Buffer; previousExpiresAt: Date };
}

/** The endpoints and their delivery log, always within one tenant. */
export interface WebhookRepository {
  create(endpoint: WebhookEndpoint, sealedSecret: Buffer): Promise<void>;
  get(tenantId: string, id: string): Promise<WebhookEndpoint | null>;
  /** The sealed secret signing now. */
  sealedSecret(tenantId: string, id: string): Promise<Buffer | null>;
  /** Oldest first, after the (createdAt, id) of the previous page's last item. */
  list(tenantId: string, limit: number, after?: { at: Date; id: string }): Promise<WebhookEndpoint[]>;
  /** null when there is no such endpoint; 'stale' when it is no longer at `expectedVersion`. */
  update(
    tenantId: string,
    id: string,
    changes: EndpointChanges,
    at: Date,
    expectedVersion?: number,
  ): Promise<WebhookEndpoint | null | 'stale'>;
  delete(tenantId: string, id: string): Promise<boolean>;
  /** Newest first, before the sequence of the previous page's last item. */
  listDeliveries(
    tenantId: string,
    endpointId: string,
    limit: number,
    before?: bigint,
  ): Promise<Array<WebhookDelivery & { seq: bigint }>>;
  /**
   * Queues one event for one endpoint (pending, due now); an endpoint that has a delivery of that event keeps it
   * and answers it as a duplicate.
   */
  enqueueDelivery(
    row: {
      id: string;
      tenantId: string;
      endpointId: string;
      eventId: string;
      eventType: string;
      body: string;
      traceparent: string | null;
    },
    at: Date,
  ): Promise<{ id: string; duplicate: boolean }>;
  /** Makes a delivery pending with one attempt due now (failed again if that one fails); null when none. */
  retryDelivery(
    tenantId: string,
    endpointId: string,
    deliveryId: string,
    now: Date,
  ): Promise<WebhookDelivery | null>;
}

/** The event's deliveries, written inside the consumer's inbox transaction. */
export interface WebhookEventStore {
  /** The tenant's active endpoints subscribed to `eventName` (or `*`). */
  subscribers(tenantId: string, eventName: string): Promise<string[]>;
  /** One row per endpoint; an existing (endpoint, event) pair is left alone. Answers how many were written. */
  insertDeliveries(
    rows: Array<{
      id: string;
      tenantId: string;
      endpointId: string;
      eventId: string;
      eventType: string;
      body: string;
      traceparent: string | null;
    }>,
    at: Date,
  ): Promise<number>;
}

/** An endpoint a worker has claimed: it alone delivers to it until its lease ends. */
export interface ClaimedEndpoint {
  id: string;
  tenantId: string;
  url: string;
  sealedSecret: Buffer;
  sealedPrevious: Buffer | null;
  previousExpiresAt: Date | null;
  failingSince: Date | null;
}

export interface DueDelivery {
  id: string;
  eventId: string;
  eventType: string;
  body: string;
  traceparent: string | null;
  attemptCount: number;
  manualRetry: boolean;
}

/** The delivery queue the workers share (rows claimed with FOR UPDATE SKIP LOCKED). */
export interface DeliveryQueue {
  /** Active endpoints with a due delivery and no live lease, leased to `owner` until `now + leaseMs`. */
  claimEndpoints(now: Date, limit: number, leaseMs: number, owner: string): Promise<ClaimedEndpoint[]>;
  /** The endpoint's due pending deliveries, in order. */
  due(endpointId: string, now: Date, limit: number): Promise<DueDelivery[]>;
  /** Extends the lease; false when `owner` lost it. */
  renew(endpointId: string, owner: string, until: Date): Promise<boolean>;
  release(endpointId: string, owner: string): Promise<void>;
  /** Records an attempt and the delivery's state after it. */
  recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    next: { status: DeliveryStatus; nextAttemptAt: Date | null; attemptCount: number },
  ): Promise<void>;
  /** A 2xx: the endpoint is not failing any more. */
  markHealthy(endpointId: string): Promise<void>;
  /** A failed attempt: answers since when the endpoint has been failing (set now if it was not). */
  markFailing(endpointId: string, at: Date): Promise<Date>;
  /**
   * Disables the endpoint and, in the same transaction, runs `then` with the notification tables (the admins'
   * notification); false, and `then` not run, when it was disabled already.
   */
  disable(
    endpointId: string,
    reason: DisabledReason,
    at: Date,
    then: (store: NotifyStore) => Promise<void>,
  ): Promise<boolean>;
}

/** One POST to a receiver behind the SSRF guard. */
export interface WebhookSender {
  /** `traceparent`: the change that caused the event; the attempt's span joins its trace (with `tenant.id`). */
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    trace: { traceparent: string | null; tenantId: string },
  ): Promise<{ statusCode: number; durationMs: number; error: string | null; inTime: boolean }>;
}

/** Checks a URL when an endpoint is saved; answers why it is refused, or null. */
export interface WebhookUrlGuard {
  refusal(url: string): Promise<string | null>;
}

export interface SecretSealer {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

/** An endpoint the platform disabled (a 410, or 5 days of failures). */
export interface EndpointDisabled {
  tenantId: string;
  endpointId: string;
  url: string;
  reason: 'gone' | 'failing';
  /** Since when its deliveries had been failing; null when it had not been. */
  failingSince: Date | null;
  at: Date;
}

/**
 * Told, inside the transaction that disables an endpoint, that the platform disabled it: the tenant's admins are
 * notified there (SPEC §6, ADR 42), so the disable and its notifications commit together.
 */
export interface EndpointDisabledHook {
  endpointDisabled(store: NotifyStore, event: EndpointDisabled): Promise<void>;
}
