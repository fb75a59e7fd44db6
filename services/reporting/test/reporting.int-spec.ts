// The reporting read model against the real PostgreSQL and NATS: events published as identity, ticket and SLA
// publish them, the reports read over gRPC. One hand-made week (SPEC §9 numbers computed by hand in the comments),
// then redelivery, stale versions, a zone change, another tenant and the rebuild.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope } from '@helpdesk/bus';
import type { ticketV1 } from '@helpdesk/contracts';
import { createLogger } from '@helpdesk/platform';
import { delay, domainFailure, repoRoot } from '@helpdesk/testing';
import { IntakeUseCase } from '../src/app/intake.use-case';
import { rebuildReadModel } from '../src/infra/rebuild';
import { readModelHandler } from '../src/transport/nats/read-model.consumers';
import { next, startHarness, ticket, type Harness, type SlaEventData } from './support/harness';

const run = promisify(execFile);
const Z = (iso: string) => new Date(iso);

let h: Harness;
const A = randomUUID();
const B = randomUUID();
const C1 = randomUUID();
const C2 = randomUUID();
const CB = randomUUID();
const U1 = randomUUID();
const U2 = randomUUID();
const TEAM = randomUUID();
const ids = { t1: randomUUID(), t2: randomUUID(), t3: randomUUID(), t4: randomUUID(), t5: randomUUID() };
// the week of the 2026 daylight-saving change in Berlin (Sunday 25 October is 25 hours long)
const PERIOD = { from: '2026-10-23', to: '2026-10-27' };
const DAYS = ['2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27'];

// kept for the redelivery and stale-version checks
let t1Resolved: ticketV1.Ticket;
let t2Resolved: ticketV1.Ticket;

/** Publishes an SLA event of `ticketId`: its sequence, the states of both targets, the business minutes to reply. */
function sla(
  type: Parameters<Harness['slaEvent']>[0],
  tenantId: string,
  ticketId: string,
  sequence: number,
  firstResponse: SlaEventData['firstResponse'],
  resolution: SlaEventData['resolution'],
  firstResponseBusinessMinutes?: number,
): Promise<void> {
  return h.publish(
    h.slaEvent(type, tenantId, {
      ticketId,
      sequence,
      firstResponse,
      resolution,
      firstResponseBusinessMinutes,
    }),
  );
}

async function publishWeek(): Promise<void> {
  const p = (e: Parameters<Harness['publish']>[0]) => h.publish(e);
  await p(h.tenantEvent('created', A, 'Europe/Berlin'));
  await p(h.tenantEvent('created', B, 'UTC'));

  // T1: Friday 17:30 Berlin, first reply Monday 08:20 (63 h 50 min = 3830 calendar minutes; the SLA service
  // reports 50 business minutes: 30 on Friday, 20 on Monday), first response breached, resolved Monday, rated 4
  const t1 = ticket({ id: ids.t1, tenantId: A, openedAt: Z('2026-10-23T15:30:00Z'), clientId: C1 });
  Object.assign(t1, { priority: 'high', assigneeId: U1 });
  const t1r = next(t1, Z('2026-10-26T07:20:00Z'), {
    status: 'waiting_on_customer',
    firstRespondedAt: Z('2026-10-26T07:20:00Z'),
  });
  t1Resolved = next(t1r, Z('2026-10-26T10:00:00Z'), {
    status: 'resolved',
    resolvedAt: Z('2026-10-26T10:00:00Z'),
  });
  const t1rated = next(t1Resolved, Z('2026-10-26T12:00:00Z'), {
    rating: { score: 4, comment: 'fine', ratedAt: Z('2026-10-26T12:00:00Z') },
  });
  await p(h.ticketEvent('created', t1));
  await p(h.ticketEvent('message_added', t1r));
  await p(h.ticketEvent('status_changed', t1Resolved));
  await p(h.ticketEvent('updated', t1rated));
  await sla('updated', A, ids.t1, 1, 'running', 'running');
  await sla('breached', A, ids.t1, 2, 'breached', 'running');
  await sla('met', A, ids.t1, 3, 'breached', 'running', 50);
  await sla('met', A, ids.t1, 4, 'breached', 'met', 50);

  // T2: Saturday 11:00, reply after 10 minutes, resolved, reopened by the customer on Sunday, resolved on Monday,
  // rated 2. Its events come out of order (v4 before v3, v6 before v5; SLA sequence 5 before 4).
  const t2 = ticket({ id: ids.t2, tenantId: A, openedAt: Z('2026-10-24T09:00:00Z'), clientId: C1 });
  Object.assign(t2, { priority: 'critical', assigneeId: U2 });
  const v2 = next(t2, Z('2026-10-24T09:10:00Z'), {
    status: 'waiting_on_customer',
    firstRespondedAt: Z('2026-10-24T09:10:00Z'),
  });
  const v3 = next(v2, Z('2026-10-24T10:00:00Z'), {
    status: 'resolved',
    resolvedAt: Z('2026-10-24T10:00:00Z'),
  });
  const v4 = next(v3, Z('2026-10-25T08:00:00Z'), { status: 'open', resolvedAt: undefined });
  t2Resolved = next(v4, Z('2026-10-26T09:00:00Z'), {
    status: 'resolved',
    resolvedAt: Z('2026-10-26T09:00:00Z'),
  });
  const v6 = next(t2Resolved, Z('2026-10-26T11:00:00Z'), {
    rating: { score: 2, comment: '', ratedAt: Z('2026-10-26T11:00:00Z') },
  });
  await p(h.ticketEvent('created', t2));
  await p(h.ticketEvent('message_added', v2));
  await p(h.ticketEvent('status_changed', v4));
  await p(h.ticketEvent('status_changed', v3));
  await p(h.ticketEvent('updated', v6));
  await p(h.ticketEvent('status_changed', t2Resolved));
  await sla('updated', A, ids.t2, 1, 'running', 'running');
  await sla('met', A, ids.t2, 2, 'met', 'running', 10);
  await sla('met', A, ids.t2, 3, 'met', 'met', 10);
  await sla('met', A, ids.t2, 5, 'met', 'met', 10);
  await sla('updated', A, ids.t2, 4, 'met', 'running', 10);

  // T3: Sunday, client C2, no reply, moved to C1 on Tuesday; still open, its SLA running
  const t3 = ticket({ id: ids.t3, tenantId: A, openedAt: Z('2026-10-25T10:00:00Z'), clientId: C2 });
  Object.assign(t3, { priority: 'low', teamId: TEAM });
  await p(h.ticketEvent('created', t3));
  await p(h.ticketEvent('updated', next(t3, Z('2026-10-27T08:00:00Z'), { clientId: C1 })));
  await sla('updated', A, ids.t3, 1, 'running', 'running');

  // T4: Tuesday, no client, reply after 30 minutes, waiting on the customer (resolution clock paused)
  const t4 = ticket({ id: ids.t4, tenantId: A, openedAt: Z('2026-10-27T09:00:00Z'), teamId: TEAM });
  await p(h.ticketEvent('created', t4));
  await p(
    h.ticketEvent(
      'message_added',
      next(t4, Z('2026-10-27T09:30:00Z'), {
        status: 'waiting_on_customer',
        firstRespondedAt: Z('2026-10-27T09:30:00Z'),
      }),
    ),
  );
  await sla('updated', A, ids.t4, 1, 'running', 'running');
  await sla('met', A, ids.t4, 2, 'met', 'paused', 30);

  // T5: opened the week before (not in the period's tickets), in the backlog until it is closed on Monday
  const t5 = ticket({ id: ids.t5, tenantId: A, openedAt: Z('2026-10-20T08:00:00Z'), clientId: C1 });
  await p(h.ticketEvent('created', t5));
  await p(
    h.ticketEvent(
      'status_changed',
      next(t5, Z('2026-10-26T14:00:00Z'), {
        status: 'closed',
        resolvedAt: Z('2026-10-26T14:00:00Z'),
        closedAt: Z('2026-10-26T14:00:00Z'),
      }),
    ),
  );
  await sla('met', A, ids.t5, 1, 'met', 'met');

  // another tenant's ticket in the same week
  const tb = ticket({ tenantId: B, openedAt: Z('2026-10-24T12:00:00Z'), clientId: CB });
  await p(h.ticketEvent('created', tb));
  await sla('breached', B, tb.id, 1, 'breached', 'running');
}

const overview = (tenantId: string, clientId = '', period = PERIOD) =>
  h.client.getOverview({ tenantId, period, clientId });
const slaReport = (tenantId: string, groupBy: string) =>
  h.client.getSlaReport({ tenantId, period: PERIOD, groupBy });
const byDay = (counts: readonly number[]) => counts.map((count, i) => ({ date: DAYS[i], count }));
const target = (met: number, breached: number, compliancePercent?: number) => ({
  met,
  breached,
  compliancePercent,
});

/** Every report of both tenants, for comparing before and after a rebuild. */
async function everything() {
  return {
    all: await overview(A),
    c1: await overview(A, C1),
    c2: await overview(A, C2),
    b: await overview(B),
    groups: await Promise.all(['client', 'priority', 'assignee', 'team'].map((g) => slaReport(A, g))),
  };
}

beforeAll(async () => {
  h = await startHarness('reports');
  await publishWeek();
  await h.settled();
}, 120_000);

afterAll(async () => {
  await h?.stop();
}, 60_000);

describe('the overview of a week (SPEC §9 GET /reports/overview)', () => {
  it('counts every definition of docs/product/reports.md', async () => {
    const o = await overview(A);
    expect(o.period).toEqual({
      from: Z('2026-10-22T22:00:00Z'),
      to: Z('2026-10-27T23:00:00Z'),
      timezone: 'Europe/Berlin',
      days: DAYS,
    });
    expect(o.openByStatus).toEqual([
      { key: 'open', count: 1 },
      { key: 'in_progress', count: 0 },
      { key: 'waiting_on_customer', count: 1 },
      { key: 'waiting_on_third_party', count: 0 },
    ]);
    expect(o.openByPriority).toEqual([
      { key: 'critical', count: 0 },
      { key: 'high', count: 0 },
      { key: 'medium', count: 1 },
      { key: 'low', count: 1 },
    ]);
    // T1 breached, T2 and T4 met, T3 still running (left out); resolution: T1, T2 met, T3 running, T4 paused
    expect(o.sla).toEqual({ firstResponse: target(2, 1, 66.7), resolution: target(2, 0, 100) });
    // 10, 30, 3830: median 30, p90 30 + 0.8 × 3800
    expect(o.firstResponseMinutes).toEqual({ count: 3, median: 30, p90: 3070 });
    // 10, 30, 50 from the SLA events
    expect(o.firstResponseBusinessMinutes).toEqual({ count: 3, median: 30, p90: 46 });
    expect(o.createdByDay).toEqual(byDay([1, 1, 1, 0, 1]));
    // T1, T2 (its second resolution: the first was undone by the reopen) and T5, all on Monday
    expect(o.resolvedByDay).toEqual(byDay([0, 0, 0, 3, 0]));
    // end of Fri: T5, T1 · Sat: T5, T1 (T2 resolved) · Sun: + T2 reopened, T3 · Mon: T3 · Tue: T3, T4
    expect(o.backlogByDay).toEqual(byDay([2, 2, 4, 1, 2]));
    expect(o.csat).toEqual({ count: 2, average: 3 });
  });

  it("follows a moved ticket to its new client, but keeps the past days' backlog of the old one", async () => {
    const c1 = await overview(A, C1);
    // T1, T2 and T3 (moved to C1 on Tuesday)
    expect(c1.createdByDay).toEqual(byDay([1, 1, 1, 0, 0]));
    expect(c1.sla).toEqual({ firstResponse: target(1, 1, 50), resolution: target(2, 0, 100) });
    expect(c1.firstResponseMinutes).toEqual({ count: 2, median: 1920, p90: 3448 });
    expect(c1.backlogByDay).toEqual(byDay([2, 2, 3, 0, 1]));
    const c2 = await overview(A, C2);
    expect(c2.createdByDay).toEqual(byDay([0, 0, 0, 0, 0]));
    expect(c2.sla).toEqual({ firstResponse: target(0, 0), resolution: target(0, 0) });
    expect(c2.firstResponseMinutes).toEqual({ count: 0 });
    expect(c2.backlogByDay).toEqual(byDay([0, 0, 1, 1, 0]));
  });

  it("shows another tenant none of these tickets, nor this tenant the other's", async () => {
    const b = await overview(B);
    expect(b.period?.timezone).toBe('UTC');
    expect(b.createdByDay).toEqual(byDay([0, 1, 0, 0, 0]));
    expect(b.backlogByDay).toEqual(byDay([0, 1, 1, 1, 1]));
    expect(b.sla).toEqual({ firstResponse: target(0, 1, 0), resolution: target(0, 0) });
    expect(b.csat).toEqual({ count: 0 });
    const foreignClient = await overview(A, CB);
    expect(foreignClient.createdByDay).toEqual(byDay([0, 0, 0, 0, 0]));
    expect(foreignClient.backlogByDay).toEqual(byDay([0, 0, 0, 0, 0]));
    expect(foreignClient.openByStatus.every((s) => s.count === 0)).toBe(true);
  });

  it('refuses a period it cannot read', async () => {
    const bad = await domainFailure(overview(A, '', { from: '2026-10-27', to: '2026-10-23' }));
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect((await domainFailure(overview(A, '', { from: 'last week', to: '' }))).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('the SLA report (SPEC §9 GET /reports/sla)', () => {
  const row = (key: string, tickets: number, fr: object, res: object, median?: number) =>
    expect.objectContaining({
      key,
      tickets,
      sla: { firstResponse: fr, resolution: res },
      firstResponseMinutes: expect.objectContaining({ median }),
    });

  it('groups by client, priority, assignee and team, with the totals', async () => {
    const client = await slaReport(A, 'client');
    expect(client.rows).toEqual([
      row(C1, 3, target(1, 1, 50), target(2, 0, 100), 1920),
      row('', 1, target(1, 0, 100), target(0, 0), 30),
    ]);
    expect(client.totals).toEqual(row('', 4, target(2, 1, 66.7), target(2, 0, 100), 30));
    const priority = await slaReport(A, 'priority');
    expect(priority.rows.map((r) => [r.key, r.tickets])).toEqual([
      ['critical', 1],
      ['high', 1],
      ['medium', 1],
      ['low', 1],
    ]);
    expect(priority.rows[1]).toEqual(row('high', 1, target(0, 1, 0), target(1, 0, 100), 3830));
    const assignee = await slaReport(A, 'assignee');
    expect(assignee.rows[0]).toEqual(row('', 2, target(1, 0, 100), target(0, 0), 30));
    expect(assignee.rows.slice(1)).toEqual(
      expect.arrayContaining([
        row(U1, 1, target(0, 1, 0), target(1, 0, 100), 3830),
        row(U2, 1, target(1, 0, 100), target(1, 0, 100), 10),
      ]),
    );
    const team = await slaReport(A, 'team');
    expect(team.rows.map((r) => [r.key, r.tickets])).toEqual(
      expect.arrayContaining([
        [TEAM, 2],
        ['', 2],
      ]),
    );
    expect((await slaReport(B, 'client')).rows).toEqual([row(CB, 1, target(0, 1, 0), target(0, 0))]);
    expect((await domainFailure(slaReport(A, 'contact'))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('every event counts once', () => {
  it('changes nothing on a redelivered event, a stale ticket version or an older SLA state', async () => {
    const before = await everything();
    // the same envelopes again, past JetStream's duplicate window (a fresh Nats-Msg-Id): the inbox drops them
    const again = h.ticketEvent('status_changed', t1Resolved);
    await h.publish(again);
    await h.publish(again, true);
    // a new event carrying an older version of T2 (resolved on Saturday) and an older SLA state of T1
    await h.publish(h.ticketEvent('status_changed', { ...t2Resolved, version: 3, status: 'resolved' }));
    await sla('updated', A, ids.t1, 1, 'running', 'running');
    await h.settled();
    expect(await everything()).toEqual(before);
  });

  it("re-counts the days when the tenant's zone changes, and ignores an older zone that comes late", async () => {
    const before = await everything();
    await delay(5);
    await h.publish(h.tenantEvent('updated', A, 'Asia/Tokyo'));
    await h.settled();
    const tokyo = await overview(A);
    expect(tokyo.period?.timezone).toBe('Asia/Tokyo');
    // the end of Friday in Tokyo is 15:00Z, before T1 was opened
    expect(tokyo.backlogByDay?.[0]).toEqual({ date: '2026-10-23', count: 1 });
    const stale = createEnvelope({
      type: 'helpdesk.identity.tenant_updated',
      tenantId: A,
      data: { tenantId: A, name: 'MSP', timezone: 'America/Lima', slug: 'msp' },
    });
    stale.occurredAt = '2026-01-01T00:00:00.000Z';
    await h.publish(stale);
    await h.settled();
    expect((await overview(A)).period?.timezone).toBe('Asia/Tokyo');
    await delay(5);
    await h.publish(h.tenantEvent('updated', A, 'Europe/Berlin'));
    await h.settled();
    expect(await everything()).toEqual(before);
  });
});

describe('rebuild', () => {
  it('replays the streams into an empty read model and gives the same numbers, while the service runs', async () => {
    const before = await everything();
    const logger = createLogger('rebuild-test', 'silent');
    const result = await rebuildReadModel({
      pool: h.service.pool,
      bus: h.bus,
      handler: readModelHandler(new IntakeUseCase(), logger),
      logger,
    });
    expect(result.ticket!.read).toBeGreaterThanOrEqual(17);
    // an envelope the stream holds twice (the redelivery above) is applied once
    const { rows } = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inbox WHERE consumer = 'reporting--tickets'`,
    );
    expect(result.ticket!.applied).toBe(rows[0]!.n);
    expect(await everything()).toEqual(before);
  });

  it('does the same as `npm run -w services/reporting rebuild`', async () => {
    const before = await everything();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'services/reporting/src/rebuild.ts')],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: h.db.url,
          NATS_URL: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
          BUS_PREFIX: h.prefix,
          LOG_LEVEL: 'silent',
        },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({
      rebuilt: true,
      streams: { identity: {}, ticket: {}, sla: {} },
    });
    expect(await everything()).toEqual(before);
  });

  it('keeps the zone of a tenant whose event the identity stream no longer holds', async () => {
    const before = await everything();
    // as after the stream's 30 days: the tenant_created events are gone
    await h.bus.jsm.streams.purge(h.bus.streamName('identity'));
    const logger = createLogger('rebuild-test', 'silent');
    const result = await rebuildReadModel({
      pool: h.service.pool,
      bus: h.bus,
      handler: readModelHandler(new IntakeUseCase(), logger),
      logger,
    });
    expect(result.identity!.read).toBe(0);
    expect((await overview(A)).period?.timezone).toBe('Europe/Berlin');
    expect(await everything()).toEqual(before);
  });
});
