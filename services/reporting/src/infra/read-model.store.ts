// The read model's tables (prisma/schema.prisma) in one event's transaction: the consumer's inbox transaction, or
// the rebuild's, on the client that runs it.
import type { PoolClient } from 'pg';
import type { IntakeTransaction, StoredTenant, TicketVersionPoint } from '../app/ports';
import type { BacklogDelta, SlaFacts, TenantZoneFacts, TicketRow, VersionPoint } from '../domain';

/** The client key of tickets without a client (backlog_days.client_key is part of the primary key). */
export const NO_CLIENT = '00000000-0000-0000-0000-000000000000';

interface TenantRecord {
  timezone: string;
  as_of: Date | null;
  event_id: string | null;
}

interface VersionRecord {
  ticket_id: string;
  version: number;
  at: Date;
  open: boolean;
  client_id: string | null;
}

const point = (r: VersionRecord): VersionPoint => ({
  version: r.version,
  at: r.at,
  open: r.open,
  clientId: r.client_id,
});

const tenantOf = (r: TenantRecord | undefined): StoredTenant => ({
  timezone: r?.timezone ?? 'UTC',
  asOf: r?.as_of ?? null,
  eventId: r?.event_id ?? null,
});

export class PgIntakeTransaction implements IntakeTransaction {
  constructor(private readonly client: PoolClient) {}

  private async tenantRow(tenantId: string, lock: 'SHARE' | 'UPDATE'): Promise<StoredTenant> {
    await this.client.query('INSERT INTO tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [tenantId]);
    const { rows } = await this.client.query<TenantRecord>(
      `SELECT timezone, as_of, event_id FROM tenants WHERE tenant_id = $1 FOR ${lock}`,
      [tenantId],
    );
    return tenantOf(rows[0]);
  }

  shareTenant(tenantId: string): Promise<StoredTenant> {
    return this.tenantRow(tenantId, 'SHARE');
  }

  lockTenant(tenantId: string): Promise<StoredTenant> {
    return this.tenantRow(tenantId, 'UPDATE');
  }

  async saveTenantZone(facts: TenantZoneFacts): Promise<void> {
    await this.client.query(
      'UPDATE tenants SET timezone = $2, as_of = $3, event_id = $4 WHERE tenant_id = $1',
      [facts.tenantId, facts.timezone.slice(0, 64), facts.occurredAt, facts.eventId],
    );
  }

  async lockTicket(tenantId: string, ticketId: string): Promise<number> {
    await this.client.query('INSERT INTO tickets (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      tenantId,
      ticketId,
    ]);
    const { rows } = await this.client.query<{ version: number }>(
      'SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, ticketId],
    );
    return rows[0]?.version ?? 0;
  }

  async insertVersion(
    tenantId: string,
    ticketId: string,
    p: VersionPoint,
  ): Promise<{ previous: VersionPoint | null; next: VersionPoint | null } | null> {
    const inserted = await this.client.query(
      `INSERT INTO ticket_versions (tenant_id, ticket_id, version, at, open, client_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [tenantId, ticketId, p.version, p.at, p.open, p.clientId],
    );
    if (inserted.rowCount === 0) return null;
    const { rows } = await this.client.query<VersionRecord & { side: 'previous' | 'next' }>(
      `(SELECT 'previous' AS side, ticket_id, version, at, open, client_id FROM ticket_versions
         WHERE tenant_id = $1 AND ticket_id = $2 AND version < $3 ORDER BY version DESC LIMIT 1)
       UNION ALL
       (SELECT 'next' AS side, ticket_id, version, at, open, client_id FROM ticket_versions
         WHERE tenant_id = $1 AND ticket_id = $2 AND version > $3 ORDER BY version LIMIT 1)`,
      [tenantId, ticketId, p.version],
    );
    const side = (s: 'previous' | 'next') => {
      const r = rows.find((row) => row.side === s);
      return r ? point(r) : null;
    };
    return { previous: side('previous'), next: side('next') };
  }

  async saveTicket(t: TicketRow): Promise<void> {
    await this.client.query(
      `UPDATE tickets SET version = $3, number = $4, status = $5, priority = $6, client_id = $7,
         assignee_id = $8, team_id = $9, opened_at = $10, updated_at = $11, first_responded_at = $12,
         resolved_at = $13, closed_at = $14, merged_into_id = $15, rating_score = $16, rated_at = $17,
         first_response_minutes = $18
       WHERE tenant_id = $1 AND id = $2`,
      [
        t.tenantId,
        t.id,
        t.version,
        t.number,
        t.status,
        t.priority,
        t.clientId,
        t.assigneeId,
        t.teamId,
        t.openedAt,
        t.updatedAt,
        t.firstRespondedAt,
        t.resolvedAt,
        t.closedAt,
        t.mergedIntoId,
        t.rating?.score ?? null,
        t.rating?.ratedAt ?? null,
        t.firstResponseMinutes,
      ],
    );
  }

  async addBacklog(tenantId: string, deltas: readonly BacklogDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    // one statement over rows in key order: concurrent intakes lock the day rows in the same order
    const sorted = [...deltas].sort((a, b) => key(a).localeCompare(key(b)));
    await this.client.query(
      `INSERT INTO backlog_days (tenant_id, client_key, day, delta)
       SELECT $1, c, d, n FROM unnest($2::uuid[], $3::date[], $4::int[]) AS u(c, d, n)
       ON CONFLICT (tenant_id, client_key, day) DO UPDATE SET delta = backlog_days.delta + EXCLUDED.delta`,
      [
        tenantId,
        sorted.map((d) => d.clientId ?? NO_CLIENT),
        sorted.map((d) => d.day),
        sorted.map((d) => d.delta),
      ],
    );
  }

  async saveSla(f: SlaFacts): Promise<void> {
    await this.client.query('INSERT INTO tickets (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      f.tenantId,
      f.ticketId,
    ]);
    await this.client.query(
      `UPDATE tickets SET sla_sequence = $3, sla_policy_id = $4, fr_state = $5, res_state = $6
       WHERE tenant_id = $1 AND id = $2 AND sla_sequence < $3`,
      [f.tenantId, f.ticketId, f.sequence, f.policyId, f.firstResponse, f.resolution],
    );
    if (f.firstResponseBusinessMinutes !== null) {
      await this.client.query(
        `UPDATE tickets SET fr_business_minutes = $4, fr_business_sequence = $3
         WHERE tenant_id = $1 AND id = $2 AND fr_business_sequence < $3`,
        [f.tenantId, f.ticketId, f.sequence, f.firstResponseBusinessMinutes],
      );
    }
  }

  async versionsOf(
    tenantId: string,
    after: { ticketId: string; version: number } | null,
    limit: number,
  ): Promise<TicketVersionPoint[]> {
    const { rows } = await this.client.query<VersionRecord>(
      `SELECT ticket_id, version, at, open, client_id FROM ticket_versions
        WHERE tenant_id = $1 AND ($2::uuid IS NULL OR (ticket_id, version) > ($2::uuid, $3::int))
        ORDER BY ticket_id, version LIMIT $4`,
      [tenantId, after?.ticketId ?? null, after?.version ?? 0, limit],
    );
    return rows.map((r) => ({ ...point(r), ticketId: r.ticket_id }));
  }

  async replaceBacklog(tenantId: string, deltas: readonly BacklogDelta[]): Promise<void> {
    await this.client.query('DELETE FROM backlog_days WHERE tenant_id = $1', [tenantId]);
    const batch = 10_000;
    for (let i = 0; i < deltas.length; i += batch)
      await this.addBacklog(tenantId, deltas.slice(i, i + batch));
  }
}

function key(d: BacklogDelta): string {
  return `${d.clientId ?? NO_CLIENT}|${d.day}`;
}
