// Webhook endpoints and deliveries in PostgreSQL: the admin API's repository, the consumer's delivery writer (on
// the inbox transaction's client) and the workers' queue (endpoints claimed with FOR UPDATE SKIP LOCKED).
import { inTransaction } from '@helpdesk/bus';
import type { Pool, PoolClient } from 'pg';
import { recordWebhookAttempt } from './webhook.metrics';
import type {
  ClaimedEndpoint,
  DeliveryAttempt,
  DeliveryQueue,
  DeliveryStatus,
  DisabledReason,
  DueDelivery,
  EndpointChanges,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventStore,
  WebhookRepository,
} from '../app/webhook.ports';
import type { NotifyStore } from '../app/notifications/ports';
import { PgNotifyStore } from './notifications.pg';

interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  events: string[];
  description: string;
  active: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const ENDPOINT_COLUMNS = `id, tenant_id, url, events, description, active, disabled_reason, disabled_at,
  previous_secret_expires_at, created_at, updated_at, version`;

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    events: row.events,
    description: row.description,
    active: row.active,
    disabledReason: row.disabled_reason as DisabledReason | null,
    disabledAt: row.disabled_at,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

interface StoredAttempt {
  at: string;
  statusCode: number;
  durationMs: number;
  error: string | null;
}

interface DeliveryRow {
  id: string;
  seq: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: StoredAttempt[];
  next_attempt_at: Date | null;
  created_at: Date;
}

const DELIVERY_COLUMNS = `id, seq, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at`;

function toDelivery(row: DeliveryRow): WebhookDelivery & { seq: bigint } {
  return {
    id: row.id,
    seq: BigInt(row.seq),
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status as DeliveryStatus,
    attempts: row.attempts.map((a) => ({
      at: new Date(a.at),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
    })),
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    createdAt: row.created_at,
  };
}

export class PgWebhookRepository implements WebhookRepository {
  constructor(private readonly pool: Pool) {}

  async create(e: WebhookEndpoint, sealedSecret: Buffer): Promise<void> {
    await this.pool.query(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, events, description, active, secret, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.id,
        e.tenantId,
        e.url,
        e.events,
        e.description,
        e.active,
        sealedSecret,
        e.version,
        e.createdAt,
        e.updatedAt,
      ],
    );
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpoint | null> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  async enqueueDelivery(
    row: Parameters<WebhookRepository['enqueueDelivery']>[0],
    at: Date,
  ): Promise<{ id: string; duplicate: boolean }> {
    const inserted = await this.pool.query<{ id: string }>(
      `INSERT INTO webhook_deliveries
         (id, tenant_id, endpoint_id, event_id, event_type, body, traceparent, status, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $8)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [row.id, row.tenantId, row.endpointId, row.eventId, row.eventType, row.body, row.traceparent, at],
    );
    if (inserted.rows[0]) return { id: inserted.rows[0].id, duplicate: false };
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND event_id = $3',
      [row.tenantId, row.endpointId, row.eventId],
    );
    if (!rows[0]) throw new Error('webhook delivery neither inserted nor found');
    return { id: rows[0].id, duplicate: true };
  }

  async sealedSecret(tenantId: string, id: string): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ secret: Buffer }>(
      'SELECT secret FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    return rows[0]?.secret ?? null;
  }

  async list(tenantId: string, limit: number, after?: { at: Date; id: string }): Promise<WebhookEndpoint[]> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
       WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
       ORDER BY created_at, id LIMIT $4`,
      [tenantId, after?.at ?? null, after?.id ?? null, limit],
    );
    return rows.map(toEndpoint);
  }

  async update(
    tenantId: string,
    id: string,
    changes: EndpointChanges,
    at: Date,
    expectedVersion?: number,
  ): Promise<WebhookEndpoint | null | 'stale'> {
    const sets: string[] = ['version = version + 1', 'updated_at = $3'];
    const values: unknown[] = [tenantId, id, at];
    const add = (sql: (n: string) => string, value: unknown) => {
      values.push(value);
      sets.push(sql(`$${values.length}`));
    };
    if (changes.url !== undefined) add((n) => `url = ${n}`, changes.url);
    if (changes.events !== undefined) add((n) => `events = ${n}`, changes.events);
    if (changes.description !== undefined) add((n) => `description = ${n}`, changes.description);
    if (changes.active === true) {
      // enabled again: its failures start over
      sets.push('active = true', 'disabled_reason = NULL', 'disabled_at = NULL', 'failing_since = NULL');
    } else if (changes.active === false) {
      sets.push(
        'active = false',
        "disabled_reason = CASE WHEN active THEN 'admin' ELSE disabled_reason END",
        'disabled_at = CASE WHEN active THEN $3 ELSE disabled_at END',
      );
    }
    if (changes.rotation) {
      add((n) => `secret = ${n}`, changes.rotation.secret);
      add((n) => `previous_secret = ${n}`, changes.rotation.previous);
      add((n) => `previous_secret_expires_at = ${n}`, changes.rotation.previousExpiresAt);
    }
    let versionCheck = '';
    if (expectedVersion !== undefined) {
      values.push(expectedVersion);
      versionCheck = ` AND version = $${values.length}`;
    }
    const { rows } = await this.pool.query<EndpointRow>(
      `UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2${versionCheck}
       RETURNING ${ENDPOINT_COLUMNS}`,
      values,
    );
    if (rows[0]) return toEndpoint(rows[0]);
    if (expectedVersion !== undefined && (await this.get(tenantId, id))) return 'stale';
    return null;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    return (rowCount ?? 0) > 0;
  }

  async listDeliveries(
    tenantId: string,
    endpointId: string,
    limit: number,
    before?: bigint,
  ): Promise<Array<WebhookDelivery & { seq: bigint }>> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE tenant_id = $1 AND endpoint_id = $2 AND ($3::bigint IS NULL OR seq < $3)
       ORDER BY seq DESC LIMIT $4`,
      [tenantId, endpointId, before?.toString() ?? null, limit],
    );
    return rows.map(toDelivery);
  }

  async retryDelivery(
    tenantId: string,
    endpointId: string,
    deliveryId: string,
    now: Date,
  ): Promise<WebhookDelivery | null> {
    // a pending one keeps its schedule and is just due now; a finished one gets one more attempt
    const { rows } = await this.pool.query<DeliveryRow>(
      `UPDATE webhook_deliveries SET manual_retry = (status <> 'pending') OR manual_retry, status = 'pending',
         next_attempt_at = $4, updated_at = $4
       WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3
       RETURNING ${DELIVERY_COLUMNS}`,
      [tenantId, endpointId, deliveryId, now],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }
}

/** The consumer's writes, on the inbox transaction's client. */
export class PgWebhookEventStore implements WebhookEventStore {
  constructor(private readonly tx: PoolClient) {}

  async subscribers(tenantId: string, eventName: string): Promise<string[]> {
    const { rows } = await this.tx.query<{ id: string }>(
      `SELECT id FROM webhook_endpoints
       WHERE tenant_id = $1 AND active AND (events @> ARRAY['*'] OR events @> ARRAY[$2])
       ORDER BY created_at, id`,
      [tenantId, eventName],
    );
    return rows.map((r) => r.id);
  }

  async insertDeliveries(
    rows: Parameters<WebhookEventStore['insertDeliveries']>[0],
    at: Date,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const { rowCount } = await this.tx.query(
      `INSERT INTO webhook_deliveries
         (id, tenant_id, endpoint_id, event_id, event_type, body, traceparent, status, next_attempt_at, created_at, updated_at)
       SELECT d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.body, d.traceparent, 'pending', $8, $8, $8
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[])
         AS d(id, tenant_id, endpoint_id, event_id, event_type, body, traceparent)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.tenantId),
        rows.map((r) => r.endpointId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.body),
        rows.map((r) => r.traceparent),
        at,
      ],
    );
    return rowCount ?? 0;
  }
}

interface ClaimRow {
  id: string;
  tenant_id: string;
  url: string;
  secret: Buffer;
  previous_secret: Buffer | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
}

/** The workers' queue; the times come from the caller's clock, so a test clock drives it. */
export class PgDeliveryQueue implements DeliveryQueue {
  constructor(private readonly pool: Pool) {}

  async claimEndpoints(now: Date, limit: number, leaseMs: number, owner: string): Promise<ClaimedEndpoint[]> {
    const { rows } = await this.pool.query<ClaimRow>(
      `UPDATE webhook_endpoints SET lease_until = $2::timestamptz + $3::int * interval '1 millisecond', lease_owner = $4
       WHERE id IN (
         SELECT e.id FROM webhook_endpoints e
         WHERE e.active AND (e.lease_until IS NULL OR e.lease_until <= $2)
           AND EXISTS (SELECT 1 FROM webhook_deliveries d
                       WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= $2)
         LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, tenant_id, url, secret, previous_secret, previous_secret_expires_at, failing_since`,
      [limit, now, leaseMs, owner],
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      url: r.url,
      sealedSecret: r.secret,
      sealedPrevious: r.previous_secret,
      previousExpiresAt: r.previous_secret_expires_at,
      failingSince: r.failing_since,
    }));
  }

  async due(endpointId: string, now: Date, limit: number): Promise<DueDelivery[]> {
    const { rows } = await this.pool.query<{
      id: string;
      event_id: string;
      event_type: string;
      body: string;
      traceparent: string | null;
      attempt_count: number;
      manual_retry: boolean;
    }>(
      `SELECT id, event_id, event_type, body, traceparent, attempt_count, manual_retry FROM webhook_deliveries
       WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at <= $2
       ORDER BY seq LIMIT $3`,
      [endpointId, now, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      body: r.body,
      traceparent: r.traceparent,
      attemptCount: r.attempt_count,
      manualRetry: r.manual_retry,
    }));
  }

  async renew(endpointId: string, owner: string, until: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE webhook_endpoints SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 AND active',
      [endpointId, owner, until],
    );
    return (rowCount ?? 0) > 0;
  }

  async release(endpointId: string, owner: string): Promise<void> {
    await this.pool.query(
      'UPDATE webhook_endpoints SET lease_until = NULL, lease_owner = NULL WHERE id = $1 AND lease_owner = $2',
      [endpointId, owner],
    );
  }

  async recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    next: { status: DeliveryStatus; nextAttemptAt: Date | null; attemptCount: number },
  ): Promise<void> {
    const stored: StoredAttempt = {
      at: attempt.at.toISOString(),
      statusCode: attempt.statusCode,
      durationMs: attempt.durationMs,
      error: attempt.error,
    };
    await this.pool.query(
      `UPDATE webhook_deliveries SET attempts = attempts || jsonb_build_array($2::jsonb), status = $3,
         next_attempt_at = $4, attempt_count = $5, manual_retry = false, updated_at = $6
       WHERE id = $1`,
      [deliveryId, JSON.stringify(stored), next.status, next.nextAttemptAt, next.attemptCount, attempt.at],
    );
    recordWebhookAttempt(
      next.status === 'delivered' ? 'delivered' : next.status === 'pending' ? 'retrying' : 'failed',
    );
  }

  async markHealthy(endpointId: string): Promise<void> {
    await this.pool.query('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1', [endpointId]);
  }

  async markFailing(endpointId: string, at: Date): Promise<Date> {
    const { rows } = await this.pool.query<{ failing_since: Date }>(
      `UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2) WHERE id = $1
       RETURNING failing_since`,
      [endpointId, at],
    );
    return rows[0]?.failing_since ?? at;
  }

  async disable(
    endpointId: string,
    reason: DisabledReason,
    at: Date,
    then: (store: NotifyStore) => Promise<void>,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE webhook_endpoints SET active = false, disabled_reason = $2, disabled_at = $3, updated_at = $3,
           version = version + 1
         WHERE id = $1 AND active`,
        [endpointId, reason, at],
      );
      const disabled = (rowCount ?? 0) > 0;
      if (disabled) await then(new PgNotifyStore(client));
      return disabled;
    });
  }
}
