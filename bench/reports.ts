// `npm run bench:reports`: the reports over a year of a million tickets in one tenant, on the platform as users run
// it (identity, ticket, reporting and gateway as processes, bench/platform.ts). 1. Seeding: the older tickets'
// events (bench/reports-data.ts) go through the reporting service's own apply code in this process, a batch of
// tickets at a time (bench/reports-bulk.ts). 2. Intake: the newest tickets' events, at least 100,000, are published
// into the ticket and SLA streams as their services publish them, while the reporting process is stopped
// (SIGSTOP); a bare JetStream consumer reads and acknowledges the same events without any work, then the reporting
// process is resumed and drains its two durables: events/s of each, in the same run. 3. The reports: the answers of
// the aggregates checked equal to the same reports computed from scratch over the tickets' rows, then
// `GET /api/v1/reports/overview` for a year (p50/p95/p99 through the gateway, beside the same queries run in this
// process without gateway and gRPC) and `GET /api/v1/reports/sla?groupBy=client`. Prints figures; asserts nothing.
import { randomUUID } from 'node:crypto';
import { durableNameFor, prefixSubject, streamSubjectFor, type Bus, type EventEnvelope } from '@helpdesk/bus';
import { encodeEvent, type EventType } from '@helpdesk/contracts';

import { type ServiceProcess } from '@helpdesk/testing';
import { AckPolicy, DeliverPolicy } from 'nats';
import { Pool } from 'pg';
import { OverviewUseCase, SlaReportUseCase } from '../services/reporting/src/app/reports.use-case';
import type { ReportReader } from '../services/reporting/src/app/ports';
import { addDays, localDay } from '../services/reporting/src/domain';
import { PgAggregateReader } from '../services/reporting/src/infra/aggregate.reader';
import { PgTicketRowsReader } from '../services/reporting/src/infra/report.reader';
import { CONSUMER, READ_MODEL_FEEDS } from '../services/reporting/src/transport/nats/read-model.consumers';
import { addCpu, cpuSnapshot, type CpuSnapshot, machineLine, loadAverage } from './cpu';
import { Cleanup, runBench, startPlatform, statusMiB, printLoggedErrors, benchBus } from './platform';
import { seed } from './reports-bulk';
import { BenchTickets, type BenchEvent } from './reports-data';
import { percentile } from './stats';
import { sleep, until } from './waiting';

const TICKETS = Number(process.env.BENCH_REPORTS_TICKETS ?? 1_000_000);
/** Events published into the streams and taken in by the reporting process's consumers (the newest tickets'). */
const LIVE_EVENTS = Number(process.env.BENCH_REPORTS_LIVE_EVENTS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_REPORTS_CLIENTS ?? 200);
const RUNS = Number(process.env.BENCH_REPORTS_RUNS ?? 100);
const SLA_RUNS = Number(process.env.BENCH_REPORTS_SLA_RUNS ?? 10);
const DAYS = 365;
const ZONE = 'Europe/Berlin';
const BATCH = 20_000;
const PUBLISH_WINDOW = 256;
const GOAL_P95_MS = 200;

const log = (line = ''): void => console.log(line);
const startedAt = Date.now();
const elapsed = (): string => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
const n = (x: number) => x.toLocaleString('en');

interface Timing {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

async function timed(runs: number, warmUps: number, run: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warmUps; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    max: times[times.length - 1]!,
  };
}

const ms = (t: Timing) =>
  `p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms, p99 ${t.p99.toFixed(0)} ms (max ${t.max.toFixed(0)})`;

function signal(p: ServiceProcess, sig: 'SIGSTOP' | 'SIGCONT'): void {
  if (p.child.pid === undefined) throw new Error(`${p.name} has no pid`);
  process.kill(p.child.pid, sig);
}

async function api(
  gatewayUrl: string,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<unknown> {
  const res = await fetch(`${gatewayUrl}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** The wire form of a bench event, as its producer's outbox relay publishes it. */
function wire(e: BenchEvent): EventEnvelope {
  const { data, type, ...rest } = e.event;
  return { ...rest, type, data: encodeEvent(type as EventType, data as never) };
}

/** Publishes the events in order, `PUBLISH_WINDOW` in flight, Nats-Msg-Id = event id; answers the seconds taken. */
async function publishAll(bus: Bus, events: readonly BenchEvent[]): Promise<number> {
  const started = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (const e of events) {
    const envelope = wire(e);
    const p = bus.js
      .publish(bus.subject(envelope.type), JSON.stringify(envelope), { msgID: envelope.id })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= PUBLISH_WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}

/**
 * A bare JetStream consumer per stream, with the reporting durables' filter, pull batch and explicit acks, reading
 * the events from `from` (stream sequence) on without doing anything with them; answers the seconds until both had
 * all of theirs.
 */
async function bareConsumers(bus: Bus, from: Record<string, number>, counts: Record<string, number>) {
  const started = performance.now();
  await Promise.all(
    (['ticket', 'sla'] as const).map(async (domain) => {
      const stream = bus.streamName(domain);
      const feed = READ_MODEL_FEEDS.find((f) => f.domain === domain)!;
      const durable = `bench-bare-${domain}-${randomUUID().slice(0, 8)}`;
      await bus.jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: from[domain]!,
        filter_subject:
          feed.subjects.length === 1
            ? prefixSubject(feed.subjects[0]!, bus.prefix)
            : streamSubjectFor(domain, bus.prefix),
      });
      try {
        const consumer = await bus.js.consumers.get(stream, durable);
        const messages = await consumer.consume({ max_messages: 32 });
        let read = 0;
        for await (const msg of messages) {
          msg.ack();
          if (++read >= counts[domain]!) break;
        }
        messages.stop();
      } finally {
        await bus.jsm.consumers.delete(stream, durable).catch(() => undefined);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function durablesDrained(bus: Bus): Promise<boolean> {
  for (const feed of READ_MODEL_FEEDS) {
    const info = await bus.jsm.consumers.info(
      bus.streamName(feed.domain),
      durableNameFor(CONSUMER, feed.purpose),
    );
    if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
  }
  return true;
}

async function main(cleanup: Cleanup): Promise<void> {
  log(`reports benchmark · ${machineLine()}`);
  log(
    `${n(TICKETS)} tickets over ${DAYS} days in one tenant (${ZONE}), ${CLIENTS} clients; the newest tickets' events (at least ${n(LIVE_EVENTS)}) through the streams`,
  );
  const platform = await startPlatform(cleanup, log, {
    services: ['identity', 'ticket', 'reporting', 'gateway'],
  });
  log(`platform up in ${elapsed()} (identity, ticket, reporting, gateway as processes)`);
  const reporting = platform.processes.find((p) => p.name === 'reporting');
  if (!reporting) throw new Error('reporting did not start');
  cleanup.defer('resume reporting', async () => {
    if (reporting.child.exitCode === null) signal(reporting, 'SIGCONT');
  });
  const pool = new Pool({ connectionString: platform.databaseUrls.reporting, max: 8 });
  cleanup.defer('close the reporting database pool', () => pool.end());
  const bus = await benchBus(cleanup, platform.busPrefix, `bench-reports-${randomUUID().slice(0, 8)}`);
  const { tenantId, token, gatewayUrl } = platform;

  // the tenant's zone as identity announced it, and its clients through the API
  await until(
    "the tenant's zone in the read model",
    async () =>
      (await pool.query('SELECT 1 FROM tenants WHERE tenant_id = $1 AND as_of IS NOT NULL', [tenantId]))
        .rowCount === 1,
    60_000,
  );
  const clients: string[] = new Array<string>(CLIENTS);
  let nextClient = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (nextClient < CLIENTS) {
        const i = nextClient++;
        const c = (await api(gatewayUrl, token, '/clients', {
          method: 'POST',
          body: JSON.stringify({ name: `Client ${i}` }),
        })) as { id: string };
        clients[i] = c.id;
      }
    }),
  );
  const end = new Date();
  const data = new BenchTickets({
    tenantId,
    zone: ZONE,
    tickets: TICKETS,
    days: DAYS,
    end,
    clients,
    agents: Array.from({ length: 40 }, () => randomUUID()),
    teams: Array.from({ length: 8 }, () => randomUUID()),
  });

  // the newest tickets, from the end, until their events make LIVE_EVENTS
  const live: BenchEvent[] = [];
  let liveFrom = TICKETS;
  while (live.length < LIVE_EVENTS && liveFrom > 0) live.push(...data.events(--liveFrom));
  live.sort((a, b) => a.event.occurredAt.localeCompare(b.event.occurredAt));

  // 1. seeding through the apply code
  log('');
  log(
    `seeding ${n(liveFrom)} tickets' events through the reporting service's apply code (${BATCH} tickets a batch)…`,
  );
  const tenant = (
    await pool.query<{ timezone: string; as_of: Date; event_id: string }>(
      'SELECT timezone, as_of, event_id FROM tenants WHERE tenant_id = $1',
      [tenantId],
    )
  ).rows[0]!;
  let reported = 0;
  const seeded = await seed({
    pool,
    tenantId,
    tenant: { timezone: tenant.timezone, asOf: tenant.as_of, eventId: tenant.event_id },
    eventsOf: (i) => data.events(i),
    from: 0,
    to: liveFrom,
    batch: BATCH,
    progress: (done, r) => {
      if (done - reported < 200_000 && done < liveFrom) return;
      reported = done;
      log(`  ${n(done)} tickets, ${n(r.events)} events applied (${r.seconds.toFixed(0)} s)`);
    },
  });
  const vacuumStart = performance.now();
  await pool.query('VACUUM ANALYZE');
  log(
    `  seeded: ${n(seeded.events)} events of ${n(seeded.tickets)} tickets in ${seeded.seconds.toFixed(0)} s (${n(Math.round(seeded.events / seeded.seconds))} events/s; apply code ${seeded.applySeconds.toFixed(0)} s, batch writes ${seeded.writeSeconds.toFixed(0)} s beside it), VACUUM ANALYZE ${((performance.now() - vacuumStart) / 1000).toFixed(0)} s · (${elapsed()})`,
  );

  // 2. intake through the streams
  log('');
  await until('the reporting consumers idle', () => durablesDrained(bus), 60_000);
  const inbox = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM inbox WHERE consumer IN ('reporting--tickets', 'reporting--sla-states')`,
        )
      ).rows[0]!.n,
    );
  const counts = { ticket: 0, sla: 0 };
  for (const e of live) counts[e.stream]++;
  const from: Record<string, number> = {};
  for (const domain of ['ticket', 'sla']) {
    await bus.ensureStream(domain);
    from[domain] = (await bus.jsm.streams.info(bus.streamName(domain))).state.last_seq + 1;
  }
  await sleep(1_000);
  signal(reporting, 'SIGSTOP');
  let publishS: number;
  let bareS: number;
  try {
    publishS = await publishAll(bus, live);
    bareS = await bareConsumers(bus, from, counts);
  } catch (err) {
    signal(reporting, 'SIGCONT');
    throw err;
  }
  log(
    `intake: ${n(live.length)} events of the newest ${n(TICKETS - liveFrom)} tickets (${n(counts.ticket)} ticket, ${n(counts.sla)} SLA) published in ${publishS.toFixed(1)} s (${n(Math.round(live.length / publishS))}/s) while reporting was stopped`,
  );
  log(
    `  bare JetStream consumers (same filters, pull batch 32, explicit acks, no work): ${n(Math.round(live.length / bareS))} events/s (${bareS.toFixed(1)} s)`,
  );
  const before = await inbox();
  const cpuBefore: CpuSnapshot = cpuSnapshot({ reporting: reporting.child.pid });
  const drainStart = performance.now();
  signal(reporting, 'SIGCONT');
  await until('reporting drained', () => durablesDrained(bus), 30 * 60_000, 250);
  const drainS = (performance.now() - drainStart) / 1000;
  const cpu: CpuSnapshot = {};
  addCpu(cpu, cpuBefore, cpuSnapshot({ reporting: reporting.child.pid }));
  const applied = (await inbox()) - before;
  log(
    `  reporting's consumers (inbox, read model and aggregates in each event's transaction): ${n(applied)} events applied in ${drainS.toFixed(1)} s: ${n(Math.round(applied / drainS))} events/s = ${(live.length / bareS / (applied / drainS)).toFixed(0)}× slower than the bare consumers; CPU per event: reporting ${((1000 * (cpu.reporting ?? 0)) / applied).toFixed(2)} ms, postgres ${((1000 * (cpu.postgres ?? 0)) / applied).toFixed(2)} ms · (${elapsed()})`,
  );
  if (applied !== live.length) log(`  !! ${live.length - applied} events not applied`);

  // 3. the reports
  const toDay = localDay(end, ZONE);
  const year = { from: addDays(toDay, -(DAYS - 1)), to: toDay };
  const instants = {
    from: new Date(end.getTime() - DAYS * 86_400_000 + 37 * 60_000).toISOString(),
    to: end.toISOString(),
  };
  const sizes = await pool.query<{ client_id: string; n: number }>(
    `SELECT client_id, count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND client_id IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC`,
    [tenantId],
  );
  const big = sizes.rows[0]!;
  const small = sizes.rows[Math.floor(sizes.rows.length / 2)]!;
  const clock = { now: () => new Date() };
  const useCases = (reader: ReportReader) => ({
    overview: new OverviewUseCase({ reader, clock }),
    sla: new SlaReportUseCase({ reader, clock }),
  });
  const aggregates = useCases(new PgAggregateReader(pool));
  const rows = useCases(new PgTicketRowsReader(pool));
  log('');
  log(
    `reports over the year ${year.from} to ${year.to}: the answers of the aggregates against the same reports computed from scratch over the ticket rows (the read model before the aggregates)`,
  );
  const cases = [
    { name: 'overview', period: year, clientId: null },
    { name: `overview, biggest client (${n(big.n)} tickets)`, period: year, clientId: big.client_id },
    { name: `overview, median client (${n(small.n)} tickets)`, period: year, clientId: small.client_id },
    { name: 'overview, instants (first and last day in part)', period: instants, clientId: null },
  ];
  for (const c of cases) {
    const started = performance.now();
    const fromRows = await rows.overview.execute({ tenantId, period: c.period, clientId: c.clientId });
    const rowsMs = performance.now() - started;
    const fromAggregates = await aggregates.overview.execute({
      tenantId,
      period: c.period,
      clientId: c.clientId,
    });
    const same = JSON.stringify(fromRows) === JSON.stringify(fromAggregates);
    log(`  ${c.name.padEnd(52)} equal: ${same ? 'yes' : 'NO'} (from the rows: ${rowsMs.toFixed(0)} ms)`);
  }
  {
    const started = performance.now();
    const fromRows = await rows.sla.execute({ tenantId, period: year, groupBy: 'client' });
    const rowsMs = performance.now() - started;
    const fromAggregates = await aggregates.sla.execute({ tenantId, period: year, groupBy: 'client' });
    const same = JSON.stringify(fromRows) === JSON.stringify(fromAggregates);
    log(
      `  ${'SLA report by client'.padEnd(52)} equal: ${same ? 'yes' : 'NO'} (from the rows: ${rowsMs.toFixed(0)} ms)`,
    );
  }
  const o = await aggregates.overview.execute({ tenantId, period: year, clientId: null });
  log(
    `  (the year: ${n(o.createdByDay.reduce((s, d) => s + d.count, 0))} tickets created, ${n(o.resolvedByDay.reduce((s, d) => s + d.count, 0))} resolved, ${n(o.openByStatus.reduce((s, d) => s + d.count, 0))} open now, first response median ${o.firstResponseMinutes.median} min / p90 ${o.firstResponseMinutes.p90} min, compliance ${o.sla.firstResponse.compliancePercent} %)`,
  );

  log('');
  log(`latency, one request at a time, ${RUNS} runs after 5 warm-ups (SLA report: ${SLA_RUNS} after 1):`);
  log(`${''.padEnd(56)} ${'through the gateway'.padEnd(52)} same queries in-process (no gateway, gRPC)`);
  const q = (p: Record<string, string | null>) =>
    Object.entries(p)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
      .join('&');
  let goal: Timing | undefined;
  for (const c of cases) {
    const path = `/reports/overview?${q({ from: c.period.from, to: c.period.to, clientId: c.clientId })}`;
    const gateway = await timed(RUNS, 5, () => api(gatewayUrl, token, path));
    const inProcess = await timed(RUNS, 5, () =>
      aggregates.overview.execute({ tenantId, period: c.period, clientId: c.clientId }),
    );
    goal ??= gateway;
    log(
      `  ${`GET ${c.name}`.padEnd(54)} ${ms(gateway).padEnd(52)} ${ms(inProcess)} (gateway/in-process p95 ${(gateway.p95 / inProcess.p95).toFixed(1)}×)`,
    );
  }
  const slaPath = `/reports/sla?${q({ groupBy: 'client', from: year.from, to: year.to })}`;
  const slaGateway = await timed(SLA_RUNS, 1, () => api(gatewayUrl, token, slaPath));
  const slaInProcess = await timed(SLA_RUNS, 1, () =>
    aggregates.sla.execute({ tenantId, period: year, groupBy: 'client' }),
  );
  log(`  ${'GET SLA report by client'.padEnd(54)} ${ms(slaGateway).padEnd(52)} ${ms(slaInProcess)}`);
  const fromRows = await timed(3, 0, () => rows.overview.execute({ tenantId, period: year, clientId: null }));
  log(`  the overview from the ticket rows instead (3 runs, in-process): ${ms(fromRows)}`);
  log(
    `goal: GET /reports/overview for a year p95 <= ${GOAL_P95_MS} ms through the gateway: ${goal!.p95 <= GOAL_P95_MS ? 'met' : 'NOT met'} (${goal!.p95.toFixed(0)} ms)`,
  );

  log('');
  const tables = await pool.query<{ name: string; rows: string; size: string }>(
    `SELECT relname AS name, n_live_tup::text AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
       FROM pg_stat_user_tables WHERE relname IN ('tickets', 'ticket_versions', 'backlog_days', 'report_open',
         'report_days', 'report_first_responses', 'inbox') ORDER BY pg_total_relation_size(relid) DESC`,
  );
  log(`read model: ${tables.rows.map((t) => `${t.name} ${t.size} (~${n(Number(t.rows))} rows)`).join(', ')}`);
  log(`reporting RSS ${statusMiB(reporting.child.pid, 'VmRSS')?.toFixed(0)} MiB`);
  printLoggedErrors(platform.processes, log);
  log(`done in ${elapsed()} · load average ${loadAverage()}`);
}

void runBench(main, 40 * 60_000);
