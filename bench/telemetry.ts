// `npm run bench:telemetry`: what tracing and metrics cost the create path. The same closed-loop load of ticket
// creates through the gateway (the whole platform as processes) under each telemetry setting, the
// platform restarted per setting, the settings run in rounds whose order alternates (ABCD DCBA …) so that the
// machine's drift hits every setting alike. Prints each run, the median per setting and its ratio to "all off";
// the goal is printed for comparison, never asserted.
import { MACHINE, addCpu, cpuSnapshot, type CpuSnapshot, machineLine } from './cpu';
import { closedLoop, type Figures, type Target } from './load';
import { Cleanup, runBench, startPlatform } from './platform';
import { sleep } from './waiting';

interface Setting {
  name: string;
  /** Spans created for this share of the traces (parent-based: the gateway decides, the ticket service follows). */
  sampling: 'off' | '10 %' | '100 %';
  metrics: boolean;
}

const SETTINGS: readonly Setting[] = [
  { name: 'all off', sampling: 'off', metrics: false },
  { name: 'metrics only', sampling: 'off', metrics: true },
  { name: 'production (10 %, metrics)', sampling: '10 %', metrics: true },
  { name: 'traces 100 %, metrics', sampling: '100 %', metrics: true },
];
// BENCH_SETTINGS=0,3 runs only those settings (by index; "all off" is always run, as the baseline)
const PICKED = process.env.BENCH_SETTINGS
  ? new Set([0, ...process.env.BENCH_SETTINGS.split(',').map(Number)])
  : undefined;
const RUN_SETTINGS = SETTINGS.filter((_, i) => !PICKED || PICKED.has(i));
const BASELINE = SETTINGS[0]!.name;
const PRODUCTION = SETTINGS[2]!.name;
// BENCH_ROUNDS rounds over every setting; BENCH_SECONDS of load per run, BENCH_CONNECTIONS connections
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_S = 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
// Prometheus' scrape of every service's /metrics while metrics are on (the chart scrapes every 15 s; more often here)
const SCRAPE_EVERY_MS = 2_000;
const GOAL = 0.1;

const log = (line = ''): void => console.log(line);

const ticketBody = JSON.stringify({
  title: 'Printer on floor 2 is offline',
  description: '<p>The printer on floor 2 prints nothing since this morning.</p>',
  priority: 'high',
  requester: { email: 'jane.doe@customer.example', name: 'Jane Doe' },
});

function telemetryEnv(setting: Setting): Record<string, string> {
  const sampler: Record<string, string> =
    setting.sampling === 'off'
      ? { OTEL_TRACES_SAMPLER: 'always_off' }
      : setting.sampling === '10 %'
        ? { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }
        : { OTEL_TRACES_SAMPLER: 'parentbased_always_on' };
  return { ...sampler, METRICS_ENABLED: String(setting.metrics) };
}

interface Run {
  setting: string;
  round: number;
  figures: Figures;
  spans: number;
  scrapes: number;
  /** CPU seconds per 1000 tickets of the platform's processes (postgres and nats included), catching up included. */
  cpuPerThousand: number;
}

/** Scrapes every health port's /metrics until stopped; answers how many scrapes answered 200. */
function scraper(urls: string[]): { stop(): Promise<number> } {
  let stopped = false;
  let ok = 0;
  const loop = (async () => {
    while (!stopped) {
      const answers = await Promise.all(
        urls.map((u) =>
          fetch(`${u}/metrics`)
            .then(async (r) => (await r.text(), r.status))
            .catch(() => 0),
        ),
      );
      ok += answers.filter((s) => s === 200).length;
      await sleep(SCRAPE_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return ok;
    },
  };
}

async function measure(setting: Setting, round: number): Promise<Run> {
  const cleanup = new Cleanup(log);
  try {
    const platform = await startPlatform(cleanup, () => undefined, {
      common: telemetryEnv(setting),
      exportSpans: setting.sampling !== 'off',
    });
    const urls = Object.values(platform.healthUrls);
    // the switch itself: /metrics answers only with metrics on
    const status = (await fetch(`${urls[0]}/metrics`)).status;
    if (status !== (setting.metrics ? 200 : 404))
      throw new Error(`${setting.name}: /metrics answered ${status}`);
    const target: Target = {
      name: 'gateway',
      url: `${platform.gatewayUrl}/api/v1/tickets`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.token}` },
      body: ticketBody,
    };
    const pids = Object.fromEntries(
      platform.processes.filter((p) => p.name !== 'baseline').map((p) => [p.name, p.child.pid]),
    );
    const scrape = setting.metrics ? scraper(urls) : undefined;
    const cpu: CpuSnapshot = {};
    const before = [cpuSnapshot(pids), await platform.ticketCounts()] as const;
    const figures = await closedLoop(target, CONNECTIONS, SECONDS, WARMUP_S);
    const createdAfter = await platform.ticketCounts();
    const scrapes = (await scrape?.stop()) ?? 0;
    // the consumers' catching up on the run's events is part of what its tickets cost
    await platform.settle(60_000);
    const after = [cpuSnapshot(pids), createdAfter] as const;
    addCpu(cpu, before[0], after[0]);
    // the exporters' batch delay: what the run created reaches the sink before the count
    await sleep(1_000);
    const created = after[1].gateway - before[1].gateway;
    const serviceCpu = Object.entries(cpu)
      .filter(([name]) => name !== MACHINE)
      .reduce((sum, [, seconds]) => sum + seconds, 0);
    return {
      setting: setting.name,
      round,
      figures,
      spans: platform.sink.stats().spans,
      scrapes,
      cpuPerThousand: created > 0 ? (1000 * serviceCpu) / created : Number.NaN,
    };
  } finally {
    await cleanup.run();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  log(`telemetry cost benchmark · ${machineLine()}`);
  log(
    `POST /api/v1/tickets, closed loop, ${CONNECTIONS} connections, ${SECONDS} s after a ${WARMUP_S} s warm-up, ${ROUNDS} rounds, platform restarted per run`,
  );
  log();
  log('round  setting                       req/s    p50    p99 errors   spans scrapes  cpu s/1000');
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? RUN_SETTINGS : [...RUN_SETTINGS].reverse();
    for (const setting of order) {
      const run = await measure(setting, round);
      runs.push(run);
      const f = run.figures;
      log(
        `${String(round).padStart(5)}  ${setting.name.padEnd(28)} ${f.rate.toFixed(0).padStart(6)} ${f.p50.toFixed(1).padStart(6)} ${f.p99.toFixed(0).padStart(6)} ${String(f.errors).padStart(6)} ${String(run.spans).padStart(7)} ${String(run.scrapes).padStart(7)} ${run.cpuPerThousand.toFixed(1).padStart(11)}`,
      );
    }
  }
  log();
  log('setting                        median req/s  vs all off  median cpu s/1000  vs all off');
  const medianOf = (name: string, pick: (r: Run) => number) =>
    median(runs.filter((r) => r.setting === name).map(pick));
  const baseRate = medianOf(BASELINE, (r) => r.figures.rate);
  const baseCpu = medianOf(BASELINE, (r) => r.cpuPerThousand);
  for (const setting of RUN_SETTINGS) {
    const rate = medianOf(setting.name, (r) => r.figures.rate);
    const cpu = medianOf(setting.name, (r) => r.cpuPerThousand);
    log(
      `${setting.name.padEnd(28)} ${rate.toFixed(0).padStart(14)} ${(rate / baseRate).toFixed(2).padStart(11)} ${cpu.toFixed(1).padStart(18)} ${(cpu / baseCpu).toFixed(2).padStart(11)}`,
    );
  }
  if (!RUN_SETTINGS.some((r) => r.name === PRODUCTION)) return;
  const cost = 1 - medianOf(PRODUCTION, (r) => r.figures.rate) / baseRate;
  log();
  log(
    `goal: production settings cost <= ${(GOAL * 100).toFixed(0)} % of the throughput of all off: ${(cost * 100).toFixed(1)} % (${cost <= GOAL ? 'met' : 'NOT met'}); noisy on a shared machine, compare rounds`,
  );
}

void runBench(() => main(), 60 * 60_000);
