// The reports (docs/product/reports.md, SPEC §9 /reports/overview and /reports/sla) through the whole platform:
// tickets created, replied to, resolved and rated through the gateway, a first response breached by the SLA
// service's timers, and every number of both reports read back from the reporting service's read model, which
// only ever saw the events. Another tenant sees none of it.
import { parseCsv } from '@helpdesk/testing';
import {
  startTestPlatform,
  printOutputsOnFailure,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
let acme = '';
const tickets: Record<'t1' | 't2' | 't3' | 't4', { id: string; openedAt: string }> = {} as never;

printOutputsOnFailure(() => platform);

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await probe();
    if (last !== undefined && last !== false) return last as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const berlinDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(iso));

async function createTicket(body: Record<string, unknown>) {
  const res = await platform.api('POST', '/api/v1/tickets', { token: a.token, body });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, openedAt: res.body.openedAt as string };
}

async function reply(id: string, status?: string) {
  const res = await platform.api('POST', `/api/v1/tickets/${id}/messages`, {
    token: a.token,
    body: {
      kind: 'public_reply',
      bodyText: 'On it',
      ...(status ? { status, resolutionDetails: 'Done' } : {}),
    },
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'reportsys' });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Reports MSP'),
    platform.createTenantAndLogin('Other Reports MSP'),
  ]);
  await until('the SLA defaults of the tenant', async () => {
    const res = await platform.api('GET', '/api/v1/sla-policies', { token: a.token });
    return res.body.items?.length > 0;
  });
  // critical tickets: a first response within one minute, round the clock
  const policy = await platform.api('POST', '/api/v1/sla-policies', {
    token: a.token,
    body: {
      name: 'Critical 24×7',
      calendarId: null,
      targets: {
        critical: { firstResponseMinutes: 1, resolutionMinutes: 600 },
        high: { firstResponseMinutes: 60, resolutionMinutes: 600 },
        medium: { firstResponseMinutes: 60, resolutionMinutes: 600 },
        low: { firstResponseMinutes: 60, resolutionMinutes: 600 },
      },
      match: { priorities: ['critical'] },
    },
  });
  expect(policy.status).toBe(201);
  const client = await platform.api('POST', '/api/v1/clients', {
    token: a.token,
    body: { name: 'Acme', domains: ['acme.example'] },
  });
  expect(client.status).toBe(201);
  acme = client.body.id;
  const contact = await platform.api('POST', '/api/v1/contacts', {
    token: a.token,
    body: {
      name: 'Nora',
      email: 'nora@acme.example',
      clientId: acme,
      portalAccess: 'own',
      password: 'portal passphrase 1',
    },
  });
  expect(contact.status).toBe(201);

  // T1: Acme, high, replied to and resolved; T2: Acme, medium, replied to, resolved, rated 4 in the portal;
  // T3: Acme, critical, never answered (breached after a minute); T4: no client, medium, open
  tickets.t1 = await createTicket({
    title: 'VPN down',
    priority: 'high',
    clientId: acme,
    requester: { email: 'ian@acme.example', name: 'Ian' },
  });
  tickets.t2 = await createTicket({ title: 'New laptop', priority: 'medium', contactId: contact.body.id });
  tickets.t3 = await createTicket({
    title: 'Server room flooded',
    priority: 'critical',
    clientId: acme,
    requester: { email: 'ops@acme.example', name: 'Ops' },
  });
  tickets.t4 = await createTicket({
    title: 'Question about invoices',
    priority: 'medium',
    requester: { email: 'someone@elsewhere.example', name: 'Someone' },
  });
  await reply(tickets.t1.id);
  await reply(tickets.t1.id, 'resolved');
  await reply(tickets.t2.id);
  await reply(tickets.t2.id, 'resolved');
  const session = await platform.api('POST', '/api/v1/portal/auth/login', {
    body: { tenant: a.tenantId, email: 'nora@acme.example', password: 'portal passphrase 1' },
  });
  expect(session.status).toBe(200);
  const rated = await platform.api('POST', `/api/v1/portal/tickets/${tickets.t2.id}/rating`, {
    token: session.body.token,
    body: { score: 4, comment: 'Quick' },
  });
  expect(rated.status).toBe(200);
  await until(
    'the critical ticket to breach its first response',
    async () => {
      const res = await platform.api('GET', `/api/v1/tickets/${tickets.t3.id}/sla`, { token: a.token });
      return res.body.firstResponse?.state === 'breached';
    },
    120_000,
  );
}, 300_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

const target = (met: number, breached: number, compliancePercent: number | null) => ({
  met,
  breached,
  compliancePercent,
});

describe('GET /reports/overview', () => {
  it('answers every number of the tickets above, in the tenant zone', async () => {
    const overview = await until('the overview to show the breach and the rating', async () => {
      const res = await platform.api('GET', '/api/v1/reports/overview', { token: a.token });
      expect(res.status).toBe(200);
      return res.body.sla.firstResponse.breached === 1 && res.body.csat.count === 1 && res.body;
    });
    expect(overview.timezone).toBe('Europe/Berlin');
    expect(overview.clientId).toBeNull();
    expect(overview.openByStatus).toEqual({
      open: 2,
      in_progress: 0,
      waiting_on_customer: 0,
      waiting_on_third_party: 0,
    });
    expect(overview.openByPriority).toEqual({ critical: 1, high: 0, medium: 1, low: 0 });
    // T1 and T2 met, T3 breached, T4 still running; resolutions: T1 and T2 met, T3 and T4 running
    expect(overview.sla).toEqual({ firstResponse: target(2, 1, 66.7), resolution: target(2, 0, 100) });
    // T1 and T2 were answered within seconds
    expect(overview.firstResponseMinutes).toEqual({ count: 2, median: 0, p90: 0 });
    // from the SLA service's events: its calendar maths, never ours
    expect(overview.firstResponseBusinessMinutes).toEqual({ count: 2, median: 0, p90: 0 });
    expect(overview.csat).toEqual({ count: 1, average: 4 });
    const days: string[] = overview.createdByDay.map((d: { date: string }) => d.date);
    expect(days).toHaveLength(30);
    const created = new Map<string, number>();
    for (const t of Object.values(tickets))
      created.set(berlinDay(t.openedAt), (created.get(berlinDay(t.openedAt)) ?? 0) + 1);
    expect(overview.createdByDay).toEqual(days.map((date) => ({ date, count: created.get(date) ?? 0 })));
    const total = (series: Array<{ count: number }>) => series.reduce((sum, d) => sum + d.count, 0);
    expect(total(overview.resolvedByDay)).toBe(2);
    expect(overview.backlogByDay.at(-1)).toEqual({ date: days.at(-1), open: 2 });
    expect(overview.backlogByDay[0]).toEqual({ date: days[0], open: 0 });
  });

  it("narrows to one client, and answers 404 for another tenant's client", async () => {
    const res = await platform.api('GET', `/api/v1/reports/overview?clientId=${acme}`, { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe(acme);
    expect(res.body.sla.firstResponse).toEqual(target(2, 1, 66.7));
    expect(res.body.openByPriority).toEqual({ critical: 1, high: 0, medium: 0, low: 0 });
    expect(res.body.backlogByDay.at(-1).open).toBe(1);
    expect(res.body.csat).toEqual({ count: 1, average: 4 });
    const foreign = await platform.api('GET', `/api/v1/reports/overview?clientId=${acme}`, {
      token: b.token,
    });
    expect(foreign.status).toBe(404);
  });

  it('refuses a period it cannot read with 400 and the field', async () => {
    const res = await platform.api('GET', '/api/v1/reports/overview?from=2026-13-01', { token: a.token });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0].path).toEqual(['from']);
    const backwards = await platform.api('GET', '/api/v1/reports/overview?from=2026-11-30&to=2026-11-01', {
      token: a.token,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('GET /reports/sla', () => {
  it('groups by priority and by client, as JSON and as CSV', async () => {
    const byPriority = await platform.api('GET', '/api/v1/reports/sla?groupBy=priority', { token: a.token });
    expect(byPriority.status).toBe(200);
    expect(
      byPriority.body.items.map((i: { priority: string; tickets: number; firstResponse: unknown }) => [
        i.priority,
        i.tickets,
        i.firstResponse,
      ]),
    ).toEqual([
      ['critical', 1, target(0, 1, 0)],
      ['high', 1, target(1, 0, 100)],
      ['medium', 2, target(1, 0, 100)],
    ]);
    expect(byPriority.body.totals).toMatchObject({
      tickets: 4,
      firstResponse: target(2, 1, 66.7),
      resolution: target(2, 0, 100),
      firstResponseMinutes: { count: 2, median: 0 },
    });

    const byClient = await platform.api('GET', '/api/v1/reports/sla?groupBy=client', { token: a.token });
    expect(byClient.body.items).toEqual([
      expect.objectContaining({ clientId: acme, tickets: 3, firstResponse: target(2, 1, 66.7) }),
      expect.objectContaining({ clientId: null, tickets: 1, firstResponse: target(0, 0, null) }),
    ]);

    const csv = await platform.api('GET', '/api/v1/reports/sla?groupBy=client&format=csv', {
      token: a.token,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('sla-report-by-client.csv');
    const [header, ...rows] = parseCsv(csv.text);
    expect(header!.slice(0, 4)).toEqual(['clientId', 'tickets', 'firstResponseMet', 'firstResponseBreached']);
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      [acme, '3', '2', '1', '66.7'],
      ['', '1', '0', '0', ''],
    ]);
  });

  it('shows another tenant none of these tickets', async () => {
    const overview = await platform.api('GET', '/api/v1/reports/overview', { token: b.token });
    expect(overview.status).toBe(200);
    expect(overview.body.sla).toEqual({ firstResponse: target(0, 0, null), resolution: target(0, 0, null) });
    expect(overview.body.openByStatus.open).toBe(0);
    expect(overview.body.createdByDay.every((d: { count: number }) => d.count === 0)).toBe(true);
    expect(overview.body.backlogByDay.every((d: { open: number }) => d.open === 0)).toBe(true);
    expect(overview.body.csat).toEqual({ count: 0, average: null });
    const sla = await platform.api('GET', '/api/v1/reports/sla?groupBy=assignee', { token: b.token });
    expect(sla.body.items).toEqual([]);
    expect(sla.body.totals.tickets).toBe(0);
  });

  it('is not for portal contacts', async () => {
    const session = await platform.api('POST', '/api/v1/portal/auth/login', {
      body: { tenant: a.tenantId, email: 'nora@acme.example', password: 'portal passphrase 1' },
    });
    const res = await platform.api('GET', '/api/v1/reports/sla', { token: session.body.token });
    expect([401, 403]).toContain(res.status);
  });
});
