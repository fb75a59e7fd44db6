// The seeding path of bench/reports.ts: events of tickets the read model has never seen go through the reporting
// service's own apply code (factOf, then IntakeUseCase through applyFact, as the live consumer runs it) against a
// store that keeps a batch of tickets in memory instead of locking rows one event at a time, and writes the batch at
// the end: the tickets' rows and versions with multi-row INSERTs, the backlog changes and the aggregates' changes
// with the live store's own statements (PgIntakeTransaction). No inbox rows: these events are never on a stream.
import type { Pool } from 'pg';
import { IntakeUseCase } from '../services/reporting/src/app/intake.use-case';
import type {
  IntakeTransaction,
  StoredTenant,
  TicketVersionPoint,
} from '../services/reporting/src/app/ports';
import {
  AggregatesBuilder,
  NO_SLA,
  compact,
  type Aggregates,
  type BacklogDelta,
  type SlaHalf,
  type StoredTicket,
  type TicketRow,
  type VersionPoint,
} from '../services/reporting/src/domain';
import { PgIntakeTransaction } from '../services/reporting/src/infra/read-model.store';
import { factOf } from '../services/reporting/src/transport/event-facts';
import { applyFact } from '../services/reporting/src/transport/nats/read-model.consumers';
import type { BenchEvent } from './reports-data';

const fail = (what: string): never => {
  throw new Error(`the seeding store does not ${what}`);
};

/** One batch of new tickets in memory (IntakeTransaction over fresh tickets only). */
export class BatchStore implements IntakeTransaction {
  readonly tickets = new Map<string, StoredTicket>();
  readonly versions = new Map<string, VersionPoint[]>();
  readonly backlog: BacklogDelta[] = [];
  // the days are never asked for: the use case hands over changes already counted
  private readonly sums = new AggregatesBuilder(() => fail('count days'));

  constructor(private readonly tenant: StoredTenant) {}

  shareTenant(): Promise<StoredTenant> {
    return Promise.resolve(this.tenant);
  }
  lockTenant(): Promise<StoredTenant> {
    return fail('change zones');
  }
  saveTenantZone(): Promise<void> {
    return fail('change zones');
  }
  lockTicket(_tenantId: string, ticketId: string): Promise<StoredTicket> {
    return Promise.resolve(this.tickets.get(ticketId) ?? { ticket: null, sla: NO_SLA });
  }
  insertVersion(_tenantId: string, ticketId: string, point: VersionPoint) {
    const list = this.versions.get(ticketId) ?? [];
    if (list.some((v) => v.version === point.version)) return Promise.resolve(null);
    const previous = list.filter((v) => v.version < point.version).at(-1) ?? null;
    const next = list.find((v) => v.version > point.version) ?? null;
    list.push(point);
    list.sort((a, b) => a.version - b.version);
    this.versions.set(ticketId, list);
    return Promise.resolve({ previous, next });
  }
  saveTicket(row: TicketRow): Promise<void> {
    this.tickets.set(row.id, { ticket: row, sla: this.tickets.get(row.id)?.sla ?? NO_SLA });
    return Promise.resolve();
  }
  saveSla(_tenantId: string, ticketId: string, sla: SlaHalf): Promise<void> {
    this.tickets.set(ticketId, { ticket: this.tickets.get(ticketId)?.ticket ?? null, sla });
    return Promise.resolve();
  }
  addBacklog(_tenantId: string, deltas: readonly BacklogDelta[]): Promise<void> {
    this.backlog.push(...deltas);
    return Promise.resolve();
  }
  addAggregates(_tenantId: string, change: Aggregates): Promise<void> {
    this.sums.merge(change);
    return Promise.resolve();
  }
  versionsOf(): Promise<TicketVersionPoint[]> {
    return fail('recount');
  }
  replaceBacklog(): Promise<void> {
    return fail('recount');
  }
  ticketsOf(): Promise<Array<StoredTicket & { id: string }>> {
    return fail('recount');
  }
  replaceAggregates(): Promise<void> {
    return fail('recount');
  }

  /** The summed aggregates' changes, in key order (the order the live store locks rows in). */
  aggregates(): Aggregates {
    return this.sums.build();
  }
}

const CHUNK = 5_000;

/** Writes a batch: its tickets' rows and versions, then its backlog and aggregate changes, in one transaction. */
async function writeBatch(pool: Pool, tenantId: string, store: BatchStore): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // every ticket of the bench has its created event in the batch
    const rows = [...store.tickets.values()].filter((r) => r.ticket !== null);
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const col = <T>(f: (t: TicketRow, s: SlaHalf) => T) => chunk.map((r) => f(r.ticket!, r.sla));
      await client.query(
        `INSERT INTO tickets (tenant_id, id, version, number, status, priority, client_id, assignee_id, team_id,
           opened_at, updated_at, first_responded_at, resolved_at, closed_at, merged_into_id, rating_score, rated_at,
           first_response_minutes, sla_sequence, sla_policy_id, fr_state, res_state, fr_business_minutes,
           fr_business_sequence)
         SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::bigint[], $5::text[], $6::text[], $7::uuid[], $8::uuid[],
           $9::uuid[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[],
           $14::timestamptz[], $15::uuid[], $16::smallint[], $17::timestamptz[], $18::int[], $19::bigint[],
           $20::uuid[], $21::text[], $22::text[], $23::int[], $24::bigint[])`,
        [
          tenantId,
          col((t) => t.id),
          col((t) => t.version),
          col((t) => t.number),
          col((t) => t.status),
          col((t) => t.priority),
          col((t) => t.clientId),
          col((t) => t.assigneeId),
          col((t) => t.teamId),
          col((t) => t.openedAt),
          col((t) => t.updatedAt),
          col((t) => t.firstRespondedAt),
          col((t) => t.resolvedAt),
          col((t) => t.closedAt),
          col((t) => t.mergedIntoId),
          col((t) => t.rating?.score ?? null),
          col((t) => t.rating?.ratedAt ?? null),
          col((t) => t.firstResponseMinutes),
          col((_, s) => s.sequence),
          col((_, s) => s.policyId),
          col((_, s) => s.firstResponse),
          col((_, s) => s.resolution),
          col((_, s) => s.businessMinutes),
          col((_, s) => s.businessSequence),
        ],
      );
    }
    const versions = [...store.versions.entries()].flatMap(([id, list]) => list.map((v) => ({ id, ...v })));
    for (let i = 0; i < versions.length; i += 4 * CHUNK) {
      const chunk = versions.slice(i, i + 4 * CHUNK);
      await client.query(
        `INSERT INTO ticket_versions (tenant_id, ticket_id, version, at, open, client_id)
         SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::timestamptz[], $5::boolean[], $6::uuid[])`,
        [
          tenantId,
          chunk.map((v) => v.id),
          chunk.map((v) => v.version),
          chunk.map((v) => v.at),
          chunk.map((v) => v.open),
          chunk.map((v) => v.clientId),
        ],
      );
    }
    const live = new PgIntakeTransaction(client);
    await live.addBacklog(tenantId, compact(store.backlog));
    const aggregates = store.aggregates();
    const longest = Math.max(
      aggregates.open.length,
      aggregates.days.length,
      aggregates.firstResponses.length,
    );
    for (let i = 0; i < longest; i += 4 * CHUNK)
      await live.addAggregates(tenantId, {
        open: aggregates.open.slice(i, i + 4 * CHUNK),
        days: aggregates.days.slice(i, i + 4 * CHUNK),
        firstResponses: aggregates.firstResponses.slice(i, i + 4 * CHUNK),
      });
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export interface SeedResult {
  tickets: number;
  events: number;
  /** Seconds in the apply code (factOf and the use case), and writing the batches. */
  applySeconds: number;
  writeSeconds: number;
  seconds: number;
}

/**
 * Applies the events of tickets `[from, to)` through the service's apply code, `batch` tickets at a time; a batch
 * is applied while the previous one is written.
 */
export async function seed(options: {
  pool: Pool;
  tenantId: string;
  tenant: StoredTenant;
  eventsOf: (i: number) => BenchEvent[];
  from: number;
  to: number;
  batch: number;
  progress?: (done: number, result: SeedResult) => void;
}): Promise<SeedResult> {
  const intake = new IntakeUseCase();
  const started = performance.now();
  const result: SeedResult = { tickets: 0, events: 0, applySeconds: 0, writeSeconds: 0, seconds: 0 };
  let writing: Promise<void> = Promise.resolve();
  for (let first = options.from; first < options.to; first += options.batch) {
    const store = new BatchStore(options.tenant);
    const applyStart = performance.now();
    const last = Math.min(options.to, first + options.batch);
    for (let i = first; i < last; i++) {
      // in stream order within each stream: a ticket's ticket events, then its SLA events
      for (const e of options.eventsOf(i)) {
        await applyFact(intake, factOf(e.event), store);
        // the in-memory store never waits on I/O: let the previous batch's write go on meanwhile
        if (++result.events % 2_000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    result.tickets += last - first;
    result.applySeconds += (performance.now() - applyStart) / 1000;
    await writing;
    const writeStart = performance.now();
    writing = writeBatch(options.pool, options.tenantId, store).then(() => {
      result.writeSeconds += (performance.now() - writeStart) / 1000;
      result.seconds = (performance.now() - started) / 1000;
      options.progress?.(last - options.from, result);
    });
  }
  await writing;
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
