// Debian's Prometheus, on a private port with a configuration of this test's own, scrapes every service of the
// running platform on its health port, loads the chart's alert rules, and sees the metrics move when the test
// creates tickets through the API.
import path from 'node:path';
import { repoRoot, startPrometheus, waitFor, type TestPrometheus } from '@helpdesk/testing';
import { SERVICE_MANIFESTS } from '../services/manifests';
import { startTestPlatform, type TenantSession, type TestPlatform } from './support/platform';

const RULES = path.join(repoRoot, 'charts', 'helpdesk', 'monitoring', 'alerts.yaml');

let platform: TestPlatform;
let prometheus: TestPrometheus;
let tenant: TenantSession;

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'metricsys' });
  const targets = Object.fromEntries(
    SERVICE_MANIFESTS.map((m) => [m.name, platform.ports[m.name]!.health!] as const),
  );
  prometheus = await startPrometheus({ targets, ruleFiles: [RULES] });
  tenant = await platform.createTenantAndLogin('Metrics MSP');
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  await platform?.stop();
}, 60_000);

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls > 0 && state.suppressedErrors.length > 0)
    console.error(`${platform.outputs()}\n${prometheus?.output().slice(-3000)}`);
});

/** The value of `expr` once it has a sample (and `accept` takes it); the series' labels and value. */
async function sampled(
  expr: string,
  accept: (value: number) => boolean = () => true,
): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  return waitFor(
    `a sample of ${expr}`,
    async () => {
      const result = await prometheus.query(expr);
      return result.length > 0 && result.every((r) => accept(r.value)) ? result : undefined;
    },
    60_000,
  );
}

/** Waits (up to a minute) until `expr` has one series per `expected` value of `label`; then compares the sets. */
async function expectSeries(expr: string, label: string, expected: string[]): Promise<void> {
  let seen: string[] = [];
  await waitFor(
    `${expr} by ${label}`,
    async () => {
      seen = (await prometheus.query(expr)).map((r) => r.metric[label] ?? '').sort();
      return seen.join() === [...expected].sort().join();
    },
    60_000,
  ).catch(() => undefined);
  expect(seen).toEqual([...expected].sort());
}

const servicesWhere = (keep: (m: (typeof SERVICE_MANIFESTS)[number]) => boolean) =>
  SERVICE_MANIFESTS.filter(keep)
    .map((m) => m.name)
    .sort();

describe('Prometheus scraping the platform', () => {
  it('scrapes every service on its health port', async () => {
    const all = SERVICE_MANIFESTS.map((m) => m.name);
    await expectSeries('up == 1', 'job', all);
    // each service names itself on every series, whatever the job is called
    await expectSeries('count by (service_name) (target_info)', 'service_name', all);
  }, 90_000);

  it('loads the alert rules of the chart, and they evaluate', async () => {
    const groups = await waitFor(
      'the rules evaluated',
      async () => {
        const data = await prometheus.api<{
          groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }>;
        }>('/api/v1/rules');
        const rules = data.groups.flatMap((g) => g.rules);
        return rules.length > 0 && rules.every((r) => r.health === 'ok') ? data.groups : undefined;
      },
      60_000,
    );
    expect(groups.map((g) => g.name).sort()).toEqual(
      ['helpdesk.events', 'helpdesk.mail', 'helpdesk.slo', 'helpdesk.timers'].sort(),
    );
  }, 90_000);

  it('has the platform metrics of every service that has the mechanism', async () => {
    const withDb = servicesWhere((m) => Boolean(m.database));
    await expectSeries('max by (service_name) (db_client_connection_max) > 0', 'service_name', withDb);
    const withOutbox = servicesWhere((m) => m.streams.owns.length > 0);
    await expectSeries('max by (service_name) (helpdesk_outbox_backlog)', 'service_name', withOutbox);
    // durable consumers (the gateway reads its streams with a live feed of its own, not a durable)
    const consuming = servicesWhere((m) => m.streams.consumes.length > 0 && m.name !== 'gateway');
    await expectSeries('count by (service_name) (helpdesk_consumer_lag)', 'service_name', consuming);
    await expectSeries(
      'max by (helpdesk_consumer) (helpdesk_dlq_messages) == 0',
      'helpdesk_consumer',
      consuming,
    );

    for (const expr of [
      'helpdesk_sla_timers_pending',
      'helpdesk_sla_timers_overdue',
      'helpdesk_automation_timers_pending',
      'helpdesk_webhook_deliveries_pending',
    ])
      expect((await sampled(expr)).length).toBe(1);
  }, 120_000);

  it('counts the requests and calls of new tickets, by route and RPC, and the events handled', async () => {
    const route =
      'http_server_request_duration_count{service_name="gateway",http_route="/api/v1/tickets",http_request_method="POST"}';
    const rpc =
      'rpc_server_duration_count{service_name="ticket",rpc_method="CreateTicket",rpc_grpc_status_code="0"}';
    const handled = 'sum(messaging_process_duration_count{service_name="sla"})';
    const before = async (expr: string) => (await prometheus.query(`sum(${expr})`))[0]?.value ?? 0;
    const [routeBefore, rpcBefore, handledBefore] = await Promise.all([
      before(route),
      before(rpc),
      before(handled),
    ]);
    for (let i = 0; i < 3; i++) {
      const created = await platform.api('POST', '/api/v1/tickets', {
        token: tenant.token,
        body: { title: `Metrics ${i}`, priority: 'high', requester: { email: 'jane@acme.example' } },
      });
      expect(created.status).toBe(201);
    }
    await sampled(`sum(${route})`, (v) => v >= routeBefore + 3);
    await sampled(`sum(${rpc})`, (v) => v >= rpcBefore + 3);
    // sla keeps a clock per ticket from the ticket events
    await sampled(handled, (v) => v >= handledBefore + 3);
    await sampled('helpdesk_sla_timers_pending', (v) => v >= 3);
    // the route template, never a raw path with an id
    const routes = await prometheus.query('count by (http_route) (http_server_request_duration_count)');
    for (const r of routes) expect(r.metric.http_route ?? '').not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  }, 120_000);
});
