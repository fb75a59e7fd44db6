// `npm run bench:automation`: the automation service on the platform as users run it (identity, ticket, sla,
// automation and gateway as processes, bench/platform.ts). 1. Rule evaluation: the events/s its durable ticket
// consumer works through with 50 active event rules in a tenant, beside the same service on the same kind of
// events of a tenant with no rules, in the same run; the events are the ticket service's own, made through the API
// while the automation process is stopped (SIGSTOP), then drained. 2. Time rules: 100,000 pending timers, idle
// CPU with none due, and the fire latency of a batch that falls due within seconds. Prints figures; asserts nothing.
import { sleep, until } from './waiting';
import { randomUUID } from 'node:crypto';
import { type Bus } from '@helpdesk/bus';

import { type ServiceProcess } from '@helpdesk/testing';
import { Pool } from 'pg';
import { addCpu, cpuSnapshot, type CpuSnapshot, machineLine, loadAverage } from './cpu';
import {
  Cleanup,
  runBench,
  startPlatform,
  statusMiB,
  type Platform,
  printLoggedErrors,
  benchBus,
} from './platform';
import { latencyLine, percentile } from './stats';

const EVENT_RULES = 50;
/** Rules of the 50 whose conditions hold for some tickets and act. */
const MATCHING_RULES = 3;
const TICKETS_PER_ROUND = Number(process.env.BENCH_AUTOMATION_TICKETS ?? 2_000);
const TIMERS = 100_000;
/** Tickets made through the API whose status change arms a time rule due soon after: the measured firings. */
const DUE_TICKETS = Number(process.env.BENCH_AUTOMATION_DUE ?? 2_000);
const DUE_AFTER_S = 40;
const IDLE_S = 30;
const CONCURRENCY = 16;
const GOALS = { p99Ms: 1_000, idleCpuPercent: 2 };
const TICKET_DURABLE = 'automation--ticket-rules';

const log = (line = ''): void => console.log(line);
const startedAt = Date.now();
const elapsed = (): string => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;

interface Api {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<unknown>;
}

function api(gatewayUrl: string, token: string): Api {
  return {
    async call(method, path, body, headers = {}) {
      const res = await fetch(`${gatewayUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.status >= 300)
        throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
  };
}

/** Runs `count` calls of `task`, `CONCURRENCY` at a time; answers the seconds it took. */
async function inParallel(count: number, task: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

interface RuleDto {
  id: string;
  version: number;
  trigger: { type: string };
}

/** The tenant's seeded defaults (from tenant_created), switched off: the tenant then has no rule at all. */
async function switchOffDefaults(client: Api): Promise<void> {
  let rules: RuleDto[] = [];
  await until(
    'the default rules',
    async () => {
      rules = ((await client.call('GET', '/automation-rules')) as { items: RuleDto[] }).items;
      return rules.length > 0;
    },
    30_000,
  );
  for (const rule of rules)
    await client.call(
      'PATCH',
      `/automation-rules/${rule.id}`,
      { active: false },
      { 'if-match': String(rule.version) },
    );
}

/** Conditions that hold for no benchmark ticket, of every kind the engine evaluates. */
function missingConditions(k: number): unknown {
  switch (k % 6) {
    case 0:
      return { all: [{ field: 'category', op: 'equals', value: `Category ${k}` }] };
    case 1:
      return { all: [{ field: 'title', op: 'contains', value: `no such words ${k}` }] };
    case 2:
      return { all: [{ field: 'tags', op: 'contains', value: `tag-${k}` }] };
    case 3:
      return {
        any: [
          { field: 'requester.email', op: 'equals', value: `nobody-${k}@elsewhere.example` },
          { field: 'type', op: 'in', value: [`Type ${k}`, `Kind ${k}`] },
        ],
      };
    case 4:
      return {
        all: [
          { field: 'priority', op: 'equals', value: 'low' },
          { field: 'description', op: 'contains', value: `error ${k}` },
        ],
      };
    default:
      return { all: [{ field: 'status', op: 'changed_to', value: 'closed' }] };
  }
}

async function createEventRules(client: Api): Promise<void> {
  const trigger = { type: 'event', events: ['ticket.created', 'ticket.updated'] };
  for (let k = 0; k < EVENT_RULES - MATCHING_RULES; k++)
    await client.call('POST', '/automation-rules', {
      name: `Bench rule ${k}`,
      trigger,
      conditions: missingConditions(k),
      actions: [{ type: 'add_tags', tags: [`never-${k}`] }],
    });
  // the few that act, on the tenth of the tickets that are high: a tag, then (on that change) the priority
  await client.call('POST', '/automation-rules', {
    name: 'Bench: tag high tickets',
    trigger: { type: 'event', events: ['ticket.created'] },
    conditions: { all: [{ field: 'priority', op: 'equals', value: 'high' }] },
    actions: [{ type: 'add_tags', tags: ['vip'] }],
  });
  await client.call('POST', '/automation-rules', {
    name: 'Bench: categorise printers',
    trigger: { type: 'event', events: ['ticket.created'] },
    conditions: {
      all: [
        { field: 'priority', op: 'equals', value: 'high' },
        { field: 'title', op: 'contains', value: 'printer' },
      ],
    },
    actions: [{ type: 'set', field: 'category', value: 'Hardware' }],
  });
  await client.call('POST', '/automation-rules', {
    name: 'Bench: escalate tagged',
    trigger: { type: 'event', events: ['ticket.updated'] },
    conditions: {
      all: [
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'priority', op: 'equals', value: 'high' },
      ],
    },
    actions: [{ type: 'set', field: 'priority', value: 'critical' }],
  });
}

const ticketBody = (i: number) => ({
  title: `Printer on floor ${i % 7} is offline`,
  description: '<p>The printer says <b>PC LOAD LETTER</b> and prints nothing since this morning.</p>',
  priority: i % 10 === 0 ? 'high' : 'medium',
  requester: { email: `user-${i % 50}@customer.example`, name: 'Jane Doe' },
});

interface ConsumerState {
  pending: number;
  ackPending: number;
}

async function consumerState(bus: Bus, durable: string): Promise<ConsumerState> {
  const info = await bus.jsm.consumers.info(bus.streamName('ticket'), durable);
  return { pending: info.num_pending, ackPending: info.num_ack_pending };
}

/** Every durable on the ticket stream but `except` has taken and acknowledged what is there. */
async function othersCaughtUp(bus: Bus, except: string): Promise<boolean> {
  const consumers = await bus.jsm.consumers.list(bus.streamName('ticket')).next();
  return consumers
    .filter((c) => c.name !== except)
    .every((c) => c.num_pending === 0 && c.num_ack_pending === 0);
}

function signal(p: ServiceProcess, sig: 'SIGSTOP' | 'SIGCONT'): void {
  if (p.child.pid === undefined) throw new Error(`${p.name} has no pid`);
  process.kill(p.child.pid, sig);
}

interface Round {
  events: number;
  seconds: number;
  rate: number;
  cpuMsPerEvent: number;
  createRate: number;
}

/**
 * Stops the automation process, makes TICKETS_PER_ROUND tickets of the tenant through the API, waits until the
 * other consumers of the ticket stream are done with them, then lets automation drain its durable and times that
 * from the durable's state and the inbox rows it wrote.
 */
async function round(
  label: string,
  bus: Bus,
  db: Pool,
  automation: ServiceProcess,
  client: Api,
): Promise<Round> {
  const inbox = async () =>
    Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM inbox WHERE consumer = $1', [TICKET_DURABLE]))
        .rows[0]!.n,
    );
  await until(
    'automation idle before the round',
    async () => {
      const s = await consumerState(bus, TICKET_DURABLE);
      return s.pending === 0 && s.ackPending === 0;
    },
    60_000,
  );
  // the action worker's last round too (its ticket updates come back as events)
  await sleep(1_000);
  signal(automation, 'SIGSTOP');
  let createS: number;
  try {
    createS = await inParallel(TICKETS_PER_ROUND, (i) => client.call('POST', '/tickets', ticketBody(i)));
    await until('the other consumers caught up', () => othersCaughtUp(bus, TICKET_DURABLE), 120_000);
  } catch (err) {
    signal(automation, 'SIGCONT');
    throw err;
  }
  const before = await inbox();
  const cpuBefore: CpuSnapshot = cpuSnapshot({ automation: automation.child.pid });
  const started = performance.now();
  signal(automation, 'SIGCONT');
  await until(
    `${label}: automation drained`,
    async () => {
      const s = await consumerState(bus, TICKET_DURABLE);
      return s.pending === 0 && s.ackPending === 0;
    },
    180_000,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu: CpuSnapshot = {};
  addCpu(cpu, cpuBefore, cpuSnapshot({ automation: automation.child.pid }));
  const events = (await inbox()) - before;
  return {
    events,
    seconds,
    rate: events / seconds,
    cpuMsPerEvent: (1000 * (cpu.automation ?? 0)) / Math.max(1, events),
    createRate: TICKETS_PER_ROUND / createS,
  };
}

async function ruleEvaluation(platform: Platform, bus: Bus, db: Pool, automation: ServiceProcess) {
  const ruled = api(platform.gatewayUrl, platform.token);
  const bareTenant = await platform.newTenant();
  const bare = api(platform.gatewayUrl, bareTenant.token);
  await Promise.all([switchOffDefaults(ruled), switchOffDefaults(bare)]);
  await createEventRules(ruled);
  log(
    `rule evaluation: tenant A with ${EVENT_RULES} active event rules (${EVENT_RULES - MATCHING_RULES} whose conditions hold for no ticket, ${MATCHING_RULES} that act on the tenth of the tickets that are high), tenant B with none (defaults switched off in both); ${TICKETS_PER_ROUND} tickets per round through POST /api/v1/tickets while automation is stopped, then drained`,
  );
  const none = await round('no rules', bus, db, automation, bare);
  const rules = await round('50 rules', bus, db, automation, ruled);
  const row = (name: string, r: Round) =>
    `  ${name.padEnd(9)} ${r.events.toString().padStart(6)} events in ${r.seconds.toFixed(1).padStart(5)} s: ${r.rate.toFixed(0).padStart(5)} events/s, automation CPU ${r.cpuMsPerEvent.toFixed(2)} ms/event (API made ${r.createRate.toFixed(0)} tickets/s meanwhile)`;
  log(row('no rules', none));
  log(row('50 rules', rules));
  log(
    `  50 rules / no rules: ${(rules.rate / none.rate).toFixed(2)} × the raw rate (tenant A's events include the ticket updates its acting rules made)`,
  );
}

async function timeRules(platform: Platform, bus: Bus, db: Pool, automation: ServiceProcess) {
  const tenant = await platform.newTenant();
  const client = api(platform.gatewayUrl, tenant.token);
  const far = (await client.call('POST', '/automation-rules', {
    name: 'Bench: follow up after 30 days',
    trigger: { type: 'time', after: 'P30D', since: 'created' },
    actions: [{ type: 'add_note', bodyText: 'Thirty days old.' }],
  })) as RuleDto;
  const soon = (await client.call('POST', '/automation-rules', {
    name: `Bench: in progress for ${DUE_AFTER_S} s`,
    trigger: { type: 'time', after: `PT${DUE_AFTER_S}S`, since: 'status_entered' },
    conditions: { all: [{ field: 'status', op: 'equals', value: 'in_progress' }] },
    actions: [{ type: 'add_tags', tags: ['stale'] }],
  })) as RuleDto;
  const ids: string[] = new Array<string>(DUE_TICKETS);
  const createS = await inParallel(DUE_TICKETS, async (i) => {
    const ticket = (await client.call('POST', '/tickets', { ...ticketBody(i), priority: 'medium' })) as {
      id: string;
    };
    ids[i] = ticket.id;
  });
  const timers = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM timers WHERE tenant_id = $1 AND due_at IS NOT NULL',
          [tenant.tenantId],
        )
      ).rows[0]!.n,
    );
  await until('the tickets armed', async () => (await timers()) >= DUE_TICKETS, 120_000);
  // the rest of the 100,000: the store's INSERT of a timer, one row per (rule, ticket), for tickets of the
  // tenant that exist only as timers here
  const rest = TIMERS - (await timers());
  const sqlStart = Date.now();
  await db.query(
    `INSERT INTO timers (rule_id, ticket_id, tenant_id, since_at, due_at)
     SELECT $1, gen_random_uuid(), $2, now(), now() + interval '30 days' + g * interval '1 second'
     FROM generate_series(1, $3::int) g
     ON CONFLICT (rule_id, ticket_id) DO UPDATE SET since_at = EXCLUDED.since_at, due_at = EXCLUDED.due_at
     WHERE NOT (timers.since_at = EXCLUDED.since_at AND (timers.due_at IS NULL OR timers.due_at = EXCLUDED.due_at))`,
    [far.id, tenant.tenantId, rest],
  );
  await db.query('ANALYZE timers');
  const pending = await timers();
  log(
    `time rules: ${DUE_TICKETS} tickets through the API (${(DUE_TICKETS / createS).toFixed(0)}/s) armed a 30-day timer each; ${rest} more inserted into timers with the store's SQL in ${((Date.now() - sqlStart) / 1000).toFixed(1)} s: ${pending} pending, none due for 30 days`,
  );

  // idle: nothing due; the loop only waits on its setTimeout, NOTIFY and the 30 s resync
  await until('automation idle', () => othersCaughtUp(bus, ''), 60_000);
  await sleep(2_000);
  const pid = automation.child.pid;
  const idleBefore = cpuSnapshot({ automation: pid });
  const idleStart = performance.now();
  await sleep(IDLE_S * 1000);
  const idle: CpuSnapshot = {};
  addCpu(idle, idleBefore, cpuSnapshot({ automation: pid }));
  const idleS = (performance.now() - idleStart) / 1000;
  const idlePercent = (100 * (idle.automation ?? 0)) / idleS;
  log(
    `  idle (${idleS.toFixed(0)} s, ${pending} timers pending, none due): automation ${idlePercent.toFixed(2)} % of one core (RSS ${statusMiB(pid, 'VmRSS')?.toFixed(0)} MiB) · goal <= ${GOALS.idleCpuPercent} %: ${idlePercent <= GOALS.idleCpuPercent ? 'met' : 'NOT met'}; all postgres processes ${((100 * (idle.postgres ?? 0)) / idleS).toFixed(1)} % (shared server)`,
  );

  // the due batch: each status change arms the soon rule's timer, due DUE_AFTER_S after the change
  const patchS = await inParallel(DUE_TICKETS, (i) =>
    client.call('PATCH', `/tickets/${ids[i]}`, { status: 'in_progress' }),
  );
  log(
    `  ${DUE_TICKETS} tickets set in_progress through the API in ${patchS.toFixed(1)} s: as many timers fall due ${DUE_AFTER_S} s after each change`,
  );
  const runs = async () =>
    Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM runs WHERE rule_id = $1', [soon.id])).rows[0]!
        .n,
    );
  const busyBefore = cpuSnapshot({ automation: pid });
  const busyStart = performance.now();
  await until(
    'every due timer fired',
    async () => (await runs()) >= DUE_TICKETS,
    (DUE_AFTER_S + patchS + 120) * 1000,
  ).catch((err: Error) => log(`!! ${err.message}`));
  const busy: CpuSnapshot = {};
  addCpu(busy, busyBefore, cpuSnapshot({ automation: pid }));
  const busyS = (performance.now() - busyStart) / 1000;
  // a time run's event id is `timer:<rule>:<ticket>:<since ms>`: due = since + the rule's duration
  const { rows } = await db.query<{ latency: string; outcome: string }>(
    `SELECT (extract(epoch FROM at) * 1000 - split_part(event_id, ':', 4)::bigint - $2::bigint)::text AS latency,
            outcome
     FROM runs WHERE rule_id = $1`,
    [soon.id, DUE_AFTER_S * 1000],
  );
  const latencies = rows.map((r) => Number(r.latency));
  const fired = rows.filter((r) => r.outcome === 'fired').length;
  const sorted = [...latencies].sort((a, b) => a - b);
  log(
    `  due batch: ${rows.length} runs written (${fired} fired, ${rows.length - fired} skipped) of ${DUE_TICKETS} timers`,
  );
  log(latencyLine('  fire latency (run written minus due)', latencies));
  log(
    `  goal: p99 <= ${GOALS.p99Ms} ms after due: ${percentile(sorted, 0.99) <= GOALS.p99Ms ? 'met' : 'NOT met'}; automation CPU while the batch fell due (${busyS.toFixed(0)} s): ${((100 * (busy.automation ?? 0)) / busyS).toFixed(1)} % of one core`,
  );
}

async function main(cleanup: Cleanup): Promise<void> {
  log(`automation benchmark · ${machineLine()}`);
  const platform = await startPlatform(cleanup, log, {
    services: ['identity', 'ticket', 'sla', 'automation', 'gateway'],
  });
  log(
    `platform up in ${elapsed()} (identity, ticket, sla, automation, gateway as processes; tracing ${platform.tracing ? 'to a counting OTLP sink' : 'not exported'})`,
  );
  const automation = platform.processes.find((p) => p.name === 'automation');
  if (!automation) throw new Error('automation did not start');
  const db = new Pool({ connectionString: platform.databaseUrls.automation, max: 2 });
  cleanup.defer('close the automation database pool', () => db.end());
  const bus = await benchBus(cleanup, platform.busPrefix, `bench-automation-${randomUUID().slice(0, 8)}`);
  // a stopped automation must never be left behind
  cleanup.defer('resume automation', async () => {
    if (automation.child.exitCode === null) signal(automation, 'SIGCONT');
  });

  await ruleEvaluation(platform, bus, db, automation);
  log(`(${elapsed()})`);
  await timeRules(platform, bus, db, automation);
  printLoggedErrors(platform.processes, log);
  log(`done in ${elapsed()} · load average ${loadAverage()}`);
}

void runBench(main, 6 * 60_000);
