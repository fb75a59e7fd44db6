// Calendars, policies, the tenant defaults and policy choice through the SLA service's real gRPC server, with its
// consumers on the real NATS JetStream and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { domainFailure } from '@helpdesk/testing';
import { addBusinessMinutes, defaultBusinessCalendar } from '../src/domain';
import type { RunningSlaService } from '../src/sla-service';
import { startHarness, ticket, waitFor, type Harness, type SlaClient } from './support/harness';
import { allWeek, testPolicy, weekdays } from './support/requests';

const failure = domainFailure;

let h: Harness;
let client: SlaClient;
let service: RunningSlaService;

beforeAll(async () => {
  h = await startHarness('slaapi');
  ({ client, service } = await h.start());
});

afterAll(async () => {
  await h?.stop();
});

describe('calendars', () => {
  const tenantId = randomUUID();
  let calendarId = '';

  it('creates, reads, lists and updates a calendar with If-Match', async () => {
    const { calendar } = await client.createCalendar({
      tenantId,
      actor: undefined,
      name: 'Support desk',
      timezone: 'Europe/Berlin',
      hours: weekdays([
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ]),
      holidays: ['2026-12-25'],
    });
    expect(calendar).toMatchObject({ name: 'Support desk', timezone: 'Europe/Berlin', version: 1 });
    expect(calendar!.hours!.mon).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    calendarId = calendar!.id;
    expect((await client.getCalendar({ tenantId, id: calendarId })).calendar).toEqual(calendar);
    expect((await client.listCalendars({ tenantId, page: undefined })).items).toEqual([calendar]);

    const { calendar: updated } = await client.updateCalendar({
      tenantId,
      actor: undefined,
      id: calendarId,
      expectedVersion: 1,
      holidays: { dates: ['2026-12-24', '2026-12-25'] },
    });
    expect(updated).toMatchObject({
      version: 2,
      holidays: ['2026-12-24', '2026-12-25'],
      name: 'Support desk',
    });
    const stale = await failure(
      client.updateCalendar({ tenantId, actor: undefined, id: calendarId, expectedVersion: 1, name: 'x' }),
    );
    expect(stale.code).toBe('CONFLICT');
  });

  it('answers due times in business minutes across a weekend and a holiday', async () => {
    // 24 and 25 December are holidays, then the weekend: Wednesday 16:30 + 90 min → Monday 09:00
    const { dueAt } = await client.computeDue({
      tenantId,
      calendarId,
      from: new Date('2026-12-23T16:30:00+01:00'),
      minutes: 90,
    });
    expect(dueAt?.toISOString()).toBe(new Date('2026-12-28T09:00:00+01:00').toISOString());
  });

  it('rejects invalid calendars, naming the problem', async () => {
    const bad = await failure(
      client.createCalendar({
        tenantId,
        actor: undefined,
        name: 'Bad',
        timezone: 'Mars/Base',
        hours: weekdays([['18:00', '08:00']]),
        holidays: ['2026-02-30'],
      }),
    );
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect(bad.message).toContain('timezone');
    expect(bad.message).toContain('start before it ends');
    expect(bad.message).toContain('real date');
  });

  it("never shows or changes another tenant's calendar", async () => {
    const other = randomUUID();
    expect((await failure(client.getCalendar({ tenantId: other, id: calendarId }))).code).toBe('NOT_FOUND');
    expect((await client.listCalendars({ tenantId: other, page: undefined })).items).toEqual([]);
    const update = failure(
      client.updateCalendar({ tenantId: other, actor: undefined, id: calendarId, name: 'Mine' }),
    );
    expect((await update).code).toBe('NOT_FOUND');
    const due = failure(client.computeDue({ tenantId: other, calendarId, from: new Date(), minutes: 5 }));
    expect((await due).code).toBe('NOT_FOUND');
  });
});

describe('policies', () => {
  const tenantId = randomUUID();

  it('creates policies; a new default replaces the previous one; the default cannot be unset', async () => {
    const { policy: first } = await client.createPolicy(
      testPolicy(tenantId, { name: 'First', isDefault: true }),
    );
    const { policy: second } = await client.createPolicy(
      testPolicy(tenantId, { name: 'Second', isDefault: true }),
    );
    const { items } = await client.listPolicies({ tenantId, page: undefined });
    expect(items.map((p) => [p.name, p.isDefault])).toEqual([
      ['First', false],
      ['Second', true],
    ]);
    expect(items[0]!.version).toBe(first!.version + 1);
    const unset = await failure(
      client.updatePolicy({ tenantId, actor: undefined, id: second!.id, isDefault: false }),
    );
    expect(unset.code).toBe('FAILED_PRECONDITION');
  });

  it('patches only the given targets and fields, with If-Match', async () => {
    const { policy } = await client.createPolicy(testPolicy(tenantId, { name: 'Patched' }));
    const { policy: updated } = await client.updatePolicy({
      tenantId,
      actor: undefined,
      id: policy!.id,
      expectedVersion: 1,
      targets: { high: { resolutionMinutes: 600 } },
      warnAtPercent: 90,
      pauseStatuses: { statuses: [] },
    });
    expect(updated!.targets!.high).toEqual({ firstResponseMinutes: 45, resolutionMinutes: 600 });
    expect(updated!.targets!.critical).toEqual(policy!.targets!.critical);
    expect(updated).toMatchObject({ warnAtPercent: 90, pauseStatuses: [], version: 2, name: 'Patched' });
    const stale = await failure(
      client.updatePolicy({ tenantId, actor: undefined, id: policy!.id, expectedVersion: 1, name: 'x' }),
    );
    expect(stale.code).toBe('CONFLICT');
  });

  it("rejects invalid policies and another tenant's calendar", async () => {
    const bad = await failure(
      client.createPolicy(
        testPolicy(tenantId, { warnAtPercent: 0, pauseStatuses: ['closed'], targets: undefined }),
      ),
    );
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect(bad.message).toContain('warnAtPercent');
    expect(bad.message).toContain('pauseStatuses');
    expect(bad.message).toContain('targets');
    const { calendar } = await client.createCalendar({
      tenantId: randomUUID(),
      actor: undefined,
      name: 'Theirs',
      timezone: 'UTC',
      hours: allWeek([['00:00', '24:00']]),
      holidays: [],
    });
    const foreign = await failure(client.createPolicy(testPolicy(tenantId, { calendarId: calendar!.id })));
    expect(foreign.code).toBe('INVALID_ARGUMENT');
    expect(foreign.message).toContain('calendarId');
  });

  it("never shows or changes another tenant's policy", async () => {
    const { policy } = await client.createPolicy(testPolicy(tenantId, { name: 'Private' }));
    const other = randomUUID();
    expect((await failure(client.getPolicy({ tenantId: other, id: policy!.id }))).code).toBe('NOT_FOUND');
    expect((await client.listPolicies({ tenantId: other, page: undefined })).items).toEqual([]);
    const patch = failure(
      client.updatePolicy({ tenantId: other, actor: undefined, id: policy!.id, name: 'Mine' }),
    );
    expect((await patch).code).toBe('NOT_FOUND');
  });

  it('pages through the list in creation order', async () => {
    const t = randomUUID();
    for (const name of ['a', 'b', 'c']) await client.createPolicy(testPolicy(t, { name }));
    const first = await client.listPolicies({ tenantId: t, page: { limit: 2, cursor: '' } });
    expect(first.items.map((p) => p.name)).toEqual(['a', 'b']);
    const second = await client.listPolicies({ tenantId: t, page: { limit: 2, cursor: first.nextCursor } });
    expect(second.items.map((p) => p.name)).toEqual(['c']);
    expect(second.nextCursor).toBe('');
  });
});

describe('tenant defaults and policy choice', () => {
  it('seeds a new tenant once: business hours Mon–Fri 08–18 in its zone and the SPEC default policy', async () => {
    const tenantId = randomUUID();
    await h.publishTenantCreated(tenantId, 'Asia/Kolkata');
    await h.publishTenantCreated(tenantId, 'Asia/Kolkata');
    const { items } = await waitFor('default policy', async () => {
      const list = await client.listPolicies({ tenantId, page: undefined });
      return list.items.length > 0 && list;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await client.listPolicies({ tenantId, page: undefined })).items).toHaveLength(1);
    const policy = items[0]!;
    expect(policy).toMatchObject({
      isDefault: true,
      warnAtPercent: 80,
      pauseStatuses: ['waiting_on_customer', 'waiting_on_third_party'],
    });
    expect(policy.targets).toEqual({
      critical: { firstResponseMinutes: 15, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 120, resolutionMinutes: 480 },
      medium: { firstResponseMinutes: 480, resolutionMinutes: 1440 },
      low: { firstResponseMinutes: 1440, resolutionMinutes: 4320 },
    });
    const { calendar } = await client.getCalendar({ tenantId, id: policy.calendarId });
    expect(calendar).toMatchObject({ timezone: 'Asia/Kolkata', holidays: [] });
    expect(calendar!.hours).toEqual(weekdays([['08:00', '18:00']]));
  });

  it("gives a ticket its client's policy, else the first match, else the default", async () => {
    const tenantId = randomUUID();
    await h.publishTenantCreated(tenantId, 'Europe/London');
    const fallback = await waitFor('default policy', async () => {
      const list = await client.listPolicies({ tenantId, page: undefined });
      return list.items[0];
    });
    const { policy: tests } = await client.createPolicy(testPolicy(tenantId));
    const { policy: gold } = await client.createPolicy(
      testPolicy(tenantId, { name: 'Gold', match: { clientIds: [], priorities: [], types: [] } }),
    );
    const clientId = randomUUID();
    await h.publishClient({ id: clientId, tenantId, slaPolicyId: gold!.id, version: 1 });
    const ofClient = ticket({ tenantId, clientId, type: 'SlaTest' });
    const ofType = ticket({ tenantId, type: 'SlaTest' });
    const plain = ticket({ tenantId });
    for (const t of [ofClient, ofType, plain]) await h.publishTicketEvent('helpdesk.ticket.created', t);
    const policyOf = (id: string) =>
      waitFor(
        `SLA of ${id}`,
        async () => (await client.getTicketSla({ tenantId, ticketId: id })).sla?.policyId,
      );
    expect(await policyOf(ofClient.id)).toBe(gold!.id);
    expect(await policyOf(ofType.id)).toBe(tests!.id);
    expect(await policyOf(plain.id)).toBe(fallback.id);
    // another tenant asking for the ticket's SLA finds nothing
    const foreign = await failure(client.getTicketSla({ tenantId: randomUUID(), ticketId: plain.id }));
    expect(foreign.code).toBe('NOT_FOUND');
  });

  it('starts the clocks of tickets that arrived before their tenant had a policy', async () => {
    const tenantId = randomUUID();
    const early = ticket({ tenantId, priority: 'critical' });
    await h.publishTicketEvent('helpdesk.ticket.created', early);
    await waitFor('ticket recorded', async () => {
      const { rowCount } = await service.pool.query('SELECT 1 FROM tickets WHERE id = $1', [early.id]);
      return rowCount === 1;
    });
    expect((await failure(client.getTicketSla({ tenantId, ticketId: early.id }))).code).toBe('NOT_FOUND');
    await h.publishTenantCreated(tenantId, 'UTC');
    const sla = await waitFor('clocks started', async () => {
      return (await client.getTicketSla({ tenantId, ticketId: early.id })).sla;
    });
    expect(sla.firstResponse?.state).toMatch(/running|breached/);
    expect(sla.firstResponseDueAt?.toISOString()).toBe(
      addBusinessMinutes(defaultBusinessCalendar('UTC'), early.openedAt!, 15).toISOString(),
    );
  });
});
