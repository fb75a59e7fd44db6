// The reports' queries over the tickets' rows of the read model, computed from scratch on every call: what the
// aggregates (aggregate.reader.ts) answer the same as, and what they hand the parts of a period to that they do not
// hold (a day covered in part, a grouping by priority, assignee or team). Every query is scoped to one tenant.
import type { Pool } from 'pg';
import type { Cohort, CohortRow, Group, HistogramRow, ReportReader } from '../app/ports';
import { ALL_CLIENTS, dayThresholds, type Period } from '../domain';

// the column a group is keyed by; fixed strings, never caller input
const GROUP_COLUMN: Record<Group, string> = {
  client: 'client_id::text',
  priority: 'priority',
  assignee: 'assignee_id::text',
  team: 'team_id::text',
};

const keyOf = (group: Group | null) => (group ? GROUP_COLUMN[group] : 'NULL::text');

// a ticket of the cohort: opened in [from, to), of the client when one is asked for
const COHORT = `tenant_id = $1 AND opened_at >= $2 AND opened_at < $3 AND ($4::uuid IS NULL OR client_id = $4)`;

const cohortParams = (c: Cohort) => [c.tenantId, c.period.from, c.period.to, c.clientId];

export class PgTicketRowsReader implements ReportReader {
  constructor(private readonly pool: Pool) {}

  async tenantZone(tenantId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ timezone: string }>(
      'SELECT timezone FROM tenants WHERE tenant_id = $1 AND as_of IS NOT NULL',
      [tenantId],
    );
    return rows[0]?.timezone ?? null;
  }

  async openNow(tenantId: string, clientId: string | null) {
    const { rows } = await this.pool.query<{ status: string; priority: string; count: number }>(
      `SELECT status, priority, count(*)::int AS count FROM tickets
        WHERE tenant_id = $1 AND version > 0 AND status NOT IN ('resolved', 'closed')
          AND ($2::uuid IS NULL OR client_id = $2)
        GROUP BY status, priority`,
      [tenantId, clientId],
    );
    return rows;
  }

  async cohort(cohort: Cohort, group: Group | null): Promise<CohortRow[]> {
    const { rows } = await this.pool.query<CohortRow>(
      `SELECT ${keyOf(group)} AS key,
              count(*)::int AS tickets,
              (count(*) FILTER (WHERE fr_state = 'met'))::int AS "frMet",
              (count(*) FILTER (WHERE fr_state = 'breached'))::int AS "frBreached",
              (count(*) FILTER (WHERE res_state = 'met'))::int AS "resMet",
              (count(*) FILTER (WHERE res_state = 'breached'))::int AS "resBreached",
              count(rating_score)::int AS rated,
              COALESCE(sum(rating_score), 0)::int AS "ratingSum"
         FROM tickets WHERE ${COHORT}
        GROUP BY 1`,
      cohortParams(cohort),
    );
    return rows;
  }

  async firstResponses(cohort: Cohort, group: Group | null): Promise<HistogramRow[]> {
    const key = keyOf(group);
    const { rows } = await this.pool.query<HistogramRow>(
      `SELECT ${key} AS key, 'calendar' AS kind, first_response_minutes AS value, count(*)::int AS count
         FROM tickets WHERE ${COHORT} AND first_response_minutes IS NOT NULL
        GROUP BY 1, 3
       UNION ALL
       SELECT ${key} AS key, 'business' AS kind, fr_business_minutes AS value, count(*)::int AS count
         FROM tickets WHERE ${COHORT} AND first_responded_at IS NOT NULL AND fr_business_minutes IS NOT NULL
        GROUP BY 1, 3`,
      cohortParams(cohort),
    );
    return rows;
  }

  async countsByDay(
    tenantId: string,
    field: 'opened' | 'resolved',
    period: Period,
    clientId: string | null,
  ): Promise<Map<string, number>> {
    // bucket i of width_bucket(instant, thresholds) is day i − 1 of the period
    const thresholds = dayThresholds(period);
    const column = field === 'opened' ? 'opened_at' : 'resolved_at';
    const done = field === 'resolved' ? `AND status IN ('resolved', 'closed')` : '';
    const { rows } = await this.pool.query<{ bucket: number; count: number }>(
      `SELECT width_bucket(${column}, $2::timestamptz[]) AS bucket, count(*)::int AS count FROM tickets
        WHERE tenant_id = $1 AND ${column} >= $3 AND ${column} < $4 ${done}
          AND ($5::uuid IS NULL OR client_id = $5)
        GROUP BY 1`,
      [tenantId, thresholds, thresholds[0], thresholds[thresholds.length - 1], clientId],
    );
    return new Map(rows.map((r) => [period.days[r.bucket - 1]!, r.count]));
  }

  /** From the clients' backlog rows, summed here (not from the tenant's totals). */
  async backlogChanges(tenantId: string, firstDay: string, lastDay: string, clientId: string | null) {
    const { rows } = await this.pool.query<{ day: string | null; delta: number }>(
      `SELECT NULL AS day, COALESCE(sum(delta), 0)::int AS delta FROM backlog_days
        WHERE tenant_id = $1 AND day < $2::date AND client_key <> $5 AND ($4::uuid IS NULL OR client_key = $4)
       UNION ALL
       SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(delta)::int AS delta FROM backlog_days
        WHERE tenant_id = $1 AND day >= $2::date AND day <= $3::date AND client_key <> $5
          AND ($4::uuid IS NULL OR client_key = $4)
        GROUP BY day`,
      [tenantId, firstDay, lastDay, clientId, ALL_CLIENTS],
    );
    let before = 0;
    const byDay = new Map<string, number>();
    for (const r of rows) {
      if (r.day === null) before = r.delta;
      else byDay.set(r.day, r.delta);
    }
    return { before, byDay };
  }
}
