// Time tracking (issue 6, docs/product/time-tracking.md and its REST resources) driven like a user through the
// gateway, with the platform's services as separate processes against the real PostgreSQL, NATS and Redis.
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { Client as PgClient } from 'pg';
import { NATS_URL, parseCsv, waitFor } from '@helpdesk/testing';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

interface TimeEvent {
  id: string;
  type: string;
  tenantId: string;
  data: { ticketId: string; ticketTimeSpentMinutes?: number; sequence: string | number };
}

let platform: TestPlatform;
let nc: NatsConnection;
let sub: Subscription;
const timeEvents: TimeEvent[] = [];

const api: TestPlatform['api'] = (...args) => platform.api(...args);

/** A statement against the timekeeping service's own database (what it stored, not what it answered). */
async function timekeepingSql<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new PgClient({ connectionString: platform.db('timekeeping').url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

let tenantA: TenantSession;
let tenantB: TenantSession;
let agentA = ''; // a second user of tenant A: an agent, not an admin
let agentAId = '';
let adminAId = '';

async function createTicket(
  token: string,
  title: string,
  requester = 'jane@customer.example',
): Promise<string> {
  const res = await api('POST', '/api/v1/tickets', {
    token,
    body: { title, requester: { email: requester, name: 'Jane' } },
  });
  if (res.status !== 201) throw new Error(`creating a ticket answered ${res.status}: ${res.text}`);
  return res.body.id as string;
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'time' });
  nc = await connect({ servers: NATS_URL });
  sub = nc.subscribe(`${platform.prefix}.helpdesk.time.>`);
  void (async () => {
    for await (const m of sub) timeEvents.push(JSON.parse(new TextDecoder().decode(m.data)) as TimeEvent);
  })();
  tenantA = await platform.createTenantAndLogin('Time MSP');
  tenantB = await platform.createTenantAndLogin('Other Time MSP');
  adminAId = (await api('GET', '/api/v1/me', { token: tenantA.token })).body.id;
  const email = `agent-${randomBytes(4).toString('hex')}@timemsp.example`;
  const created = await api('POST', '/api/v1/users', {
    token: tenantA.token,
    body: { email, name: 'Agent Smith', role: 'agent', password: 'agent password 1' },
  });
  if (created.status !== 201)
    throw new Error(`creating an agent answered ${created.status}: ${created.text}`);
  agentAId = created.body.id;
  agentA = await platform.login(email, 'agent password 1');
}, 180_000);

afterAll(async () => {
  await sub?.drain();
  await nc?.close();
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

describe('timers', () => {
  let ticket1 = '';
  let ticket2 = '';

  it('starts a timer on a ticket and shows it as the caller’s running timer', async () => {
    ticket1 = await createTicket(tenantA.token, 'Printer offline');
    ticket2 = await createTicket(tenantA.token, 'VPN drops');
    const started = await api('POST', `/api/v1/tickets/${ticket1}/timer/start`, {
      token: tenantA.token,
      body: { note: 'remote session', workType: 'remote' },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      timer: {
        ticketId: ticket1,
        userId: adminAId,
        billable: true,
        note: 'remote session',
        workType: 'remote',
        flagged: false,
      },
      stopped: null,
    });
    const mine = await api('GET', '/api/v1/me/timer', { token: tenantA.token });
    expect(mine.body.timer).toMatchObject({ id: started.body.timer.id, ticketId: ticket1 });
    // timers are per user: the agent has none
    expect((await api('GET', '/api/v1/me/timer', { token: agentA })).body).toEqual({ timer: null });
  });

  it('stops and logs the running timer when the same user starts another', async () => {
    const first = (await api('GET', '/api/v1/me/timer', { token: tenantA.token })).body.timer;
    // no body at all: the defaults
    const second = await api('POST', `/api/v1/tickets/${ticket2}/timer/start`, { token: tenantA.token });
    expect(second.status).toBe(201);
    expect(second.body.stopped).toMatchObject({
      id: first.id,
      ticketId: ticket1,
      userId: adminAId,
      source: 'timer',
      billable: true,
      durationMinutes: 1,
      flagged: false,
    });
    expect(second.body.timer.ticketId).toBe(ticket2);
    const log1 = await api('GET', `/api/v1/tickets/${ticket1}/time-entries`, { token: tenantA.token });
    expect(log1.body.items.map((e: { id: string }) => e.id)).toEqual([first.id]);
  });

  it('answers 409 when stopping a timer that runs on another ticket, or none at all', async () => {
    const elsewhere = await api('POST', `/api/v1/tickets/${ticket1}/timer/stop`, {
      token: tenantA.token,
      body: {},
    });
    expect(elsewhere.status).toBe(409);
    // the backend's reason is internal: the message says which ticket, and no field is at fault (ADR 0028)
    expect(elsewhere.body.error).toEqual({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/^Your running timer is on another ticket \(#\d+\)$/),
    });
    const stopped = await api('POST', `/api/v1/tickets/${ticket2}/timer/stop`, {
      token: tenantA.token,
      body: { note: 'tunnel rekeyed', billable: false },
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      ticketId: ticket2,
      note: 'tunnel rekeyed',
      billable: false,
      flagged: false,
    });
    const none = await api('POST', `/api/v1/tickets/${ticket2}/timer/stop`, { token: tenantA.token });
    expect(none.status).toBe(409);
    expect(none.body.error).toEqual({ code: 'FAILED_PRECONDITION', message: 'No timer is running' });
    expect((await api('GET', '/api/v1/me/timer', { token: tenantA.token })).body).toEqual({ timer: null });
  });

  it('publishes helpdesk.time.* events carrying the ticket total and a growing per-ticket sequence', async () => {
    const ofTicket1 = await waitFor('both time events of ticket 1', () => {
      const found = timeEvents.filter((e) => e.data.ticketId === ticket1);
      return found.length >= 2 ? found : undefined;
    });
    expect(ofTicket1.map((e) => e.type)).toEqual([
      'helpdesk.time.timer_started',
      'helpdesk.time.timer_stopped',
    ]);
    expect(ofTicket1.map((e) => Number(e.data.sequence))).toEqual([1, 2]);
    expect(ofTicket1[0]!.data.ticketTimeSpentMinutes ?? 0).toBe(0);
    expect(ofTicket1[1]!.data.ticketTimeSpentMinutes).toBe(1);
    expect(ofTicket1.every((e) => e.tenantId === ofTicket1[0]!.tenantId)).toBe(true);
  });

  it('keeps a running timer across a crash and restart of the timekeeping service', async () => {
    const started = await api('POST', `/api/v1/tickets/${ticket1}/timer/start`, {
      token: agentA,
      body: { note: 'overnight' },
    });
    expect(started.status).toBe(201);
    await platform.procs.timekeeping!.kill9();
    const down = await api('GET', '/api/v1/me/timer', { token: agentA });
    expect(down.status).toBe(503);
    await platform.startService('timekeeping');
    // the gateway's channel reconnects within its backoff (at most 5 s)
    const after = await waitFor(
      'the gateway to reach timekeeping again',
      async () => {
        const res = await api('GET', '/api/v1/me/timer', { token: agentA });
        return res.status === 200 ? res : undefined;
      },
      20_000,
    );
    expect(after.body.timer).toMatchObject({
      id: started.body.timer.id,
      ticketId: ticket1,
      note: 'overnight',
    });
  });

  it('flags a timer left running over 12 hours in the stop reply and the report, and does not bill it', async () => {
    // the agent forgot the timer: it has been running for 13 hours
    await timekeepingSql(
      `UPDATE running_timers SET started_at = now() - interval '13 hours' WHERE user_id = $1::uuid`,
      [agentAId],
    );
    const running = await api('GET', '/api/v1/me/timer', { token: agentA });
    expect(running.body.timer).toMatchObject({
      flagged: true,
      flagReason: 'timer_over_12h',
      elapsedMinutes: 780,
    });
    const stopped = await api('POST', `/api/v1/tickets/${ticket1}/timer/stop`, {
      token: agentA,
      body: { billable: true },
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      flagged: true,
      flagReason: 'timer_over_12h',
      billable: false,
      durationMinutes: 780,
    });

    const report = await api('GET', '/api/v1/reports/time?groupBy=user', { token: tenantA.token });
    expect(report.status).toBe(200);
    expect(report.body.items).toContainEqual({
      userId: agentAId,
      billableMinutes: 0,
      nonBillableMinutes: 780,
      flaggedMinutes: 780,
    });
    expect(report.body.flagged.map((e: { id: string }) => e.id)).toContain(stopped.body.id);
    expect(report.body.flaggedCount).toBe(1);

    // the review: the agent's admin confirms 3 billable hours, which clears the flag
    const reviewed = await api('PATCH', `/api/v1/time-entries/${stopped.body.id}`, {
      token: tenantA.token,
      body: { durationMinutes: 180, billable: true },
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      flagged: false,
      flagReason: null,
      billable: true,
      durationMinutes: 180,
    });
    expect(
      (await api('GET', '/api/v1/reports/time?groupBy=user', { token: tenantA.token })).body.flaggedCount,
    ).toBe(0);
  });

  it('lets only signed-in users run timers, not API keys', async () => {
    const key = await api('POST', '/api/v1/api-keys', {
      token: tenantA.token,
      body: { name: 'billing export' },
    });
    expect(key.status).toBe(201);
    const res = await api('POST', `/api/v1/tickets/${ticket1}/timer/start`, {
      token: key.body.secret,
      body: {},
    });
    expect(res.status).toBe(403);
    // but an integration may read the time log
    expect(
      (await api('GET', `/api/v1/tickets/${ticket1}/time-entries`, { token: key.body.secret })).status,
    ).toBe(200);
  });
});

describe('manual entries', () => {
  let ticket = '';

  it('logs start and end, or a duration, billable by default', async () => {
    ticket = await createTicket(tenantA.token, 'New laptop setup');
    const span = await api('POST', '/api/v1/time-entries', {
      token: agentA,
      body: {
        ticketId: ticket,
        startedAt: '2026-03-02T09:00:00Z',
        endedAt: '2026-03-02T10:30:00Z',
        note: 'imaging',
        workType: 'onsite',
      },
    });
    expect(span.status).toBe(201);
    expect(span.body).toMatchObject({
      ticketId: ticket,
      userId: agentAId,
      startedAt: '2026-03-02T09:00:00.000Z',
      endedAt: '2026-03-02T10:30:00.000Z',
      durationMinutes: 90,
      note: 'imaging',
      billable: true,
      workType: 'onsite',
      source: 'manual',
      version: 1,
    });
    expect(Object.keys(span.body)).toEqual(
      expect.arrayContaining([
        'id',
        'ticketId',
        'userId',
        'clientId',
        'startedAt',
        'endedAt',
        'durationMinutes',
        'note',
        'billable',
        'workType',
      ]),
    );
    const duration = await api('POST', '/api/v1/time-entries', {
      token: agentA,
      body: { ticketId: ticket, durationMinutes: 20, billable: false },
    });
    expect(duration.status).toBe(201);
    expect(duration.body).toMatchObject({ durationMinutes: 20, billable: false });
  });

  it.each([
    [
      'an end before the start',
      { startedAt: '2026-03-02T10:00:00Z', endedAt: '2026-03-02T09:00:00Z' },
      /endedAt must be after startedAt/,
    ],
    ['a negative duration', { durationMinutes: -15 }, /at least one minute/],
    ['an absurd duration', { durationMinutes: 3000 }, /at most 1440 minutes/],
    ['neither span nor duration', { note: 'forgot' }, /give startedAt and endedAt/],
  ])('answers 400 with the reason for %s', async (_what, input, reason) => {
    const res = await api('POST', '/api/v1/time-entries', {
      token: agentA,
      body: { ticketId: ticket, ...input },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ARGUMENT');
    expect(res.body.error.message).toMatch(reason);
  });

  it('lets the entry’s user or an admin edit and delete it, with If-Match', async () => {
    const created = await api('POST', '/api/v1/time-entries', {
      token: agentA,
      body: { ticketId: ticket, durationMinutes: 30 },
    });
    const id = created.body.id as string;
    const edited = await api('PATCH', `/api/v1/time-entries/${id}`, {
      token: agentA,
      headers: { 'if-match': '1' },
      body: { durationMinutes: 45, note: 'with docking station' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ durationMinutes: 45, note: 'with docking station', version: 2 });
    const stale = await api('PATCH', `/api/v1/time-entries/${id}`, {
      token: tenantA.token,
      headers: { 'if-match': '1' },
      body: { note: 'x' },
    });
    expect(stale.status).toBe(409);
    const backwards = await api('PATCH', `/api/v1/time-entries/${id}`, {
      token: agentA,
      body: { endedAt: '2001-01-01T00:00:00Z' },
    });
    expect(backwards.status).toBe(400);

    // someone else's entry: another agent may not touch it, an admin may
    const adminEntry = await api('POST', '/api/v1/time-entries', {
      token: tenantA.token,
      body: { ticketId: ticket, durationMinutes: 5 },
    });
    expect(
      (
        await api('PATCH', `/api/v1/time-entries/${adminEntry.body.id}`, {
          token: agentA,
          body: { note: 'mine' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api('DELETE', `/api/v1/time-entries/${adminEntry.body.id}`, { token: agentA })).status,
    ).toBe(403);
    const byAdmin = await api('DELETE', `/api/v1/time-entries/${id}`, {
      token: tenantA.token,
      headers: { 'if-match': '2' },
    });
    expect(byAdmin.status).toBe(200);
    expect((await api('GET', `/api/v1/time-entries/${id}`, { token: tenantA.token })).status).toBe(404);
  });

  it('lets an admin log time for a user of the tenant, and no one else', async () => {
    const forAgent = await api('POST', '/api/v1/time-entries', {
      token: tenantA.token,
      body: { ticketId: ticket, durationMinutes: 10, userId: agentAId },
    });
    expect(forAgent.status).toBe(201);
    expect(forAgent.body.userId).toBe(agentAId);
    const byAgent = await api('POST', '/api/v1/time-entries', {
      token: agentA,
      body: { ticketId: ticket, durationMinutes: 10, userId: adminAId },
    });
    expect(byAgent.status).toBe(403);
    const stranger = await api('POST', '/api/v1/time-entries', {
      token: tenantA.token,
      body: { ticketId: ticket, durationMinutes: 10, userId: '00000000-0000-4000-8000-000000000001' },
    });
    expect(stranger.status).toBe(400);
  });

  it('keeps the ticket total in the events: the last one carries all logged minutes of the ticket', async () => {
    const entries = await api('GET', `/api/v1/tickets/${ticket}/time-entries?limit=200`, {
      token: tenantA.token,
    });
    const total = entries.body.items.reduce(
      (n: number, e: { durationMinutes: number }) => n + e.durationMinutes,
      0,
    );
    const last = await waitFor('the newest time event of the ticket', () => {
      const found = timeEvents.filter((e) => e.data.ticketId === ticket);
      const newest = found.reduce<TimeEvent | undefined>(
        (a, e) => (!a || Number(e.data.sequence) > Number(a.data.sequence) ? e : a),
        undefined,
      );
      return newest && (newest.data.ticketTimeSpentMinutes ?? 0) === total ? newest : undefined;
    });
    const sequences = timeEvents
      .filter((e) => e.data.ticketId === ticket)
      .map((e) => Number(e.data.sequence));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(Number(last.data.sequence)).toBe(Math.max(...sequences));
    // and the ticket shows it (the ticket service keeps timeSpentMinutes from these events)
    const shown = await waitFor('the ticket to show the logged time', async () => {
      const res = await api('GET', `/api/v1/tickets/${ticket}`, { token: tenantA.token });
      return res.body.timeSpentMinutes === total ? res : undefined;
    });
    expect(shown.body.timeSpentMinutes).toBeGreaterThan(0);
  });
});

describe('time log, filters, reports and rounding', () => {
  const day = (d: number, h = 9) =>
    `2026-05-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;
  let ticketX = '';
  let ticketY = '';
  let clientX: string | null = null;

  it('learns the tickets from the ticket events before any time is logged on them', async () => {
    ticketX = await createTicket(tenantA.token, 'Backup failed');
    ticketY = await createTicket(tenantA.token, 'Firewall rule');
    const copies = await waitFor('timekeeping’s copies of both tickets', async () => {
      const rows = await timekeepingSql<{ id: string; number: number; title: string }>(
        'SELECT id, number, title FROM tickets WHERE id = ANY($1::uuid[])',
        [[ticketX, ticketY]],
      );
      return rows.length === 2 ? rows : undefined;
    });
    expect(copies.map((r) => r.title).sort()).toEqual(['Backup failed', 'Firewall rule']);
  });

  it('filters the entries by user, billable and period, pages them, and shows each ticket’s log', async () => {
    const log = (
      token: string,
      ticketId: string,
      startedAt: string,
      durationMinutes: number,
      billable = true,
    ) =>
      api('POST', '/api/v1/time-entries', {
        token,
        body: { ticketId, startedAt, durationMinutes, billable },
      });
    const made = [
      await log(tenantA.token, ticketX, day(4), 10),
      await log(agentA, ticketX, day(5), 50),
      await log(agentA, ticketX, day(6), 7, false),
      await log(tenantA.token, ticketY, day(7), 16),
    ];
    expect(made.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    clientX = made[0]!.body.clientId;

    const period = `from=${day(1, 0)}&to=${day(31, 0)}`;
    const all = await api('GET', `/api/v1/time-entries?${period}&limit=3`, { token: tenantA.token });
    expect(all.status).toBe(200);
    expect(all.body.items.map((e: { startedAt: string }) => e.startedAt)).toEqual(
      [day(7), day(6), day(5)].map((d) => new Date(d).toISOString()),
    );
    const next = await api('GET', `/api/v1/time-entries?${period}&limit=3&cursor=${all.body.nextCursor}`, {
      token: tenantA.token,
    });
    expect(next.body).toMatchObject({
      items: [{ startedAt: new Date(day(4)).toISOString() }],
      nextCursor: null,
    });

    const agents = await api('GET', `/api/v1/time-entries?${period}&userId=${agentAId}`, {
      token: tenantA.token,
    });
    expect(agents.body.items.map((e: { durationMinutes: number }) => e.durationMinutes)).toEqual([7, 50]);
    const mine = await api('GET', `/api/v1/time-entries?${period}&userId=me`, { token: agentA });
    expect(mine.body.items).toHaveLength(2);
    const nonBillable = await api('GET', `/api/v1/time-entries?${period}&billable=false`, {
      token: tenantA.token,
    });
    expect(nonBillable.body.items.map((e: { durationMinutes: number }) => e.durationMinutes)).toEqual([7]);
    const narrow = await api('GET', `/api/v1/time-entries?from=${day(5)}&to=${day(7)}`, {
      token: tenantA.token,
    });
    expect(narrow.body.items).toHaveLength(2);
    const badPeriod = await api('GET', `/api/v1/time-entries?from=${day(7)}&to=${day(5)}`, {
      token: tenantA.token,
    });
    expect(badPeriod.status).toBe(400);

    const logY = await api('GET', `/api/v1/tickets/${ticketY}/time-entries`, { token: tenantA.token });
    expect(logY.body.items.map((e: { durationMinutes: number }) => e.durationMinutes)).toEqual([16]);
  });

  it('reports by user and by client as JSON, then as CSV read back, with the tenant’s rounding', async () => {
    const period = `from=${day(1, 0)}&to=${day(31, 0)}`;
    const raw = await api('GET', `/api/v1/reports/time?groupBy=user&${period}`, { token: tenantA.token });
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ groupBy: 'user', billableRounding: { minutes: 0, mode: 'up' } });
    expect(raw.body.items).toEqual(
      expect.arrayContaining([
        { userId: adminAId, billableMinutes: 26, nonBillableMinutes: 0, flaggedMinutes: 0 },
        { userId: agentAId, billableMinutes: 50, nonBillableMinutes: 7, flaggedMinutes: 0 },
      ]),
    );

    // only admins set the rounding
    const byAgent = await api('PATCH', '/api/v1/time-settings', {
      token: agentA,
      body: { billableRounding: { minutes: 15 } },
    });
    expect(byAgent.status).toBe(403);
    const badRounding = await api('PATCH', '/api/v1/time-settings', {
      token: tenantA.token,
      body: { billableRounding: { minutes: 1000 } },
    });
    expect(badRounding.status).toBe(400);
    const set = await api('PATCH', '/api/v1/time-settings', {
      token: tenantA.token,
      body: { billableRounding: { minutes: 15, mode: 'up' } },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ billableRounding: { minutes: 15, mode: 'up' }, version: 1 });
    expect((await api('GET', '/api/v1/time-settings', { token: agentA })).body.billableRounding).toEqual({
      minutes: 15,
      mode: 'up',
    });

    const rounded = await api('GET', `/api/v1/reports/time?groupBy=user&${period}`, { token: tenantA.token });
    // admin: 10 → 15 and 16 → 30; agent: 50 → 60, the non-billable 7 stays 7
    expect(rounded.body.items).toEqual(
      expect.arrayContaining([
        { userId: adminAId, billableMinutes: 45, nonBillableMinutes: 0, flaggedMinutes: 0 },
        { userId: agentAId, billableMinutes: 60, nonBillableMinutes: 7, flaggedMinutes: 0 },
      ]),
    );
    expect(rounded.body.totals).toEqual({ billableMinutes: 105, nonBillableMinutes: 7, flaggedMinutes: 0 });

    const csv = await api('GET', `/api/v1/reports/time?groupBy=user&${period}&format=csv`, {
      token: tenantA.token,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?time-report-by-user\.csv"?$/,
    );
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['userId', 'billableMinutes', 'nonBillableMinutes', 'flaggedMinutes']);
    expect(
      rows.map(([id, billable, nonBillable, flagged]) => ({
        id,
        billable: Number(billable),
        nonBillable: Number(nonBillable),
        flagged: Number(flagged),
      })),
    ).toEqual(
      rounded.body.items.map(
        (i: {
          userId: string;
          billableMinutes: number;
          nonBillableMinutes: number;
          flaggedMinutes: number;
        }) => ({
          id: i.userId,
          billable: i.billableMinutes,
          nonBillable: i.nonBillableMinutes,
          flagged: i.flaggedMinutes,
        }),
      ),
    );

    const byClient = await api('GET', `/api/v1/reports/time?groupBy=client&${period}&format=csv`, {
      token: tenantA.token,
    });
    const [clientHeader, ...clientRows] = parseCsv(byClient.text);
    expect(clientHeader![0]).toBe('clientId');
    const json = await api('GET', `/api/v1/reports/time?groupBy=client&${period}`, { token: tenantA.token });
    expect(clientRows.map((r) => r[0])).toEqual(
      json.body.items.map((i: { clientId: string | null }) => i.clientId ?? ''),
    );
    expect(json.body.items.find((i: { clientId: string | null }) => i.clientId === clientX)).toMatchObject({
      nonBillableMinutes: 7,
    });
    expect((await api('GET', '/api/v1/reports/time?groupBy=team', { token: tenantA.token })).status).toBe(
      400,
    );
  });

  it('groups by the ticket’s client: a requester at a client’s domain brings the ticket, and its time, to that client', async () => {
    const domain = `globex-${randomBytes(3).toString('hex')}.example`;
    const client = await api('POST', '/api/v1/clients', {
      token: tenantA.token,
      body: { name: 'Globex', domains: [domain] },
    });
    expect(client.status).toBe(201);
    const ticket = await createTicket(tenantA.token, 'Mail quota', `hank@${domain}`);
    const entry = await api('POST', '/api/v1/time-entries', {
      token: agentA,
      body: { ticketId: ticket, startedAt: day(20), durationMinutes: 40 },
    });
    expect(entry.body.clientId).toBe(client.body.id);
    const filtered = await api('GET', `/api/v1/time-entries?clientId=${client.body.id}`, {
      token: tenantA.token,
    });
    expect(filtered.body.items.map((e: { id: string }) => e.id)).toEqual([entry.body.id]);
    const report = await api('GET', `/api/v1/reports/time?groupBy=client&from=${day(20)}&to=${day(21)}`, {
      token: tenantA.token,
    });
    expect(report.body.items).toEqual([
      { clientId: client.body.id, billableMinutes: 45, nonBillableMinutes: 0, flaggedMinutes: 0 },
    ]);
  });
});

describe('tenant isolation', () => {
  let ticketA = '';
  let entryA = '';

  it('answers 404 for another tenant’s ticket and entry, and reports only the caller’s tenant', async () => {
    ticketA = await createTicket(tenantA.token, 'Isolation check');
    const entry = await api('POST', '/api/v1/time-entries', {
      token: tenantA.token,
      body: { ticketId: ticketA, durationMinutes: 12 },
    });
    entryA = entry.body.id;
    const asB = { token: tenantB.token };
    for (const [method, path, body] of [
      ['POST', `/api/v1/tickets/${ticketA}/timer/start`, {}],
      ['POST', `/api/v1/tickets/${ticketA}/timer/stop`, {}],
      ['GET', `/api/v1/tickets/${ticketA}/time-entries`, undefined],
      ['POST', '/api/v1/time-entries', { ticketId: ticketA, durationMinutes: 5 }],
      ['GET', `/api/v1/time-entries/${entryA}`, undefined],
      ['PATCH', `/api/v1/time-entries/${entryA}`, { note: 'mine now' }],
      ['DELETE', `/api/v1/time-entries/${entryA}`, undefined],
    ] as const) {
      const res = await api(method, path, { ...asB, body });
      expect({ method, path, status: res.status, code: res.body?.error?.code }).toEqual({
        method,
        path,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    expect((await api('GET', '/api/v1/time-entries', asB)).body).toEqual({ items: [], nextCursor: null });
    expect((await api('GET', '/api/v1/reports/time', asB)).body).toMatchObject({
      items: [],
      flaggedCount: 0,
    });
    expect((await api('GET', '/api/v1/time-settings', asB)).body.billableRounding).toEqual({
      minutes: 0,
      mode: 'up',
    });
    // untouched in tenant A
    expect((await api('GET', `/api/v1/time-entries/${entryA}`, { token: tenantA.token })).body).toMatchObject(
      { note: '', version: 1 },
    );
  });
});
