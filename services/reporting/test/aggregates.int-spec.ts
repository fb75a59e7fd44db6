// The aggregates of the read model (ADR 48) against the real PostgreSQL and NATS: a few weeks of tickets around a
// month's end and a daylight-saving change, published as the ticket and SLA services publish them (out of order,
// SLA states before their tickets, redelivered, a move between clients, a reopen, a merge). Every report answered
// from the aggregates must be the one computed from scratch over the tickets' rows, and the stored aggregates the
// sums over the rows; also after a redelivery, a zone change, a rebuild and the backfill migration.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ticketV1 } from '@helpdesk/contracts';
import { createLogger } from '@helpdesk/platform';
import type { Pool } from 'pg';
import { IntakeUseCase } from '../src/app/intake.use-case';
import { GROUPS, type ReportReader } from '../src/app/ports';
import { OverviewUseCase, SlaReportUseCase } from '../src/app/reports.use-case';
import { ALL_CLIENTS, AggregatesBuilder, countedTicket, localDay, usableZone } from '../src/domain';
import { PgAggregateReader } from '../src/infra/aggregate.reader';
import { PgIntakeTransaction } from '../src/infra/read-model.store';
import { rebuildReadModel } from '../src/infra/rebuild';
import { PgTicketRowsReader } from '../src/infra/report.reader';
import { readModelHandler } from '../src/transport/nats/read-model.consumers';
import { next, startHarness, ticket, type Harness } from './support/harness';

let h: Harness;
const A = randomUUID();
const C1 = randomUUID();
const C2 = randomUUID();
const C3 = randomUUID();
const CLIENTS = [C1, C2, C3, null] as const;
const AGENTS = [randomUUID(), randomUUID(), ''];
const TEAMS = [randomUUID(), ''];
const NOW = new Date('2026-11-20T12:00:00Z');
const clock = { now: () => NOW };
const MIN = 60_000;

// the periods compared: whole months, whole days around a month's end, instants cutting days, one piece of a day
const PERIODS = [
  { from: '2026-10-01', to: '2026-11-30' },
  { from: '2026-10-20', to: '2026-11-05' },
  { from: '2026-10-22T13:37:00Z', to: '2026-11-03T05:00:00+01:00' },
  { from: '2026-10-25T01:30:00Z', to: '2026-10-25T21:00:00Z' },
  { from: '2026-10-31', to: '2026-11-01' },
];

const ids: string[] = [];
let moved: ticketV1.Ticket;
let reopened: ticketV1.Ticket;
let firstResolution: Date;
const applied: Array<Parameters<Harness['publish']>[0]> = [];

/** Publishes one envelope and keeps it for the redelivery. */
async function publish(e: Parameters<Harness['publish']>[0]): Promise<void> {
  applied.push(e);
  await h.publish(e);
}

function sla(ticketId: string, sequence: number, fr: string, res: string, business?: number) {
  const type = fr === 'breached' || res === 'breached' ? 'breached' : fr === 'met' ? 'met' : 'updated';
  return h.slaEvent(type, A, {
    ticketId,
    sequence,
    firstResponse: fr,
    resolution: res,
    firstResponseBusinessMinutes: business,
  });
}

/** 40 tickets from 20 October to 5 November (Berlin: 25 October is 25 hours long, 31 October ends a month). */
async function publishTickets(): Promise<void> {
  await publish(h.tenantEvent('created', A, 'Europe/Berlin'));
  const start = new Date('2026-10-20T05:00:00Z').getTime();
  for (let i = 0; i < 40; i++) {
    const openedAt = new Date(start + i * 10 * 3_600_000 + (i % 7) * 11 * MIN);
    const t0 = ticket({
      tenantId: A,
      openedAt,
      clientId: CLIENTS[i % 4] ?? '',
      priority: ['critical', 'high', 'medium', 'low'][i % 4]!,
      assigneeId: AGENTS[i % 3]!,
      teamId: TEAMS[i % 2]!,
      number: 1000 + i,
    });
    ids.push(t0.id);
    const versions: ticketV1.Ticket[] = [t0];
    const slas = [sla(t0.id, 1, 'running', 'running')];
    let t = t0;
    // a ticket resolved without a reply has its first response met by the resolution
    let fr = 'met';
    const at = (minutes: number) => new Date(openedAt.getTime() + minutes * MIN);
    if (i % 5 !== 4) {
      const reply = 7 + ((i * 37) % 900);
      t = next(t, at(reply), { status: 'waiting_on_customer', firstRespondedAt: at(reply) });
      versions.push(t);
      fr = reply > 400 ? 'breached' : 'met';
      slas.push(sla(t0.id, 2, fr, 'running', Math.floor(reply / 3)));
    }
    if (i % 3 !== 2) {
      const resolvedAt = at(1_000 + i * 97);
      t = next(t, resolvedAt, { status: 'resolved', resolvedAt });
      versions.push(t);
      slas.push(sla(t0.id, 3, fr, i % 6 === 0 ? 'breached' : 'met'));
      if (i % 8 === 0) {
        // reopened the next day, resolved again two days after
        t = next(t, at(1_000 + i * 97 + 1_440), { status: 'open', resolvedAt: undefined });
        versions.push(t);
        const again = at(1_000 + i * 97 + 3 * 1_440);
        t = next(t, again, { status: 'resolved', resolvedAt: again });
        versions.push(t);
        if (i === 16) {
          reopened = t;
          firstResolution = resolvedAt;
        }
        slas.push(sla(t0.id, 4, fr, 'running'), sla(t0.id, 5, fr, 'met'));
      }
      if (i % 4 === 1) {
        t = next(t, at(1_000 + i * 97 + 60), {
          rating: { score: 1 + (i % 5), comment: '', ratedAt: at(1_000 + i * 97 + 60) },
        });
        versions.push(t);
      }
    }
    if (i % 10 === 3) {
      // moved to another client (and one to no client)
      t = next(t, at(5_000), { clientId: i === 13 ? '' : C2 });
      versions.push(t);
      if (i === 3) moved = t;
    }
    // out of order: every third ticket's versions newest first, every fourth one's SLA states before its events
    const ticketEvents = versions.map((v, k) => {
      const previous = versions[k - 1];
      const type = !previous
        ? 'created'
        : v.firstRespondedAt && !previous.firstRespondedAt
          ? 'message_added'
          : v.status !== previous.status
            ? 'status_changed'
            : 'updated';
      return h.ticketEvent(type, v);
    });
    if (i % 3 === 0) ticketEvents.reverse();
    if (i % 4 === 0) for (const e of slas.reverse()) await publish(e);
    for (const e of ticketEvents) await publish(e);
    if (i % 4 !== 0) for (const e of slas) await publish(e);
  }
  // ticket 6 merged into ticket 7: the merge carries both
  const merged = next(
    ticket({ tenantId: A, openedAt: new Date('2026-11-02T10:00:00Z'), id: randomUUID() }),
    new Date('2026-11-03T09:00:00Z'),
    {
      status: 'closed',
      closedAt: new Date('2026-11-03T09:00:00Z'),
      resolvedAt: new Date('2026-11-03T09:00:00Z'),
      clientId: C1,
    },
  );
  const into = ticket({ tenantId: A, openedAt: new Date('2026-11-01T10:00:00Z'), clientId: C1 });
  await publish(h.ticketEvent('created', into));
  await publish(
    h.ticketEvent(
      'merged',
      { ...merged, mergedIntoId: into.id },
      next(into, new Date('2026-11-03T09:00:00Z')),
    ),
  );
}

const readers = (pool: Pool) => ({
  aggregates: new PgAggregateReader(pool),
  rows: new PgTicketRowsReader(pool),
});

async function reportsOf(reader: ReportReader) {
  const overview = new OverviewUseCase({ reader, clock });
  const slaReport = new SlaReportUseCase({ reader, clock });
  const out: unknown[] = [];
  for (const period of PERIODS) {
    for (const clientId of CLIENTS) out.push(await overview.execute({ tenantId: A, period, clientId }));
    for (const groupBy of GROUPS) out.push(await slaReport.execute({ tenantId: A, period, groupBy }));
  }
  return out;
}

/** Every answer from the aggregates equals the one from the tickets' rows. */
async function expectSameAnswers(): Promise<void> {
  const r = readers(h.pool);
  expect(await reportsOf(r.aggregates)).toEqual(await reportsOf(r.rows));
}

/** The stored aggregates, non-zero rows only, as the lists the domain builds. */
async function storedAggregates(pool: Pool) {
  const open = await pool.query(
    `SELECT client_key AS "clientKey", status, priority, tickets FROM report_open
      WHERE tenant_id = $1 AND tickets <> 0 ORDER BY 1, 2, 3`,
    [A],
  );
  const days = await pool.query(
    `SELECT client_key AS "clientKey", unit, to_char(day, 'YYYY-MM-DD') AS day, created, resolved, fr_met AS "frMet",
            fr_breached AS "frBreached", res_met AS "resMet", res_breached AS "resBreached", rated,
            rating_sum AS "ratingSum"
       FROM report_days WHERE tenant_id = $1
        AND (created, resolved, fr_met, fr_breached, res_met, res_breached, rated, rating_sum) <> (0, 0, 0, 0, 0, 0, 0, 0)
      ORDER BY 1, 2, 3`,
    [A],
  );
  const firstResponses = await pool.query(
    `SELECT client_key AS "clientKey", unit, to_char(day, 'YYYY-MM-DD') AS day, kind, minutes, tickets
       FROM report_first_responses WHERE tenant_id = $1 AND tickets <> 0 ORDER BY 1, 2, 3, 4, 5`,
    [A],
  );
  const backlog = await pool.query(
    `SELECT client_key::text AS key, to_char(day, 'YYYY-MM-DD') AS day, delta FROM backlog_days
      WHERE tenant_id = $1 AND delta <> 0 ORDER BY 1, 2`,
    [A],
  );
  return { open: open.rows, days: days.rows, firstResponses: firstResponses.rows, backlog: backlog.rows };
}

/** The aggregates counted from scratch over the tickets' rows, in the tenant's stored zone. */
async function aggregatesFromRows(pool: Pool) {
  const client = await pool.connect();
  try {
    const tx = new PgIntakeTransaction(client);
    const zone = usableZone((await tx.shareTenant(A)).timezone);
    const all = new AggregatesBuilder((d) => localDay(d, zone));
    for (const row of await tx.ticketsOf(A, null, 10_000)) all.add(countedTicket(row), 1);
    const built = all.build();
    const byKey = <T extends object>(rows: readonly T[], ...fields: Array<keyof T>) =>
      [...rows].sort((a, b) => {
        for (const f of fields) {
          const x = a[f] as string | number;
          const y = b[f] as string | number;
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
    return {
      open: byKey(built.open, 'clientKey', 'status', 'priority'),
      days: byKey(built.days, 'clientKey', 'unit', 'day'),
      firstResponses: byKey(built.firstResponses, 'clientKey', 'unit', 'day', 'kind', 'minutes'),
    };
  } finally {
    client.release();
  }
}

async function expectAggregatesOfTheRows(): Promise<void> {
  const stored = await storedAggregates(h.pool);
  const { backlog, ...aggregates } = stored;
  expect(aggregates).toEqual(await aggregatesFromRows(h.pool));
  // the backlog's totals are the sums of the clients' changes
  const sums = new Map<string, number>();
  for (const b of backlog.filter((r) => r.key !== ALL_CLIENTS))
    sums.set(b.day as string, (sums.get(b.day as string) ?? 0) + (b.delta as number));
  expect(backlog.filter((r) => r.key === ALL_CLIENTS).map((r) => [r.day, r.delta])).toEqual(
    [...sums.entries()].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const overviewOf = (clientId: string | null, period = PERIODS[0]!) =>
  new OverviewUseCase({ reader: new PgAggregateReader(h.pool), clock }).execute({
    tenantId: A,
    period,
    clientId,
  });

beforeAll(async () => {
  h = await startHarness('aggregates');
  await publishTickets();
  await h.settled();
}, 120_000);

afterAll(async () => {
  await h?.stop();
}, 60_000);

describe('the aggregates', () => {
  it('are the sums over the tickets rows, and answer every report as the rows do', async () => {
    await expectAggregatesOfTheRows();
    await expectSameAnswers();
    const o = await overviewOf(null);
    expect(o.createdByDay.reduce((n, d) => n + d.count, 0)).toBe(42);
  });

  it("follow a ticket moved to another client with its numbers, but keep the old client's past backlog", async () => {
    const day = localDay(moved.openedAt!, 'Europe/Berlin');
    const period = { from: day, to: day };
    const [c1, c2] = [await overviewOf(C1, period), await overviewOf(C2, period)];
    // ticket 3 was opened without a client and moved to C2: it counts for C2 on its opening day
    expect(moved.clientId).toBe(C2);
    expect(c2.createdByDay[0]!.count).toBeGreaterThanOrEqual(1);
    const before = await overviewOf(C2);
    await publish(h.ticketEvent('updated', next(moved, new Date('2026-11-10T10:00:00Z'), { clientId: C1 })));
    await h.settled();
    const after = await overviewOf(C2);
    const total = (o: typeof before) => o.createdByDay.reduce((n, d) => n + d.count, 0);
    expect(total(after)).toBe(total(before) - 1);
    expect((await overviewOf(C1, period)).createdByDay[0]!.count).toBe(c1.createdByDay[0]!.count + 1);
    // the backlog of the days before the move stays C2's
    const days = (o: typeof before) => o.backlogByDay.filter((d) => d.date < '2026-11-10');
    expect(days(after)).toEqual(days(before));
    await expectAggregatesOfTheRows();
    await expectSameAnswers();
  });

  it('count a reopened ticket resolved once, on the day of its last resolution', async () => {
    const o = await overviewOf(null);
    const perDay = async (day: string) =>
      (
        await h.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND status IN ('resolved', 'closed')
             AND to_char(resolved_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD') = $2`,
          [A, day],
        )
      ).rows[0]!.n;
    const first = localDay(firstResolution, 'Europe/Berlin');
    const last = localDay(reopened.resolvedAt!, 'Europe/Berlin');
    expect(first).not.toBe(last);
    for (const day of [first, last])
      expect(o.resolvedByDay.find((d) => d.date === day)!.count).toBe(await perDay(day));
    expect(await perDay(last)).toBeGreaterThanOrEqual(1);
    // taken back by the reopen: reopening it again takes its resolution off that day
    const before = o.resolvedByDay.find((d) => d.date === last)!.count;
    const open = next(reopened, new Date('2026-11-15T10:00:00Z'), { status: 'open', resolvedAt: undefined });
    await publish(h.ticketEvent('status_changed', open));
    await h.settled();
    expect((await overviewOf(null)).resolvedByDay.find((d) => d.date === last)!.count).toBe(before - 1);
    await expectSameAnswers();
  });

  it('change nothing on redelivered events', async () => {
    const before = await storedAggregates(h.pool);
    for (const e of applied.slice(0, 60)) await h.publish(e, true);
    await h.settled();
    expect(await storedAggregates(h.pool)).toEqual(before);
  });

  it("are counted again in the tenant's new zone, and back", async () => {
    const before = await storedAggregates(h.pool);
    await new Promise((r) => setTimeout(r, 5));
    await publish(h.tenantEvent('updated', A, 'America/Los_Angeles'));
    await h.settled();
    await expectAggregatesOfTheRows();
    await expectSameAnswers();
    expect(await storedAggregates(h.pool)).not.toEqual(before);
    await new Promise((r) => setTimeout(r, 5));
    await publish(h.tenantEvent('updated', A, 'Europe/Berlin'));
    await h.settled();
    expect(await storedAggregates(h.pool)).toEqual(before);
  });

  it('are rebuilt with the read model to the same rows', async () => {
    const before = await storedAggregates(h.pool);
    const logger = createLogger('rebuild-test', 'silent');
    await rebuildReadModel({
      pool: h.service.pool,
      bus: h.bus,
      handler: readModelHandler(new IntakeUseCase(), logger),
      logger,
    });
    expect(await storedAggregates(h.pool)).toEqual(before);
  });

  it('are filled by the backfill migration from the rows of a read model that had none', async () => {
    const before = await storedAggregates(h.pool);
    await h.pool.query('TRUNCATE report_open, report_days, report_first_responses');
    await h.pool.query('DELETE FROM backlog_days WHERE client_key = $1', [ALL_CLIENTS]);
    const sql = await readFile(
      path.join(__dirname, '../prisma/migrations/20261204231455_aggregates_backfill/migration.sql'),
      'utf8',
    );
    await h.pool.query(sql);
    expect(await storedAggregates(h.pool)).toEqual(before);
    await expectSameAnswers();
  });
});
