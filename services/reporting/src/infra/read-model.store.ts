// The read model's tables (prisma/schema.prisma) in one event's transaction: the consumer's inbox transaction, or
// the rebuild's, on the client that runs it.
import type { PoolClient } from 'pg';
import type { IntakeTransaction, StoredTenant, TicketVersionPoint } from '../app/ports';
import {
  NO_CLIENT,
  NO_SLA,
  type Aggregates,
  type BacklogDelta,
  type SlaHalf,
  type SlaTargetState,
  type StoredTicket,
  type TenantZoneFacts,
  type TicketRow,
  type VersionPoint,
} from '../domain';

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

/** A row of `tickets` as node-postgres reads it. */
interface TicketRecord {
  tenant_id: string;
  id: string;
  version: number;
  number: string;
  status: string;
  priority: string;
  client_id: string | null;
  assignee_id: string | null;
  team_id: string | null;
  opened_at: Date | null;
  updated_at: Date | null;
  first_responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  merged_into_id: string | null;
  rating_score: number | null;
  rated_at: Date | null;
  first_response_minutes: number | null;
  sla_sequence: string;
  sla_policy_id: string | null;
  fr_state: string | null;
  res_state: string | null;
  fr_business_minutes: number | null;
  fr_business_sequence: string;
}

const TICKET_COLUMNS = `tenant_id, id, version, number, status, priority, client_id, assignee_id, team_id, opened_at,
  updated_at, first_responded_at, resolved_at, closed_at, merged_into_id, rating_score, rated_at,
  first_response_minutes, sla_sequence, sla_policy_id, fr_state, res_state, fr_business_minutes,
  fr_business_sequence`;

export function storedTicket(r: TicketRecord | undefined): StoredTicket {
  if (!r) return { ticket: null, sla: NO_SLA };
  const ticket: TicketRow | null =
    r.version > 0 && r.opened_at
      ? {
          tenantId: r.tenant_id,
          id: r.id,
          version: r.version,
          number: Number(r.number),
          status: r.status,
          priority: r.priority,
          clientId: r.client_id,
          assigneeId: r.assignee_id,
          teamId: r.team_id,
          openedAt: r.opened_at,
          updatedAt: r.updated_at ?? r.opened_at,
          firstRespondedAt: r.first_responded_at,
          resolvedAt: r.resolved_at,
          closedAt: r.closed_at,
          mergedIntoId: r.merged_into_id,
          rating:
            r.rating_score === null ? null : { score: r.rating_score, ratedAt: r.rated_at ?? r.opened_at },
          firstResponseMinutes: r.first_response_minutes,
        }
      : null;
  return {
    ticket,
    sla: {
      sequence: Number(r.sla_sequence),
      policyId: r.sla_policy_id,
      firstResponse: r.fr_state as SlaTargetState | null,
      resolution: r.res_state as SlaTargetState | null,
      businessMinutes: r.fr_business_minutes,
      businessSequence: Number(r.fr_business_sequence),
    },
  };
}

const tenantOf = (r: TenantRecord | undefined): StoredTenant => ({
  timezone: r?.timezone ?? 'UTC',
  asOf: r?.as_of ?? null,
  eventId: r?.event_id ?? null,
});

export class PgIntakeTransaction implements IntakeTransaction {
  constructor(private readonly client: PoolClient) {}

  private async tenantRow(tenantId: string, lock: 'SHARE' | 'UPDATE'): Promise<StoredTenant> {
    const select = () =>
      this.client.query<TenantRecord>(
        `SELECT timezone, as_of, event_id FROM tenants WHERE tenant_id = $1 FOR ${lock}`,
        [tenantId],
      );
    // one round trip once the tenant is known
    let { rows } = await select();
    if (rows.length === 0) {
      await this.client.query('INSERT INTO tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [
        tenantId,
      ]);
      ({ rows } = await select());
    }
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

  async lockTicket(tenantId: string, ticketId: string): Promise<StoredTicket> {
    const select = () =>
      this.client.query<TicketRecord>(
        `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, ticketId],
      );
    // most events are of tickets the read model holds: one round trip for them
    let { rows } = await select();
    if (rows.length === 0) {
      await this.client.query('INSERT INTO tickets (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        tenantId,
        ticketId,
      ]);
      ({ rows } = await select());
    }
    return storedTicket(rows[0]);
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

  async saveSla(tenantId: string, ticketId: string, sla: SlaHalf): Promise<void> {
    await this.client.query(
      `UPDATE tickets SET sla_sequence = $3, sla_policy_id = $4, fr_state = $5, res_state = $6,
         fr_business_minutes = $7, fr_business_sequence = $8
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        ticketId,
        sla.sequence,
        sla.policyId,
        sla.firstResponse,
        sla.resolution,
        sla.businessMinutes,
        sla.businessSequence,
      ],
    );
  }

  async addAggregates(tenantId: string, change: Aggregates): Promise<void> {
    // table by table in one order, each table's rows in key order: concurrent intakes lock rows in the same order
    if (change.open.length > 0) {
      await this.client.query(
        `INSERT INTO report_open (tenant_id, client_key, status, priority, tickets)
         SELECT $1, k, s, p, n FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[]) AS u(k, s, p, n)
         ON CONFLICT (tenant_id, client_key, status, priority)
         DO UPDATE SET tickets = report_open.tickets + EXCLUDED.tickets`,
        [
          tenantId,
          change.open.map((o) => o.clientKey),
          change.open.map((o) => o.status),
          change.open.map((o) => o.priority),
          change.open.map((o) => o.tickets),
        ],
      );
    }
    if (change.days.length > 0) {
      const d = change.days;
      await this.client.query(
        `INSERT INTO report_days (tenant_id, client_key, unit, day, created, resolved, fr_met, fr_breached, res_met,
           res_breached, rated, rating_sum)
         SELECT $1, k, u, d, c, r, fm, fb, rm, rb, n, s
           FROM unnest($2::uuid[], $3::text[], $4::date[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[],
             $10::int[], $11::int[], $12::int[]) AS x(k, u, d, c, r, fm, fb, rm, rb, n, s)
         ON CONFLICT (tenant_id, client_key, unit, day) DO UPDATE SET
           created = report_days.created + EXCLUDED.created,
           resolved = report_days.resolved + EXCLUDED.resolved,
           fr_met = report_days.fr_met + EXCLUDED.fr_met,
           fr_breached = report_days.fr_breached + EXCLUDED.fr_breached,
           res_met = report_days.res_met + EXCLUDED.res_met,
           res_breached = report_days.res_breached + EXCLUDED.res_breached,
           rated = report_days.rated + EXCLUDED.rated,
           rating_sum = report_days.rating_sum + EXCLUDED.rating_sum`,
        [
          tenantId,
          d.map((x) => x.clientKey),
          d.map((x) => x.unit),
          d.map((x) => x.day),
          d.map((x) => x.created),
          d.map((x) => x.resolved),
          d.map((x) => x.frMet),
          d.map((x) => x.frBreached),
          d.map((x) => x.resMet),
          d.map((x) => x.resBreached),
          d.map((x) => x.rated),
          d.map((x) => x.ratingSum),
        ],
      );
    }
    if (change.firstResponses.length > 0) {
      const f = change.firstResponses;
      await this.client.query(
        `INSERT INTO report_first_responses (tenant_id, client_key, unit, day, kind, minutes, tickets)
         SELECT $1, k, u, d, t, m, n
           FROM unnest($2::uuid[], $3::text[], $4::date[], $5::text[], $6::int[], $7::int[]) AS x(k, u, d, t, m, n)
         ON CONFLICT (tenant_id, client_key, unit, day, kind, minutes)
         DO UPDATE SET tickets = report_first_responses.tickets + EXCLUDED.tickets`,
        [
          tenantId,
          f.map((x) => x.clientKey),
          f.map((x) => x.unit),
          f.map((x) => x.day),
          f.map((x) => x.kind),
          f.map((x) => x.minutes),
          f.map((x) => x.tickets),
        ],
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
    for (let i = 0; i < deltas.length; i += BATCH)
      await this.addBacklog(tenantId, deltas.slice(i, i + BATCH));
  }

  async ticketsOf(
    tenantId: string,
    after: string | null,
    limit: number,
  ): Promise<Array<StoredTicket & { id: string }>> {
    const { rows } = await this.client.query<TicketRecord>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
        ORDER BY id LIMIT $3`,
      [tenantId, after, limit],
    );
    return rows.map((r) => ({ ...storedTicket(r), id: r.id }));
  }

  async replaceAggregates(tenantId: string, aggregates: Aggregates): Promise<void> {
    for (const table of ['report_open', 'report_days', 'report_first_responses'])
      await this.client.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    const { open, days, firstResponses } = aggregates;
    const longest = Math.max(open.length, days.length, firstResponses.length);
    for (let i = 0; i < longest; i += BATCH) {
      await this.addAggregates(tenantId, {
        open: open.slice(i, i + BATCH),
        days: days.slice(i, i + BATCH),
        firstResponses: firstResponses.slice(i, i + BATCH),
      });
    }
  }
}

const BATCH = 10_000;

function key(d: BacklogDelta): string {
  return `${d.clientId ?? NO_CLIENT}|${d.day}`;
}
