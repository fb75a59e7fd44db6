// The clocks' storage on plain pg: the consumer hands its inbox transaction's client to the same code the timers
// and the reset use, so every change of a ticket's clocks and its events commit together.
import { enqueueCatalogEvent, inTransaction } from '@helpdesk/bus';
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import type { ClockTransaction, ClockUnitOfWork, SlaDomainEvent, TicketRow } from '../app/ports';
import { CLOCK_STATES, PRIORITIES, nextFireAt, type SlaClocks, type TicketFacts } from '../domain';
import { toProtoTicketSla } from '../transport/sla.mapper';
import { recordFireDelays } from './timer.metrics';

/** The NOTIFY channel on which a committed change announces its next due instant (epoch ms). */
export const DUE_CHANNEL = 'sla_due';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const maybeInstant = instant.nullable();

const clockSchema = z.object({
  state: z.enum(CLOCK_STATES),
  targetMs: z.number(),
  usedMs: z.number(),
  since: maybeInstant,
  dueAt: maybeInstant,
  warnAt: maybeInstant,
  warnedAt: maybeInstant,
  breachedAt: maybeInstant,
  metAt: maybeInstant,
});

const clocksSchema = z.object({
  policyId: z.string(),
  priority: z.enum(PRIORITIES),
  startedAt: instant,
  asOf: instant,
  firstResponse: clockSchema,
  resolution: clockSchema,
});

const factsSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  number: z.number(),
  version: z.number(),
  status: z.string(),
  priority: z.string(),
  type: z.string().nullable(),
  clientId: z.string().nullable(),
  openedAt: instant,
  updatedAt: instant,
  firstRespondedAt: maybeInstant,
  lastAgentReplyAt: maybeInstant,
  resolvedAt: maybeInstant,
  closedAt: maybeInstant,
});

interface Row {
  facts: unknown;
  clocks: unknown;
  sla_sequence: number;
}

const COLUMNS = 'facts, clocks, sla_sequence';

function toRow(row: Row): TicketRow {
  return {
    facts: factsSchema.parse(row.facts) as TicketFacts,
    clocks: row.clocks === null ? null : (clocksSchema.parse(row.clocks) as SlaClocks),
    sequence: row.sla_sequence,
  };
}

// Dates become ISO strings in JSON, which the schemas above read back.
function values(row: TicketRow): unknown[] {
  return [
    row.facts.tenantId,
    row.facts.id,
    row.facts.version,
    JSON.stringify(row.facts),
    row.clocks === null ? null : JSON.stringify(row.clocks),
    row.sequence,
    row.clocks ? nextFireAt(row.clocks) : null,
  ];
}

/** ClockTransaction on a pg client that is inside a transaction. */
export class PgClockTransaction implements ClockTransaction {
  constructor(
    private readonly client: PoolClient,
    private readonly signalHorizonMs: number,
  ) {}

  private async rows(sql: string, params: unknown[]): Promise<TicketRow[]> {
    const { rows } = await this.client.query<Row>(sql, params);
    return rows.map(toRow);
  }

  async findTicket(tenantId: string, ticketId: string): Promise<TicketRow | null> {
    const [row] = await this.rows(`SELECT ${COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      ticketId,
    ]);
    return row ?? null;
  }

  async lockTicket(tenantId: string, ticketId: string): Promise<TicketRow | null> {
    const [row] = await this.rows(
      `SELECT ${COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenantId, ticketId],
    );
    return row ?? null;
  }

  async insertTicket(row: TicketRow): Promise<void> {
    await this.client.query(
      `INSERT INTO tickets (tenant_id, id, version, facts, clocks, sla_sequence, next_fire_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      values(row),
    );
  }

  async saveTicket(row: TicketRow, previousSequence: number): Promise<boolean> {
    const result = await this.client.query(
      `UPDATE tickets SET version = $3, facts = $4, clocks = $5, sla_sequence = $6, next_fire_at = $7, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND sla_sequence = $8`,
      [...values(row), previousSequence],
    );
    return result.rowCount === 1;
  }

  async lockDue(now: Date, limit: number): Promise<TicketRow[]> {
    // the index on next_fire_at answers this; nothing scans the tickets
    const { rows } = await this.client.query<Row & { next_fire_at: Date }>(
      `SELECT ${COLUMNS}, next_fire_at FROM tickets WHERE next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    recordFireDelays(rows.map((r) => r.next_fire_at));
    return rows.map(toRow);
  }

  lockWithoutClocks(tenantId: string, limit: number): Promise<TicketRow[]> {
    return this.rows(
      `SELECT ${COLUMNS} FROM tickets WHERE tenant_id = $1 AND clocks IS NULL LIMIT $2 FOR UPDATE`,
      [tenantId, limit],
    );
  }

  async upsertClient(
    tenantId: string,
    clientId: string,
    slaPolicyId: string | null,
    version: number,
  ): Promise<void> {
    await this.client.query(
      `INSERT INTO clients (tenant_id, id, sla_policy_id, version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, id) DO UPDATE SET sla_policy_id = EXCLUDED.sla_policy_id, version = EXCLUDED.version
       WHERE clients.version < EXCLUDED.version`,
      [tenantId, clientId, slaPolicyId, version],
    );
  }

  async clientPolicyId(tenantId: string, clientId: string): Promise<string | null> {
    const { rows } = await this.client.query<{ sla_policy_id: string | null }>(
      'SELECT sla_policy_id FROM clients WHERE tenant_id = $1 AND id = $2',
      [tenantId, clientId],
    );
    return rows[0]?.sla_policy_id ?? null;
  }

  async enqueue(event: SlaDomainEvent): Promise<void> {
    await enqueueCatalogEvent(this.client, `helpdesk.sla.${event.kind}`, event.tenantId, {
      ticketId: event.ticketId,
      ticketNumber: event.ticketNumber,
      sla: toProtoTicketSla(event.sla),
      target: event.target ?? '',
      sequence: event.sequence,
      firstResponseBusinessMinutes: event.firstResponseBusinessMinutes ?? undefined,
    });
  }

  async signalDue(at: Date): Promise<void> {
    // every replica re-reads the next due instant within the horizon anyway; only sooner ones need a message
    if (at.getTime() > Date.now() + this.signalHorizonMs) return;
    await this.client.query('SELECT pg_notify($1, $2)', [DUE_CHANNEL, String(at.getTime())]);
  }
}

/** One pg transaction over the clocks. */
export class PgClockUnitOfWork implements ClockUnitOfWork {
  /**
   * `signalHorizonMs`: due instants closer than this are announced on DUE_CHANNEL; the timers' periodic re-read
   * of the next due instant (every `signalHorizonMs` at most) finds the later ones in time.
   */
  constructor(
    private readonly pool: Pool,
    private readonly signalHorizonMs: number,
  ) {}

  run<T>(work: (tx: ClockTransaction) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, (client) => work(this.on(client)));
  }

  /** The clocks on a client already inside a transaction (the consumer's inbox transaction). */
  on(client: PoolClient): ClockTransaction {
    return new PgClockTransaction(client, this.signalHorizonMs);
  }

  /** The earliest instant anything is due, from the index on next_fire_at; null when nothing is. */
  async nextDue(): Promise<Date | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(
      'SELECT min(next_fire_at) AS at FROM tickets',
    );
    return rows[0]?.at ?? null;
  }
}
