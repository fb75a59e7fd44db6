// `npm run bench`: creates tickets through the gateway at rising concurrency and beside it through a bare
// Express + pg baseline doing the same inserts, in the same run on the same machine; then a fixed rate
// through the gateway. Prints figures and ratios; the goals are printed for comparison, never asserted.
import os from 'node:os';
import { MACHINE, addCpu, cpuSnapshot, type CpuSnapshot, machineLine } from './cpu';
import { autocannonFixedRate, closedLoop, openLoop, type Figures, type Target } from './load';
import {
  Cleanup,
  memoryMiB,
  peakRssMiB,
  runBench,
  startPlatform,
  type Platform,
  printLoggedErrors,
} from './platform';

const CONNECTIONS = [1, 8, 32, 64];
const STEP_S = 8;
const WARMUP_S = 2;
// BENCH_RATE and BENCH_SECONDS change the fixed-rate phase; BENCH_ONLY=overload runs only its open loop
// (a short overload run: `BENCH_ONLY=overload BENCH_RATE=400 BENCH_SECONDS=10 npm run bench`)
const FIXED_RATE = Number(process.env.BENCH_RATE ?? 300);
const FIXED_S = Number(process.env.BENCH_SECONDS ?? 15);
const OVERLOAD_ONLY = process.env.BENCH_ONLY === 'overload';
const FIXED_CONNECTIONS = 32;
// A hard bound on the whole run; a normal one takes about 2.5 minutes (the SLA one about 4).
const WATCHDOG_MS = 480_000;
const SLA_WATCHDOG_MS = 900_000;
const STATS_FLUSH_MS = 11_000;
const IDLE_SETTLE_MS = 10_000;

// cpuMsPerTicket: every process of the platform together, postgres and nats included (issue 19)
const GOALS = { ratioAtPeak: 0.2, p50: 50, p99: 250, errorRate: 0.001, cpuMsPerTicket: 3, idleGiB: 1.5 };

const log = (line = ''): void => console.log(line);
const startedAt = Date.now();
const elapsed = (): string => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;

const ticketBody = JSON.stringify({
  title: 'Printer on floor 2 is offline',
  description:
    '<p>The printer on floor 2 says <b>PC LOAD LETTER</b> and prints nothing since this morning.</p>',
  priority: 'high',
  requester: { email: 'jane.doe@customer.example', name: 'Jane Doe' },
});

const pad = (value: string, width: number): string => value.padStart(width);
const ms = (value: number): string =>
  Number.isNaN(value) ? 'n/a' : value < 10 ? value.toFixed(1) : value.toFixed(0);
const rate = (value: number): string => value.toFixed(0);
const percent = (errors: number, total: number): string =>
  total === 0 ? 'n/a' : `${((100 * errors) / total).toFixed(2)} %`;
const failures = (f: Figures): string =>
  f.errors === 0
    ? ''
    : ` (${Object.entries(f.failures)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')})`;
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function cells(f: Figures): string {
  return `${pad(rate(f.rate), 6)} ${pad(ms(f.p50), 6)} ${pad(ms(f.p99), 6)} ${pad(String(f.errors), 6)}`;
}

/**
 * Prints the transactions and rows each service's database took per created ticket over the closed loop, less
 * what the idle platform does in as long (the relays' polls, the timers' wake-ups), measured right after.
 * PostgreSQL flushes a backend's statistics within about 10 s of its going idle; each reading waits that long.
 */
async function databaseWork(
  platform: Platform,
  before: Awaited<ReturnType<Platform['databaseActivity']>>,
  seconds: number,
  tickets: number,
): Promise<void> {
  const flushed = async () => {
    await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
    return platform.databaseActivity();
  };
  const after = await flushed();
  const idleStartedAt = Date.now();
  const idle = await flushed();
  const idleSeconds = (Date.now() - idleStartedAt) / 1000;
  const cells = Object.keys(after).map((service) => {
    const perTicket = (pick: (a: { transactions: number; rowsWritten: number }) => number) => {
      const busy = pick(after[service]!) - pick(before[service] ?? after[service]!);
      const idleRate = (pick(idle[service]!) - pick(after[service]!)) / idleSeconds;
      return Math.max(0, busy - idleRate * seconds) / Math.max(1, tickets);
    };
    return `${service} ${perTicket((a) => a.transactions).toFixed(1)}/${perTicket((a) => a.rowsWritten).toFixed(1)}`;
  });
  log(`database transactions/rows written per created ticket, idle work taken off: ${cells.join(', ')}`);
}

/** The platform's memory at rest, a few seconds after it came up, against issue 19's goal for the whole of it. */
async function idleMemory(platform: Platform): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  const services = platform.processes.filter((p) => p.name !== 'baseline');
  const figures = services.map((p) => [p.name, memoryMiB(p.child.pid)] as const);
  const sum = (pick: (m: NonNullable<ReturnType<typeof memoryMiB>>) => number) =>
    figures.reduce((total, [, m]) => total + (m ? pick(m) : 0), 0);
  log(
    `idle memory (MiB, ${IDLE_SETTLE_MS / 1000} s after start): ${figures.map(([name, m]) => `${name} ${m ? `${m.rss.toFixed(0)} RSS / ${m.pss.toFixed(0)} PSS` : 'n/a'}`).join(', ')}`,
  );
  const pss = sum((m) => m.pss) / 1024;
  log(
    `  all services: RSS ${(sum((m) => m.rss) / 1024).toFixed(2)} GiB, PSS ${pss.toFixed(2)} GiB (heaps ${(sum((m) => m.pssAnon) / 1024).toFixed(2)}, files ${(sum((m) => m.pssFile) / 1024).toFixed(2)}) · goal <= ${GOALS.idleGiB} GiB: ${met(pss <= GOALS.idleGiB)}`,
  );
}

async function main(cleanup: Cleanup): Promise<void> {
  log(`create-ticket benchmark · ${machineLine()}`);
  const platform: Platform = await startPlatform(cleanup, log);
  const tracing = platform.tracing
    ? `${100 * Number(process.env.BENCH_TRACE_RATIO ?? 0.1)} % of the traces to a counting OTLP sink`
    : 'span export OFF (BENCH_OTLP=off)';
  log(
    `platform up in ${elapsed()} (${platform.processes.map((p) => p.name).join(', ')} as processes; ${tracing})`,
  );
  await idleMemory(platform);
  const pids = Object.fromEntries(platform.processes.map((p) => [p.name, p.child.pid]));
  const cpu: Record<'gateway' | 'baseline', CpuSnapshot> = { gateway: {}, baseline: {} };
  const created = { gateway: 0, baseline: 0 };
  const wall = { gateway: 0, baseline: 0 };
  // runs one closed-loop step and charges the CPU it took, and the tickets it created, to that target
  const step = async (
    target: Target,
    which: 'gateway' | 'baseline',
    connections: number,
  ): Promise<Figures> => {
    const [countBefore, cpuBefore, startMs] = [await platform.ticketCounts(), cpuSnapshot(pids), Date.now()];
    const figures = await closedLoop(target, connections, STEP_S, WARMUP_S);
    // the relay publishes what a gateway step committed before the next step runs, charged to the gateway
    // and every consumer has handled the events (their CPU is part of what a ticket costs)
    const backlog = which === 'gateway' ? await platform.settle(60_000) : 0;
    const [countAfter, cpuAfter] = [await platform.ticketCounts(), cpuSnapshot(pids)];
    addCpu(cpu[which], cpuBefore, cpuAfter);
    wall[which] += (Date.now() - startMs) / 1000;
    created[which] += countAfter[which] - countBefore[which];
    if (backlog > 0)
      log(`       (outbox backlog of ${backlog} left after the gateway step at ${connections})`);
    return figures;
  };

  const json = { 'content-type': 'application/json' };
  const gateway: Target = {
    name: 'gateway',
    url: `${platform.gatewayUrl}/api/v1/tickets`,
    headers: { ...json, authorization: `Bearer ${platform.token}` },
    body: ticketBody,
  };
  const baseline: Target = {
    name: 'baseline',
    url: `${platform.baselineUrl}/tickets`,
    headers: json,
    body: ticketBody,
  };

  if (OVERLOAD_ONLY) {
    await overload(platform, gateway);
    return;
  }

  log();
  log(
    `POST create-ticket, closed loop: autocannon, ${STEP_S} s per step after a ${WARMUP_S} s warm-up; latencies in ms`,
  );
  log('       |     gateway (REST > gRPC > pg, traced) |     baseline (Express + pg)     |');
  log('conns  |  req/s    p50    p99 errors            |  req/s    p50    p99 errors     | gw/base');
  const rows: Array<{ connections: number; gateway: Figures; baseline: Figures }> = [];
  const activityBefore = await platform.databaseActivity();
  const loopStartedAt = Date.now();
  for (const connections of CONNECTIONS) {
    const g = await step(gateway, 'gateway', connections);
    const b = await step(baseline, 'baseline', connections);
    rows.push({ connections, gateway: g, baseline: b });
    log(
      `${pad(String(connections), 5)}  | ${cells(g)}            | ${cells(b)}     | ${pad((g.rate / b.rate).toFixed(2), 6)}`,
    );
    for (const [name, f] of [
      ['gateway', g],
      ['baseline', b],
    ] as const) {
      if (f.errors > 0) log(`       ${name} errors at ${connections}: ${failures(f).trim()}`);
    }
  }
  await databaseWork(platform, activityBefore, (Date.now() - loopStartedAt) / 1000, created.gateway);
  const peak = (pick: (r: (typeof rows)[number]) => Figures) =>
    rows.reduce((best, r) => (pick(r).rate > pick(best).rate ? r : best), rows[0]!);
  const gPeak = peak((r) => r.gateway);
  const bPeak = peak((r) => r.baseline);
  if (!(bPeak.baseline.rate > 0 && gPeak.gateway.rate > 0)) {
    // a side that created nothing has no rate to compare (its errors are listed above)
    throw new Error('a side of the benchmark created no ticket: no ratio can be given');
  }
  const ratio = gPeak.gateway.rate / bPeak.baseline.rate;
  log(
    `peak: gateway ${rate(gPeak.gateway.rate)} req/s at ${gPeak.connections} conns, baseline ${rate(bPeak.baseline.rate)} req/s at ${bPeak.connections} conns`,
  );
  log(
    `ratio gateway/baseline at peak: ${ratio.toFixed(3)}x (goal >= ${GOALS.ratioAtPeak}x: ${met(ratio >= GOALS.ratioAtPeak)})`,
  );
  log(
    'CPU per created ticket over these steps, warm-ups included, in ms (postgres and nats: every such process on the machine):',
  );
  for (const which of ['gateway', 'baseline'] as const) {
    const { [MACHINE]: machine = 0, ...ours } = cpu[which];
    const tickets = Math.max(1, created[which]);
    const perTicket = Object.entries(ours)
      .filter(([, seconds]) => seconds > 0.005)
      .map(([name, seconds]) => [name, (1000 * seconds) / tickets] as const);
    const sum = perTicket.reduce((total, [, v]) => total + v, 0);
    log(
      `  ${which}: ${perTicket.map(([name, v]) => `${name} ${v.toFixed(2)}`).join(' + ')} = ${sum.toFixed(2)} (${created[which]} tickets)`,
    );
    if (which === 'gateway') {
      // the platform's own processes and the servers it uses; not the load generator, not the idle baseline
      const platformMs = perTicket
        .filter(([name]) => name !== 'load generator' && name !== 'baseline')
        .reduce((total, [, v]) => total + v, 0);
      log(
        `    goal: <= ${GOALS.cpuMsPerTicket} ms of CPU per ticket across the platform's processes: ${met(platformMs <= GOALS.cpuMsPerTicket)} (${platformMs.toFixed(2)} ms)`,
      );
    }
    const others = Math.max(0, machine - Object.values(ours).reduce((a, b) => a + b, 0));
    const share = (100 * others) / (wall[which] * os.cpus().length);
    log(
      `    processes outside the benchmark meanwhile: ${share.toFixed(0)} % of the machine${share > 10 ? ' (noisy: run again)' : ''}`,
    );
  }

  log();
  log(`POST create-ticket through the gateway at ${FIXED_RATE} req/s for ${FIXED_S} s; latencies in ms`);
  await platform.settle();
  const fixed = await autocannonFixedRate(gateway, FIXED_RATE, FIXED_CONNECTIONS, FIXED_S);
  await platform.settle();
  const paced = await openLoop(gateway, FIXED_RATE, FIXED_S);
  const rateLine = (label: string, f: Figures): void => {
    const errorRate = f.total === 0 ? 1 : f.errors / f.total;
    const ok = f.p50 <= GOALS.p50 && f.p99 <= GOALS.p99 && errorRate < GOALS.errorRate;
    log(
      `${label}: ${rate(f.rate)} req/s answered 2xx, p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, errors ${f.errors}/${f.total} = ${percent(f.errors, f.total)}${failures(f)} · goals ${met(ok)}`,
    );
    for (const [status, body] of Object.entries(f.samples ?? {})) log(`    first ${status} answer: ${body}`);
  };
  rateLine(`  autocannon overallRate, ${FIXED_CONNECTIONS} conns (bursts each second)`, fixed);
  rateLine('  open loop, Poisson arrivals, latency from due time   ', paced);
  log(`  goals: p50 <= ${GOALS.p50} ms, p99 <= ${GOALS.p99} ms, errors < ${GOALS.errorRate * 100} %`);
  errorClasses(paced);

  log();
  const rss = platform.processes
    .map((p) => {
      const mib = peakRssMiB(p.child.pid);
      return `${p.name} ${mib === undefined ? 'n/a' : `${mib.toFixed(0)} MiB`}`;
    })
    .join(', ');
  log(`peak RSS (VmHWM): ${rss}`);
  const backlog = await platform.settle(5_000);
  const counts = await platform.ticketCounts();
  const spans = platform.sink.stats();
  log(
    `tickets created: ${counts.gateway} through the gateway, ${counts.baseline} by the baseline; outbox backlog ${backlog}; ` +
      `spans received: ${spans.spans} in ${spans.exports} exports, ${(spans.bytes / 1024 / 1024).toFixed(1)} MiB ` +
      `(${(spans.spans / Math.max(1, counts.gateway)).toFixed(1)} spans, ${(spans.bytes / 1024 / Math.max(1, counts.gateway)).toFixed(1)} KiB per ticket)`,
  );
  printLoggedErrors(platform.processes, log);
  log(`done in ${elapsed()}`);
}

/** What failed in an open-loop run: counts per status, timeouts, the most frequent error messages, 503s without Retry-After. */
function errorClasses(f: Figures, top = 5): void {
  const statuses = Object.entries(f.failures)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  log(
    `  error classes: ${statuses || 'none'}; answers 500: ${f.failures['500'] ?? 0}; 503 without Retry-After: ${f.retryAfterMissing ?? 0}`,
  );
  const frequent = Object.entries(f.messages ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [message, n] of frequent) log(`    ${n}x ${message.slice(0, 200)}`);
}

/** BENCH_ONLY=overload: the open loop at BENCH_RATE for BENCH_SECONDS, its error classes, and what it committed. */
async function overload(platform: Platform, gateway: Target): Promise<void> {
  log();
  log(
    `POST create-ticket through the gateway, open loop at ${FIXED_RATE} req/s for ${FIXED_S} s; latencies in ms`,
  );
  const before = await platform.ticketCounts();
  const f = await openLoop(gateway, FIXED_RATE, FIXED_S);
  await platform.settle();
  const after = await platform.ticketCounts();
  const answered2xx = f.total - f.errors;
  log(
    `  ${rate(f.rate)} req/s answered 2xx, p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, errors ${f.errors}/${f.total} = ${percent(f.errors, f.total)}`,
  );
  errorClasses(f);
  log(`  tickets committed: ${after.gateway - before.gateway}, answers 2xx: ${answered2xx}`);
  printLoggedErrors(platform.processes, log);
  log(`done in ${elapsed()}`);
}

// `npm run bench -- sla` runs the SLA timer benchmark (bench/sla.ts) instead
if (process.argv[2] === 'sla')
  void import('./sla').then(({ runSlaBench }) => runBench(runSlaBench, SLA_WATCHDOG_MS));
else void runBench(main, WATCHDOG_MS);
