// The SLA REST resources (docs/product/sla.md) through the whole platform: calendars, policies, due times and
// "Reset SLA" over REST, served by the SLA service behind the gateway, with the tenant defaults
// (docs/product/sla.md) from identity's tenant_created and the clocks of a ticket created through
// the API from the ticket service's events.
import { randomUUID } from 'node:crypto';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
let agentKey = '';

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'slasys' });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('SLA MSP'),
    platform.createTenantAndLogin('Other SLA MSP'),
  ]);
  const key = await platform.api('POST', '/api/v1/api-keys', {
    token: a.token,
    body: { name: 'integration' },
  });
  expect(key.status).toBe(201);
  agentKey = key.body.secret;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

const fast = {
  name: 'Critical 24×7',
  calendarId: null,
  targets: {
    critical: { firstResponseMinutes: 1, resolutionMinutes: 2 },
    high: { firstResponseMinutes: 60, resolutionMinutes: 240 },
    medium: { firstResponseMinutes: 60, resolutionMinutes: 240 },
    low: { firstResponseMinutes: 60, resolutionMinutes: 240 },
  },
  warnAtPercent: 50,
  match: { priorities: ['critical'] },
};

describe('SLA through the gateway', () => {
  let calendarId = '';
  let defaultPolicyId = '';
  let fastPolicyId = '';
  let criticalTicket = '';
  let openedAt = 0;

  it('seeds every new tenant with business hours in its zone and the SPEC §4 default policy', async () => {
    const policies = await until('default policy', async () => {
      const res = await platform.api('GET', '/api/v1/sla-policies', { token: a.token });
      return res.body.items?.length > 0 && res.body.items;
    });
    expect(policies).toEqual([
      expect.objectContaining({
        name: 'Default SLA',
        isDefault: true,
        warnAtPercent: 80,
        pauseStatuses: ['waiting_on_customer', 'waiting_on_third_party'],
        match: {},
        targets: {
          critical: { firstResponseMinutes: 15, resolutionMinutes: 240 },
          high: { firstResponseMinutes: 120, resolutionMinutes: 480 },
          medium: { firstResponseMinutes: 480, resolutionMinutes: 1440 },
          low: { firstResponseMinutes: 1440, resolutionMinutes: 4320 },
        },
      }),
    ]);
    defaultPolicyId = policies[0].id;
    calendarId = policies[0].calendarId;
    const calendar = await platform.api('GET', `/api/v1/calendars/${calendarId}`, { token: agentKey });
    expect(calendar.status).toBe(200);
    expect(calendar.body).toMatchObject({
      timezone: 'Europe/Berlin',
      holidays: [],
      hours: { mon: [['08:00', '18:00']], fri: [['08:00', '18:00']], sat: [], sun: [] },
    });
  });

  it('answers due times in business minutes: Friday 17:00 Berlin + 4 h is Monday 11:00', async () => {
    const res = await platform.api(
      'GET',
      `/api/v1/calendars/${calendarId}/due?from=2026-06-12T15:00:00Z&minutes=240`,
      { token: agentKey },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dueAt: '2026-06-15T09:00:00.000Z' });
    const bad = await platform.api('GET', `/api/v1/calendars/${calendarId}/due?minutes=-5`, {
      token: a.token,
    });
    expect(bad.status).toBe(400);
  });

  it('creates and changes calendars (admin) with If-Match, and explains what is wrong', async () => {
    const created = await platform.api('POST', '/api/v1/calendars', {
      token: a.token,
      body: {
        name: 'Split days',
        timezone: 'Australia/Lord_Howe',
        hours: {
          mon: [
            ['08:00', '12:00'],
            ['13:00', '17:00'],
          ],
          tue: [['08:00', '17:00']],
        },
        holidays: ['2026-12-25'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Split days',
      version: 1,
      hours: {
        mon: [
          ['08:00', '12:00'],
          ['13:00', '17:00'],
        ],
        wed: [],
      },
    });
    const id = created.body.id;
    const stale = await platform.api('PATCH', `/api/v1/calendars/${id}`, {
      token: a.token,
      headers: { 'if-match': '7' },
      body: { name: 'Late' },
    });
    expect(stale.status).toBe(409);
    const renamed = await platform.api('PATCH', `/api/v1/calendars/${id}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { holidays: ['2026-12-25', '2026-12-26'] },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      version: 2,
      holidays: ['2026-12-25', '2026-12-26'],
      name: 'Split days',
    });

    const invalid = await platform.api('POST', '/api/v1/calendars', {
      token: a.token,
      body: {
        name: 'Bad',
        timezone: 'Europe/Berlin',
        hours: { mon: [['18:00', '08:00']] },
        holidays: ['2026-02-30'],
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('INVALID_ARGUMENT');
    expect(invalid.body.error.message).toContain('start before it ends');
    expect(invalid.body.error.message).toContain('real date');
    const unknownField = await platform.api('POST', '/api/v1/calendars', {
      token: a.token,
      body: { name: 'X', timezone: 'UTC', hours: { monday: [] } },
    });
    expect(unknownField.status).toBe(400);
    // agents read; only admins write
    const byAgent = await platform.api('POST', '/api/v1/calendars', {
      token: agentKey,
      body: { name: 'Mine', timezone: 'UTC', hours: { mon: [['08:00', '18:00']] } },
    });
    expect(byAgent.status).toBe(403);
    const listed = await platform.api('GET', '/api/v1/calendars', { token: agentKey });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([calendarId, id]);
  });

  it('creates and changes policies (admin) with If-Match and validation', async () => {
    const byAgent = await platform.api('POST', '/api/v1/sla-policies', { token: agentKey, body: fast });
    expect(byAgent.status).toBe(403);
    const created = await platform.api('POST', '/api/v1/sla-policies', { token: a.token, body: fast });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...fast,
      pauseStatuses: ['waiting_on_customer', 'waiting_on_third_party'],
      isDefault: false,
      version: 1,
    });
    fastPolicyId = created.body.id;

    const patched = await platform.api('PATCH', `/api/v1/sla-policies/${fastPolicyId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { targets: { low: { resolutionMinutes: 480 } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.targets.low).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 480 });
    expect(patched.body.targets.critical).toEqual(fast.targets.critical);
    const stale = await platform.api('PATCH', `/api/v1/sla-policies/${fastPolicyId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { name: 'Stale' },
    });
    expect(stale.status).toBe(409);

    const invalid = await platform.api('POST', '/api/v1/sla-policies', {
      token: a.token,
      body: { ...fast, warnAtPercent: 0, pauseStatuses: ['closed'] },
    });
    expect(invalid.status).toBe(400);
    const unsetDefault = await platform.api('PATCH', `/api/v1/sla-policies/${defaultPolicyId}`, {
      token: a.token,
      body: { isDefault: false },
    });
    expect(unsetDefault.status).toBe(409);
    const read = await platform.api('GET', `/api/v1/sla-policies/${fastPolicyId}`, { token: agentKey });
    expect(read.body).toEqual(patched.body);
  });

  // the two tests below create tickets through POST /tickets: the ticket service's events start the clocks
  it('gives a new ticket its clocks: the first matching policy, else the default; no other tenant sees them', async () => {
    const critical = await platform.api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'Server down', priority: 'critical' },
    });
    expect(critical.status).toBe(201);
    criticalTicket = critical.body.id;
    openedAt = Date.parse(critical.body.openedAt);
    const medium = await platform.api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'New laptop', priority: 'medium' },
    });
    const slaOf = (id: string) =>
      until(`SLA of ${id}`, async () => {
        const res = await platform.api('GET', `/api/v1/tickets/${id}/sla`, { token: agentKey });
        return res.status === 200 && res.body;
      });
    const fastSla = await slaOf(criticalTicket);
    expect(fastSla).toMatchObject({
      policyId: fastPolicyId,
      firstResponseDueAt: new Date(openedAt + 60_000).toISOString(),
      resolutionDueAt: new Date(openedAt + 120_000).toISOString(),
      firstResponse: { breachedAt: null, metAt: null },
      resolution: { state: 'running', breachedAt: null, metAt: null },
    });
    const defaultSla = await slaOf(medium.body.id);
    expect(defaultSla).toMatchObject({ policyId: defaultPolicyId, firstResponse: { state: 'running' } });
    // another tenant neither reads nor resets it
    for (const [method, path] of [
      ['GET', `/api/v1/tickets/${criticalTicket}/sla`],
      ['POST', `/api/v1/tickets/${criticalTicket}/sla/reset`],
    ] as const) {
      const res = await platform.api(method, path, { token: b.token });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
  });

  it("answers 404 for another tenant's calendars and policies, and lists none of them", async () => {
    for (const [method, path] of [
      ['GET', `/api/v1/calendars/${calendarId}`],
      ['PATCH', `/api/v1/calendars/${calendarId}`],
      ['GET', `/api/v1/calendars/${calendarId}/due?minutes=10`],
      ['GET', `/api/v1/sla-policies/${fastPolicyId}`],
      ['PATCH', `/api/v1/sla-policies/${fastPolicyId}`],
    ] as const) {
      const body = method === 'PATCH' ? { name: 'Taken over' } : undefined;
      const res = await platform.api(method, path, { token: b.token, body });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const theirs = await until('the other tenant’s own default', async () => {
      const res = await platform.api('GET', '/api/v1/sla-policies', { token: b.token });
      return res.body.items?.length > 0 && res.body.items;
    });
    expect(theirs.map((p: { id: string }) => p.id)).not.toContain(fastPolicyId);
    expect(theirs.map((p: { id: string }) => p.id)).not.toContain(defaultPolicyId);
    const calendars = await platform.api('GET', '/api/v1/calendars', { token: b.token });
    expect(calendars.body.items.map((c: { id: string }) => c.id)).not.toContain(calendarId);
  });

  it('warns and breaches the ticket on time from the timers, then "Reset SLA" restarts both clocks', async () => {
    const breached = await until(
      'first-response breach',
      async () => {
        const res = await platform.api('GET', `/api/v1/tickets/${criticalTicket}/sla`, { token: a.token });
        return res.body.firstResponse?.state === 'breached' && res.body;
      },
      90_000,
    );
    expect(breached.firstResponse.breachedAt).toBe(new Date(openedAt + 60_000).toISOString());
    // the resolution warning (50 % of 2 minutes) came with the first-response breach
    expect(breached.warning).toBe(true);

    // the ticket carries its SLA from the SLA service's events, and the slaState filter finds it
    const ticketView = await until(
      'the ticket to show the breach',
      async () => {
        const res = await platform.api('GET', `/api/v1/tickets/${criticalTicket}`, { token: a.token });
        return res.body.sla?.firstResponse?.state === 'breached' && res.body;
      },
      20_000,
    );
    expect(ticketView.sla).toMatchObject({ policyId: fastPolicyId, firstResponse: { state: 'breached' } });
    const listed = await platform.api('GET', '/api/v1/tickets?slaState=breached', { token: a.token });
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(criticalTicket);
    expect(
      (await platform.api('GET', '/api/v1/tickets?slaState=breached', { token: b.token })).body.items,
    ).toEqual([]);

    const before = Date.now();
    const reset = await platform.api('POST', `/api/v1/tickets/${criticalTicket}/sla/reset`, {
      token: agentKey,
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      policyId: fastPolicyId,
      warning: false,
      firstResponse: { state: 'running', breachedAt: null, metAt: null },
      resolution: { state: 'running', breachedAt: null, metAt: null },
    });
    expect(Date.parse(reset.body.firstResponseDueAt)).toBeGreaterThanOrEqual(before + 60_000);
    const unknown = await platform.api('POST', `/api/v1/tickets/${randomUUID()}/sla/reset`, {
      token: a.token,
    });
    expect(unknown.status).toBe(404);
  }, 120_000);
});
