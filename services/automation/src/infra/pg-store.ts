// The automation database on plain pg: rules and their versions, the engine's writes inside a consumer's inbox
// transaction, the run log with the action worker's queue, and the round robins.
import { createEnvelope, enqueueCatalogEvent, enqueueEvents, inTransaction } from '@helpdesk/bus';
import type { Pool, PoolClient } from 'pg';
import type {
  ActionOutcome,
  DueSchedule,
  DueTimer,
  EngineTransaction,
  EngineUnitOfWork,
  NewRun,
  NotifyRequest,
  PlannedAction,
  PendingRun,
  RoundRobinStore,
  RuleActor,
  RuleCursor,
  Reschedule,
  RuleRepository,
  RunRecord,
  RunRepository,
  ScheduleState,
  TriggerEnvelope,
} from '../app/ports';
import type { TenantZoneStore } from '../app/schedules.use-cases';
import type { Action, Conditions, Rule, Trigger } from '../domain/rule';
import type { TicketClock } from '../domain/time-rules';

/** The NOTIFY channel on which a commit that planned actions wakes every replica's action worker. */
export const RUNS_CHANNEL = 'automation_runs';
/** The NOTIFY channel on which a commit that armed a timer tells every replica's timer loop its due instant. */
export const TIMERS_CHANNEL = 'automation_timers';

type Queryable = Pool | PoolClient;

interface RuleRow {
  id: string;
  tenant_id: string;
  name: string;
  position: number;
  active: boolean;
  stop_processing: boolean;
  trigger: Trigger;
  conditions: Conditions;
  actions: Action[];
  version: number;
  fired_count: string;
  skipped_count: string;
  last_fired_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const RULE_COLUMNS = `id, tenant_id, name, position, active, stop_processing, trigger, conditions, actions, version,
  fired_count, skipped_count, last_fired_at, created_at, updated_at`;

function toRule(row: RuleRow): Rule {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    position: row.position,
    active: row.active,
    stopProcessing: row.stop_processing,
    trigger: row.trigger,
    conditions: row.conditions,
    actions: row.actions,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stats: {
      fired: Number(row.fired_count),
      skipped: Number(row.skipped_count),
      lastFiredAt: row.last_fired_at,
    },
  };
}

function definitionOf(rule: Rule) {
  return {
    name: rule.name,
    position: rule.position,
    active: rule.active,
    stopProcessing: rule.stopProcessing,
    trigger: rule.trigger,
    conditions: rule.conditions,
    actions: rule.actions,
  };
}

export class PgRuleRepository implements RuleRepository {
  constructor(private readonly pool: Pool) {}

  async list(tenantId: string, limit: number, after?: RuleCursor): Promise<Rule[]> {
    const params: unknown[] = [tenantId, limit];
    let where = '';
    if (after) {
      params.push(after.position, after.createdAt, after.id);
      where = 'AND (position, created_at, id) > ($3, $4, $5)';
    }
    const { rows } = await this.pool.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM rules WHERE tenant_id = $1 AND deleted_at IS NULL ${where}
       ORDER BY position, created_at, id LIMIT $2`,
      params,
    );
    return rows.map(toRule);
  }

  async find(tenantId: string, id: string): Promise<Rule | null> {
    const { rows } = await this.pool.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM rules WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
      [tenantId, id],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  async nextPosition(tenantId: string): Promise<number> {
    const { rows } = await this.pool.query<{ next: number }>(
      'SELECT coalesce(max(position) + 1, 0)::int AS next FROM rules WHERE tenant_id = $1 AND deleted_at IS NULL',
      [tenantId],
    );
    return rows[0]?.next ?? 0;
  }

  async insert(rule: Rule, actor: RuleActor, schedule: ScheduleState | null): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await insertRule(client, rule, actor, null);
      await saveSchedule(client, rule, schedule);
    });
  }

  async timeZoneOf(tenantId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ timezone: string }>(
      'SELECT timezone FROM tenants WHERE id = $1',
      [tenantId],
    );
    return rows[0]?.timezone ?? null;
  }

  async scheduleOf(tenantId: string, ruleId: string): Promise<ScheduleState | null> {
    return readSchedule(this.pool, tenantId, ruleId, false);
  }

  update(rule: Rule, previousVersion: number, actor: RuleActor, reschedule: Reschedule): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // the schedule's row first, then the rule's: the timer loop locks them in this order too (it counts its run
      // on the rule), and an occurrence it fires meanwhile is seen here, not undone
      const stored = await readSchedule(client, rule.tenantId, rule.id, true);
      const result = await client.query(
        `UPDATE rules SET name = $3, position = $4, active = $5, stop_processing = $6, trigger_type = $7,
           trigger = $8, conditions = $9, actions = $10, version = $11, updated_at = $12
         WHERE tenant_id = $1 AND id = $2 AND version = $13 AND deleted_at IS NULL`,
        [
          rule.tenantId,
          rule.id,
          rule.name,
          rule.position,
          rule.active,
          rule.stopProcessing,
          rule.trigger.type,
          JSON.stringify(rule.trigger),
          JSON.stringify(rule.conditions),
          JSON.stringify(rule.actions),
          rule.version,
          rule.updatedAt,
          previousVersion,
        ],
      );
      if (result.rowCount !== 1) return false;
      await insertVersion(client, rule, actor);
      await saveSchedule(client, rule, reschedule(stored));
      return true;
    });
  }

  delete(tenantId: string, id: string, previousVersion: number, at: Date): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      await readSchedule(client, tenantId, id, true);
      const result = await client.query(
        `UPDATE rules SET deleted_at = $3, active = false
         WHERE tenant_id = $1 AND id = $2 AND version = $4 AND deleted_at IS NULL`,
        [tenantId, id, at, previousVersion],
      );
      if (result.rowCount !== 1) return false;
      await client.query('DELETE FROM schedules WHERE tenant_id = $1 AND rule_id = $2', [tenantId, id]);
      return true;
    });
  }
}

/** A tenant's zone and the schedule rules that follow it, on the tenant event's inbox transaction. */
export class PgTenantZoneStore implements TenantZoneStore {
  constructor(private readonly client: PoolClient) {}

  async moveZone(tenantId: string, timezone: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.client.query(
      `INSERT INTO tenants (id, timezone, seeded_at, zone_at) VALUES ($1, $2, now(), $3)
       ON CONFLICT (id) DO UPDATE SET timezone = EXCLUDED.timezone, zone_at = EXCLUDED.zone_at
       WHERE tenants.zone_at IS NULL OR tenants.zone_at <= EXCLUDED.zone_at`,
      [tenantId, timezone, at],
    );
    return rowCount === 1;
  }

  async zoneFollowingRules(tenantId: string): Promise<Rule[]> {
    const { rows } = await this.client.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM rules
       WHERE tenant_id = $1 AND deleted_at IS NULL AND trigger_type = 'schedule' AND NOT (trigger ? 'timezone')`,
      [tenantId],
    );
    return rows.map(toRule);
  }

  async reschedule(rule: Rule, reschedule: Reschedule): Promise<void> {
    const stored = await readSchedule(this.client, rule.tenantId, rule.id, true);
    await saveSchedule(this.client, rule, reschedule(stored));
  }
}

/** A rule's schedule row, locked for the transaction with `lock`; null when it has none. */
async function readSchedule(
  client: Queryable,
  tenantId: string,
  ruleId: string,
  lock: boolean,
): Promise<ScheduleState | null> {
  const { rows } = await client.query<{
    rrule: string;
    timezone: string;
    anchor_at: Date;
    next_at: Date | null;
    last_occurrence_at: Date | null;
  }>(
    `SELECT rrule, timezone, anchor_at, next_at, last_occurrence_at FROM schedules
     WHERE tenant_id = $1 AND rule_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, ruleId],
  );
  const row = rows[0];
  return row
    ? {
        rrule: row.rrule,
        timezone: row.timezone,
        anchorAt: row.anchor_at,
        nextAt: row.next_at,
        lastOccurrenceAt: row.last_occurrence_at,
      }
    : null;
}

/** Writes (or drops) a rule's schedule row and tells every replica's timer loop when it is next due. */
async function saveSchedule(client: Queryable, rule: Rule, schedule: ScheduleState | null): Promise<void> {
  if (!schedule) {
    await client.query('DELETE FROM schedules WHERE tenant_id = $1 AND rule_id = $2', [
      rule.tenantId,
      rule.id,
    ]);
    return;
  }
  await client.query(
    `INSERT INTO schedules (rule_id, tenant_id, rrule, timezone, anchor_at, next_at, last_occurrence_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (rule_id) DO UPDATE SET rrule = EXCLUDED.rrule, timezone = EXCLUDED.timezone,
       anchor_at = EXCLUDED.anchor_at, next_at = EXCLUDED.next_at, last_occurrence_at = EXCLUDED.last_occurrence_at`,
    [
      rule.id,
      rule.tenantId,
      schedule.rrule,
      schedule.timezone,
      schedule.anchorAt,
      schedule.nextAt,
      schedule.lastOccurrenceAt,
    ],
  );
  if (schedule.nextAt)
    await client.query('SELECT pg_notify($1, $2)', [TIMERS_CHANNEL, String(schedule.nextAt.getTime())]);
}

async function insertVersion(client: Queryable, rule: Rule, actor: RuleActor): Promise<void> {
  await client.query(
    `INSERT INTO rule_versions (rule_id, version, tenant_id, definition, actor_type, actor_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      rule.id,
      rule.version,
      rule.tenantId,
      JSON.stringify(definitionOf(rule)),
      actor.type,
      actor.id,
      rule.updatedAt,
    ],
  );
}

/** Inserts a rule and its version 1; with a seed key, nothing when the tenant has that default already. */
export async function insertRule(
  pool: Pool | PoolClient,
  rule: Rule,
  actor: RuleActor,
  seedKey: string | null,
): Promise<boolean> {
  const write = async (client: Queryable) => {
    const result = await client.query(
      `INSERT INTO rules (id, tenant_id, name, position, active, stop_processing, trigger_type, trigger, conditions,
         actions, version, seed_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT (tenant_id, seed_key) DO NOTHING`,
      [
        rule.id,
        rule.tenantId,
        rule.name,
        rule.position,
        rule.active,
        rule.stopProcessing,
        rule.trigger.type,
        JSON.stringify(rule.trigger),
        JSON.stringify(rule.conditions),
        JSON.stringify(rule.actions),
        rule.version,
        seedKey,
        rule.createdAt,
      ],
    );
    if (result.rowCount !== 1) return false;
    await insertVersion(client, rule, actor);
    return true;
  };
  return 'release' in pool ? write(pool) : inTransaction(pool, write);
}

/** The engine's writes on a client inside a transaction (the consumer's inbox transaction). */
export class PgEngineTransaction implements EngineTransaction {
  constructor(private readonly client: PoolClient) {}

  async listening(tenantId: string, event: string): Promise<Rule[]> {
    const { rows } = await this.client.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM rules
       WHERE tenant_id = $1 AND trigger_type = 'event' AND active AND deleted_at IS NULL
         AND trigger->'events' ? $2
       ORDER BY position, created_at, id`,
      [tenantId, event],
    );
    return rows.map(toRule);
  }

  async firedAlready(ticketId: string, originId: string, ruleIds: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.client.query<{ rule_id: string }>(
      'SELECT rule_id FROM rule_firings WHERE ticket_id = $1 AND origin_id = $2 AND rule_id = ANY($3::uuid[])',
      [ticketId, originId, ruleIds],
    );
    return new Set(rows.map((r) => r.rule_id));
  }

  async recordFiring(
    tenantId: string,
    ruleId: string,
    ticketId: string,
    originId: string,
    at: Date,
  ): Promise<boolean> {
    const result = await this.client.query(
      `INSERT INTO rule_firings (rule_id, ticket_id, origin_id, tenant_id, at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [ruleId, ticketId, originId, tenantId, at],
    );
    return result.rowCount === 1;
  }

  async insertRun(run: NewRun): Promise<void> {
    await insertRuns(this.client, [run]);
  }

  async insertRuns(runs: readonly NewRun[]): Promise<void> {
    await insertRuns(this.client, runs);
  }

  async signalRuns(): Promise<void> {
    await this.client.query('SELECT pg_notify($1, $2)', [RUNS_CHANNEL, '']);
  }

  async timeRules(tenantId: string): Promise<Rule[]> {
    const { rows } = await this.client.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM rules
       WHERE tenant_id = $1 AND trigger_type = 'time' AND active AND deleted_at IS NULL
       ORDER BY position, created_at, id`,
      [tenantId],
    );
    return rows.map(toRule);
  }

  async findRule(tenantId: string, id: string): Promise<Rule | null> {
    const { rows } = await this.client.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM rules WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
      [tenantId, id],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  async trackTicket(
    tenantId: string,
    ticketId: string,
    version: number,
    at: Date,
    statusChanged: boolean,
  ): Promise<TicketClock> {
    // events of one ticket may arrive out of order: only a newer version moves the instants
    await this.client.query(
      `INSERT INTO ticket_states (ticket_id, tenant_id, version, status_entered_at, last_activity_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (ticket_id) DO UPDATE SET
         version = EXCLUDED.version,
         status_entered_at = CASE WHEN $5 THEN EXCLUDED.status_entered_at ELSE ticket_states.status_entered_at END,
         last_activity_at = EXCLUDED.last_activity_at
       WHERE ticket_states.version < EXCLUDED.version`,
      [ticketId, tenantId, version, at, statusChanged],
    );
    const { rows } = await this.client.query<{ status_entered_at: Date; last_activity_at: Date }>(
      'SELECT status_entered_at, last_activity_at FROM ticket_states WHERE ticket_id = $1 AND tenant_id = $2',
      [ticketId, tenantId],
    );
    return { statusEnteredAt: rows[0]!.status_entered_at, lastActivityAt: rows[0]!.last_activity_at };
  }

  async arm(
    tenantId: string,
    ruleId: string,
    ticketId: string,
    sinceAt: Date,
    dueAt: Date,
  ): Promise<boolean> {
    const result = await this.client.query(
      `INSERT INTO timers (rule_id, ticket_id, tenant_id, since_at, due_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rule_id, ticket_id) DO UPDATE SET since_at = EXCLUDED.since_at, due_at = EXCLUDED.due_at
       WHERE NOT (timers.since_at = EXCLUDED.since_at AND (timers.due_at IS NULL OR timers.due_at = EXCLUDED.due_at))`,
      [ruleId, ticketId, tenantId, sinceAt, dueAt],
    );
    return result.rowCount === 1;
  }

  async cancel(ruleId: string, ticketId: string): Promise<void> {
    await this.client.query(
      'DELETE FROM timers WHERE rule_id = $1 AND ticket_id = $2 AND due_at IS NOT NULL',
      [ruleId, ticketId],
    );
  }

  async lockDue(now: Date, limit: number): Promise<DueTimer[]> {
    // the index on due_at answers this; nothing scans the tickets
    const { rows } = await this.client.query<{
      tenant_id: string;
      rule_id: string;
      ticket_id: string;
      since_at: Date;
      due_at: Date;
    }>(
      `SELECT tenant_id, rule_id, ticket_id, since_at, due_at FROM timers
       WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      ruleId: r.rule_id,
      ticketId: r.ticket_id,
      sinceAt: r.since_at,
      dueAt: r.due_at,
    }));
  }

  async markFired(ruleId: string, ticketId: string): Promise<void> {
    await this.client.query('UPDATE timers SET due_at = NULL WHERE rule_id = $1 AND ticket_id = $2', [
      ruleId,
      ticketId,
    ]);
  }

  async signalDue(at: Date): Promise<void> {
    await this.client.query('SELECT pg_notify($1, $2)', [TIMERS_CHANNEL, String(at.getTime())]);
  }

  async lockDueSchedules(now: Date, limit: number): Promise<DueSchedule[]> {
    // the index on next_at answers this; nothing scans the rules
    const { rows } = await this.client.query<{
      tenant_id: string;
      rule_id: string;
      rrule: string;
      timezone: string;
      anchor_at: Date;
      next_at: Date;
      last_occurrence_at: Date | null;
    }>(
      `SELECT tenant_id, rule_id, rrule, timezone, anchor_at, next_at, last_occurrence_at FROM schedules
       WHERE next_at <= $1 ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      ruleId: r.rule_id,
      rrule: r.rrule,
      timezone: r.timezone,
      anchorAt: r.anchor_at,
      nextAt: r.next_at,
      lastOccurrenceAt: r.last_occurrence_at,
    }));
  }

  async advanceSchedule(ruleId: string, nextAt: Date | null, fired?: Date): Promise<void> {
    await this.client.query(
      `UPDATE schedules SET next_at = $2,
         last_occurrence_at = CASE WHEN $3::timestamptz IS NULL THEN last_occurrence_at
           ELSE greatest(last_occurrence_at, $3::timestamptz) END
       WHERE rule_id = $1`,
      [ruleId, nextAt, fired ?? null],
    );
  }
}

const RUN_COLUMNS = 16;

/** An event the engine built (id and instant decided with its run) as the outbox keeps it, with the trace context. */
function outboxEnvelope(event: TriggerEnvelope) {
  return createEnvelope({
    id: event.id,
    type: event.type,
    version: event.version,
    tenantId: event.tenantId,
    occurredAt: new Date(event.occurredAt),
    data: event.data,
  });
}

/**
 * The runs in one INSERT (rows in the given order, so their seq follows it) and their counters in one UPDATE that
 * locks the rules in id order: an event decided against 50 rules is two statements, not a hundred.
 */
async function insertRuns(client: Queryable, runs: readonly NewRun[]): Promise<void> {
  if (runs.length === 0) return;
  const params: unknown[] = [];
  const rows: string[] = [];
  const counts = new Map<string, { fired: number; skipped: number; lastFiredAt: Date | null }>();
  for (const run of runs) {
    const fired = run.outcome === 'fired';
    const pending: ActionOutcome[] = run.planned.map((a) => ({
      type: a.type,
      result: 'pending',
      error: null,
    }));
    const base = params.length;
    rows.push(`(${Array.from({ length: RUN_COLUMNS }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    params.push(
      run.id,
      run.tenantId,
      run.rule.id,
      run.rule.version,
      run.ticketId,
      run.ticketNumber,
      run.triggerType,
      run.eventId,
      run.outcome,
      run.reason,
      JSON.stringify(run.planned),
      JSON.stringify(pending),
      run.origin.originId,
      run.origin.depth,
      fired && run.planned.length > 0 ? 'pending' : 'done',
      run.at,
    );
    const count = counts.get(run.rule.id) ?? { fired: 0, skipped: 0, lastFiredAt: null };
    if (fired) {
      count.fired += 1;
      count.lastFiredAt = run.at;
    } else count.skipped += 1;
    counts.set(run.rule.id, count);
  }
  await client.query(
    `INSERT INTO runs (id, tenant_id, rule_id, rule_version, ticket_id, ticket_number, trigger_type, event_id,
       outcome, reason, planned, results, origin_id, depth, state, at)
     VALUES ${rows.join(', ')}`,
    params,
  );
  // each fired run's helpdesk.automation.rule_fired, in the run's transaction (docs/adr/0049)
  await enqueueEvents(
    client,
    runs.flatMap((run) => (run.firedEvent ? [outboxEnvelope(run.firedEvent)] : [])),
  );
  const ids = [...counts.keys()].sort();
  await client.query(
    `WITH c AS (
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::timestamptz[]) AS c(id, fired, skipped, last_fired_at)
     ), locked AS (
       SELECT r.id FROM rules r WHERE r.id = ANY($1::uuid[]) ORDER BY r.id FOR UPDATE
     )
     UPDATE rules r SET fired_count = r.fired_count + c.fired, skipped_count = r.skipped_count + c.skipped,
       last_fired_at = coalesce(c.last_fired_at, r.last_fired_at)
     FROM c WHERE r.id = c.id AND r.id IN (SELECT id FROM locked)`,
    [
      ids,
      ids.map((id) => counts.get(id)!.fired),
      ids.map((id) => counts.get(id)!.skipped),
      ids.map((id) => counts.get(id)!.lastFiredAt),
    ],
  );
}

export class PgEngineUnitOfWork implements EngineUnitOfWork {
  constructor(private readonly pool: Pool) {}

  run<T>(work: (tx: EngineTransaction) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, (client) => work(new PgEngineTransaction(client)));
  }

  on(client: PoolClient): EngineTransaction {
    return new PgEngineTransaction(client);
  }

  /** The earliest instant a timer or a schedule is due, from the indexes on due_at and next_at; null when none is. */
  async nextDue(): Promise<Date | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(
      'SELECT least((SELECT min(due_at) FROM timers), (SELECT min(next_at) FROM schedules)) AS at',
    );
    return rows[0]?.at ?? null;
  }
}

interface RunRow {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_version: number;
  ticket_id: string | null;
  trigger_type: string;
  event_id: string;
  outcome: 'fired' | 'skipped';
  reason: string | null;
  results: ActionOutcome[];
  at: Date;
}

export class PgRunRepository implements RunRepository {
  constructor(private readonly pool: Pool) {}

  async list(query: {
    tenantId: string;
    ruleId?: string;
    ticketId?: string;
    limit: number;
    after?: { at: Date; id: string };
  }): Promise<RunRecord[]> {
    const params: unknown[] = [query.tenantId, query.limit];
    const where = ['tenant_id = $1'];
    if (query.ruleId) {
      params.push(query.ruleId);
      where.push(`rule_id = $${params.length}`);
    }
    if (query.ticketId) {
      params.push(query.ticketId);
      where.push(`ticket_id = $${params.length}`);
    }
    if (query.after) {
      params.push(query.after.at, query.after.id);
      where.push(`(at, id) < ($${params.length - 1}, $${params.length})`);
    }
    const { rows } = await this.pool.query<RunRow>(
      `SELECT id, tenant_id, rule_id, rule_version, ticket_id, trigger_type, event_id, outcome, reason, results, at
       FROM runs WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT $2`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      ruleId: r.rule_id,
      ruleVersion: r.rule_version,
      ticketId: r.ticket_id,
      triggerType: r.trigger_type,
      eventId: r.event_id,
      outcome: r.outcome,
      reason: r.reason,
      actions: r.results,
      at: r.at,
    }));
  }

  async claim(limit: number, leaseMs: number): Promise<PendingRun[]> {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      rule_id: string;
      rule_version: number;
      rule_name: string;
      ticket_id: string | null;
      ticket_number: number | null;
      trigger_type: NewRun['triggerType'];
      event_id: string;
      at: Date;
      planned: PlannedAction[];
      results: ActionOutcome[];
      origin_id: string;
      depth: number;
      attempts: number;
    }>(
      `WITH claimed AS (
         SELECT id FROM runs
         WHERE state = 'pending' AND (lease_until IS NULL OR lease_until <= now())
         ORDER BY state, lease_until NULLS FIRST, seq
         LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE runs r SET lease_until = now() + make_interval(secs => $2::double precision / 1000),
         attempts = r.attempts + 1
       FROM claimed, rules u
       WHERE r.id = claimed.id AND u.id = r.rule_id
       RETURNING r.id, r.tenant_id, r.rule_id, r.rule_version, u.name AS rule_name, r.ticket_id, r.ticket_number,
         r.trigger_type, r.event_id, r.at, r.planned, r.results, r.origin_id, r.depth, r.attempts, r.seq`,
      [limit, leaseMs],
    );
    return rows
      .sort((a, b) => Number((a as { seq?: string }).seq) - Number((b as { seq?: string }).seq))
      .map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        ruleId: r.rule_id,
        ruleVersion: r.rule_version,
        ruleName: r.rule_name,
        ticketId: r.ticket_id,
        ticketNumber: r.ticket_number,
        triggerType: r.trigger_type,
        eventId: r.event_id,
        at: r.at,
        planned: r.planned,
        results: r.results,
        origin: { originId: r.origin_id, depth: r.depth },
        attempts: r.attempts,
      }));
  }

  async saveResults(id: string, results: ActionOutcome[], completed: TriggerEnvelope | null): Promise<void> {
    if (!completed) await saveResults(this.pool, id, results, null);
    else await inTransaction(this.pool, (client) => saveResults(client, id, results, completed));
  }

  saveWithNotify(
    id: string,
    results: ActionOutcome[],
    completed: TriggerEnvelope | null,
    n: NotifyRequest,
  ): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      await saveResults(client, id, results, completed);
      await enqueueCatalogEvent(client, 'helpdesk.automation.notify_requested', n.tenantId, {
        ruleId: n.ruleId,
        ruleName: n.ruleName,
        ruleVersion: n.ruleVersion,
        ticketId: n.ticketId,
        ticketNumber: n.ticketNumber,
        ticketTitle: n.ticketTitle,
        userIds: n.userIds,
        teamId: n.teamId ?? '',
        admins: n.admins,
        message: n.message,
      });
    });
  }

  async purge(before: Date): Promise<number> {
    const runs = await this.pool.query(
      `DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE at < $1 AND state = 'done' LIMIT 10000)`,
      [before],
    );
    await this.pool.query(
      'DELETE FROM rule_firings WHERE ctid IN (SELECT ctid FROM rule_firings WHERE at < $1 LIMIT 10000)',
      [before],
    );
    await this.pool.query(
      'DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox WHERE processed_at < $1 LIMIT 10000)',
      [before],
    );
    return runs.rowCount ?? 0;
  }
}

/**
 * Stores a pending run's results; `completed` ends it and goes to the outbox in the caller's transaction. A run done
 * already (another worker whose lease ran out got there first) is left as it is, so it completes once.
 */
async function saveResults(
  client: Queryable,
  id: string,
  results: ActionOutcome[],
  completed: TriggerEnvelope | null,
) {
  // what is not applied yet stays pending in the log
  const { rows } = await client.query<{ planned: Action[] }>('SELECT planned FROM runs WHERE id = $1', [id]);
  const planned = rows[0]?.planned ?? [];
  const shown: ActionOutcome[] = planned.map(
    (a, i) => results[i] ?? { type: a.type, result: 'pending', error: null },
  );
  const updated = await client.query(
    `UPDATE runs SET results = $2, state = $3::varchar,
       lease_until = CASE WHEN $3::varchar = 'done' THEN NULL ELSE lease_until END
     WHERE id = $1 AND state = 'pending'`,
    [id, JSON.stringify(shown), completed ? 'done' : 'pending'],
  );
  if (completed && updated.rowCount === 1) await enqueueEvents(client, [outboxEnvelope(completed)]);
}

export class PgRoundRobinStore implements RoundRobinStore {
  constructor(private readonly pool: Pool) {}

  advance(
    tenantId: string,
    teamId: string,
    pick: (last: string | null) => string | null,
  ): Promise<string | null> {
    return inTransaction(this.pool, async (client) => {
      // the row (made on first use) serialises the team's round robin across replicas
      await client.query(
        `INSERT INTO round_robins (tenant_id, team_id, last_user_id)
         VALUES ($1, $2, '00000000-0000-0000-0000-000000000000') ON CONFLICT DO NOTHING`,
        [tenantId, teamId],
      );
      const { rows } = await client.query<{ last_user_id: string }>(
        'SELECT last_user_id FROM round_robins WHERE tenant_id = $1 AND team_id = $2 FOR UPDATE',
        [tenantId, teamId],
      );
      const last = rows[0]?.last_user_id;
      const next = pick(!last || last === '00000000-0000-0000-0000-000000000000' ? null : last);
      if (next)
        await client.query(
          'UPDATE round_robins SET last_user_id = $3 WHERE tenant_id = $1 AND team_id = $2',
          [tenantId, teamId, next],
        );
      return next;
    });
  }
}
