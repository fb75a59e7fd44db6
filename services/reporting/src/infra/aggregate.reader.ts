// The reports' queries over the aggregates the intake keeps (ADR 48): per client and for the whole tenant, per local
// day and month. A period is cut into whole months, the other whole days and at most two days it covers only in
// part; the aggregates answer the first two, the tickets' rows (PgTicketRowsReader) the pieces of days, and the sums
// are those the rows give for the whole period. A grouping the aggregates do not keep (priority, assignee, team) is
// counted from the rows too. Every query is scoped to one tenant.
import type { Pool } from 'pg';
import type { Cohort, CohortRow, Group, HistogramRow, ReportReader } from '../app/ports';
import { ALL_CLIENTS, NO_CLIENT, splitPeriod, type PartialDay, type Period } from '../domain';
import { PgTicketRowsReader } from './report.reader';

// a client id that names one of the aggregates' own keys is no client of the tenant: the rows answer it (nothing)
const isKeyOfAggregates = (clientId: string | null) => clientId === NO_CLIENT || clientId === ALL_CLIENTS;

const keyOfRow = (clientKey: string, group: Group | null): string | null =>
  group === null || clientKey === NO_CLIENT ? null : clientKey;

const piece = (period: Period, p: PartialDay): Period => ({
  from: p.from,
  to: p.to,
  timezone: period.timezone,
  days: [p.day],
});

// the rows of the period's whole months and other whole days, of the client keys `keys` selects ($2 onwards)
function whole(keys: string): string {
  return `tenant_id = $1 AND ${keys}
    AND ((unit = 'month' AND day = ANY($2::date[])) OR (unit = 'day' AND day = ANY($3::date[])))`;
}

/** The client keys a cohort reads ($4): one key, or grouped by client every client's key but the tenant's totals. */
function keysOf(clientId: string | null, group: Group | null): { where: string; key: string } {
  if (clientId !== null) return { where: 'client_key = $4', key: clientId };
  return group === 'client'
    ? { where: 'client_key <> $4', key: ALL_CLIENTS }
    : { where: 'client_key = $4', key: ALL_CLIENTS };
}

function addCohortRows(into: Map<string | null, CohortRow>, rows: readonly CohortRow[]): void {
  for (const r of rows) {
    const c = into.get(r.key);
    into.set(
      r.key,
      c
        ? {
            key: r.key,
            tickets: c.tickets + r.tickets,
            frMet: c.frMet + r.frMet,
            frBreached: c.frBreached + r.frBreached,
            resMet: c.resMet + r.resMet,
            resBreached: c.resBreached + r.resBreached,
            rated: c.rated + r.rated,
            ratingSum: c.ratingSum + r.ratingSum,
          }
        : r,
    );
  }
}

export class PgAggregateReader implements ReportReader {
  private readonly rows: PgTicketRowsReader;

  constructor(private readonly pool: Pool) {
    this.rows = new PgTicketRowsReader(pool);
  }

  tenantZone(tenantId: string): Promise<string | null> {
    return this.rows.tenantZone(tenantId);
  }

  async openNow(tenantId: string, clientId: string | null) {
    if (isKeyOfAggregates(clientId)) return this.rows.openNow(tenantId, clientId);
    const { rows } = await this.pool.query<{ status: string; priority: string; count: number }>(
      `SELECT status, priority, tickets AS count FROM report_open
        WHERE tenant_id = $1 AND client_key = $2 AND tickets <> 0`,
      [tenantId, clientId ?? ALL_CLIENTS],
    );
    return rows;
  }

  async cohort(cohort: Cohort, group: Group | null): Promise<CohortRow[]> {
    if ((group !== null && group !== 'client') || isKeyOfAggregates(cohort.clientId))
      return this.rows.cohort(cohort, group);
    const parts = splitPeriod(cohort.period);
    const keys = keysOf(cohort.clientId, group);
    const [aggregated, ...pieces] = await Promise.all([
      this.pool.query<CohortRow & { clientKey: string }>(
        `SELECT client_key AS "clientKey", sum(created)::int AS tickets, sum(fr_met)::int AS "frMet",
                sum(fr_breached)::int AS "frBreached", sum(res_met)::int AS "resMet",
                sum(res_breached)::int AS "resBreached", sum(rated)::int AS rated, sum(rating_sum)::int AS "ratingSum"
           FROM report_days WHERE ${whole(keys.where)}
          GROUP BY client_key`,
        [cohort.tenantId, parts.months, parts.days, keys.key],
      ),
      ...parts.partial.map((p) => this.rows.cohort({ ...cohort, period: piece(cohort.period, p) }, group)),
    ]);
    const sums = new Map<string | null, CohortRow>();
    addCohortRows(
      sums,
      aggregated.rows.map(({ clientKey, ...r }) => ({ ...r, key: keyOfRow(clientKey, group) })),
    );
    for (const rows of pieces) addCohortRows(sums, rows);
    return [...sums.values()];
  }

  async firstResponses(cohort: Cohort, group: Group | null): Promise<HistogramRow[]> {
    // grouped by client, the histograms of every client hold about as many rows as the tickets: the rows answer
    if (group !== null || isKeyOfAggregates(cohort.clientId)) return this.rows.firstResponses(cohort, group);
    const parts = splitPeriod(cohort.period);
    const keys = keysOf(cohort.clientId, null);
    const [aggregated, ...pieces] = await Promise.all([
      this.pool.query<HistogramRow>(
        `SELECT NULL::text AS key, kind, minutes AS value, sum(tickets)::int AS count
           FROM report_first_responses WHERE ${whole(keys.where)}
          GROUP BY kind, minutes HAVING sum(tickets) <> 0`,
        [cohort.tenantId, parts.months, parts.days, keys.key],
      ),
      ...parts.partial.map((p) =>
        this.rows.firstResponses({ ...cohort, period: piece(cohort.period, p) }, null),
      ),
    ]);
    const sums = new Map<string, HistogramRow>();
    for (const r of [...aggregated.rows, ...pieces.flat()]) {
      const k = `${r.kind}|${r.value}`;
      const c = sums.get(k);
      sums.set(k, c ? { ...c, count: c.count + r.count } : r);
    }
    return [...sums.values()];
  }

  async countsByDay(
    tenantId: string,
    field: 'opened' | 'resolved',
    period: Period,
    clientId: string | null,
  ): Promise<Map<string, number>> {
    if (isKeyOfAggregates(clientId)) return this.rows.countsByDay(tenantId, field, period, clientId);
    const parts = splitPeriod(period);
    const column = field === 'opened' ? 'created' : 'resolved';
    const [aggregated, ...pieces] = await Promise.all([
      this.pool.query<{ day: string; count: number }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${column} AS count FROM report_days
          WHERE tenant_id = $1 AND client_key = $2 AND unit = 'day' AND day = ANY($3::date[]) AND ${column} <> 0`,
        [tenantId, clientId ?? ALL_CLIENTS, parts.wholeDays],
      ),
      ...parts.partial.map((p) => this.rows.countsByDay(tenantId, field, piece(period, p), clientId)),
    ]);
    const counts = new Map(aggregated.rows.map((r) => [r.day, r.count]));
    for (const m of pieces) for (const [day, n] of m) counts.set(day, (counts.get(day) ?? 0) + n);
    return counts;
  }

  async backlogChanges(tenantId: string, firstDay: string, lastDay: string, clientId: string | null) {
    if (isKeyOfAggregates(clientId)) return this.rows.backlogChanges(tenantId, firstDay, lastDay, clientId);
    const { rows } = await this.pool.query<{ day: string | null; delta: number }>(
      `SELECT NULL AS day, COALESCE(sum(delta), 0)::int AS delta FROM backlog_days
        WHERE tenant_id = $1 AND client_key = $4 AND day < $2::date
       UNION ALL
       SELECT to_char(day, 'YYYY-MM-DD') AS day, delta FROM backlog_days
        WHERE tenant_id = $1 AND client_key = $4 AND day >= $2::date AND day <= $3::date`,
      [tenantId, firstDay, lastDay, clientId ?? ALL_CLIENTS],
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
