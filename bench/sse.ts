// `npm run bench:sse`: 1,000 concurrent `GET /api/v1/events` streams on one gateway of the platform as
// bench/platform.ts starts it (identity, ticket, gateway as processes; the ticket service's relay publishes to
// JetStream, the gateway's live feed fans out), ticket changes through the API at a steady rate, and the time from
// each change's API answer to its event at every client; beside it the same fan-out from a bare node:http server
// (bench/sse-baseline-server.ts) to the same number of sockets, in the same run. Prints figures; asserts nothing.
import { sleep } from './waiting';
import http from 'node:http';
import { freePort, startProcess, waitForHttp } from '@helpdesk/testing';
import { Cleanup, runBench, startPlatform, statusMiB, printLoggedErrors } from './platform';
import { MACHINE, cpuSnapshot, type CpuSnapshot, machineLine } from './cpu';

const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_SSE_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SSE_SECONDS ?? 30);
// enough that one ticket's changes do not overlap (each PATCH names the version it read: none here, but fewer
// concurrent writers per row)
const TICKETS = 100;
const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
const log = (line = ''): void => console.log(line);
/** Wall-clock milliseconds with sub-millisecond precision (to compare with `updatedAt`). */
const wallNow = (): number => performance.timeOrigin + performance.now();

/** What one phase (platform or baseline) saw. */
interface Tally {
  /** `<ticket id>@<updatedAt>` → when each client got it (performance.now()). */
  arrivals: Map<string, number[]>;
  /** The same key → wall-clock arrival times, for the latency from `updatedAt`. */
  wallArrivals: Map<string, number[]>;
  dropped: string[];
  events: number;
}

/**
 * A small SSE reader over node:http: splits the stream into events and, for `event: ticket`, notes when it came
 * (one JSON.parse per event, no EventSource machinery: the client side shares the machine's two cores).
 */
function connect(url: URL, headers: Record<string, string>, tally: Tally): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'GET', agent: false, headers },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET ${url.pathname} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        let connected = false;
        res.on('data', (chunk: string) => {
          const at = performance.now();
          const wall = wallNow();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!connected && block.includes(': connected')) {
              connected = true;
              resolve(req);
              continue;
            }
            const isTicket = block.includes('\nevent: ticket\n');
            const isError = block.includes('event: error\n');
            if (!isTicket && !isError) continue;
            const dataAt = block.indexOf('data: ');
            if (dataAt === -1) continue;
            const data = JSON.parse(block.slice(dataAt + 6)) as {
              reason?: string;
              ticket?: { id: string; updatedAt: string | null };
            };
            if (isError) {
              tally.dropped.push(data.reason ?? 'unknown');
              continue;
            }
            if (!data.ticket) continue;
            tally.events++;
            const key = `${data.ticket.id}@${data.ticket.updatedAt}`;
            let list = tally.arrivals.get(key);
            if (!list) {
              list = [];
              tally.arrivals.set(key, list);
              tally.wallArrivals.set(key, []);
            }
            list.push(at);
            tally.wallArrivals.get(key)!.push(wall);
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function connectAll(url: URL, headers: Record<string, string>, tally: Tally) {
  const requests: http.ClientRequest[] = [];
  // 50 at a time: a thousand handshakes at once would time out in the shared loop, not measure anything
  for (let i = 0; i < CLIENTS; i += 50)
    requests.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, CLIENTS - i) }, () => connect(url, headers, tally)),
      )),
    );
  return requests;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Change {
  key: string;
  answeredAt: number;
  updatedAtMs: number;
}

interface PhaseResult {
  name: string;
  changes: number;
  failed: number;
  failures: Map<string, number>;
  expected: number;
  delivered: number;
  dropped: string[];
  fromAnswer: number[];
  fromUpdatedAt: number[];
  rssBeforeMiB: number;
  rssAfterMiB: number;
  cpu: { server: number; client: number; seconds: number; others: CpuSnapshot };
}

/** Connects the clients, makes `RATE` changes a second for `SECONDS` (open loop), waits for the events. */
async function phase(options: {
  name: string;
  pid: number;
  /** The other processes of the run whose CPU is shown (the platform's services). */
  peers: Record<string, number | undefined>;
  streamUrl: URL;
  headers: Record<string, string>;
  change: (i: number) => Promise<{ id: string; updatedAt: string } | string>;
}): Promise<PhaseResult> {
  const tally: Tally = { arrivals: new Map(), wallArrivals: new Map(), dropped: [], events: 0 };
  await sleep(2_000);
  const rssBeforeMiB = statusMiB(options.pid, 'VmRSS') ?? NaN;
  const requests = await connectAll(options.streamUrl, options.headers, tally);
  console.error(`${options.name}: ${requests.length} streams open`);
  await sleep(3_000);
  const rssAfterMiB = statusMiB(options.pid, 'VmRSS') ?? NaN;

  const changes: Change[] = [];
  let failed = 0;
  const failures = new Map<string, number>();
  const fail = (why: string) => {
    failed++;
    failures.set(why, (failures.get(why) ?? 0) + 1);
  };
  const total = RATE * SECONDS;
  const cpuBefore = cpuSnapshot({ ...options.peers, server: options.pid });
  const started = performance.now();
  console.error(`${options.name}: ${total} changes at ${RATE}/s`);
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      options.change(i).then(
        (answer) => {
          const answeredAt = performance.now();
          if (typeof answer === 'string') fail(answer);
          else
            changes.push({
              key: `${answer.id}@${answer.updatedAt}`,
              answeredAt,
              updatedAtMs: Date.parse(answer.updatedAt),
            });
        },
        (err: Error) => fail(err.message),
      ),
    );
  }
  await Promise.all(inflight);
  // every event at every client, or 10 s after the last answer
  const expected = changes.length * CLIENTS;
  const deadline = Date.now() + 10_000;
  const delivered = () => changes.reduce((n, c) => n + (tally.arrivals.get(c.key)?.length ?? 0), 0);
  while (delivered() < expected && Date.now() < deadline) await sleep(100);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSnapshot({ ...options.peers, server: options.pid });
  for (const r of requests) r.destroy();

  const fromAnswer: number[] = [];
  const fromUpdatedAt: number[] = [];
  for (const c of changes) {
    for (const at of tally.arrivals.get(c.key) ?? []) fromAnswer.push(at - c.answeredAt);
    for (const at of tally.wallArrivals.get(c.key) ?? []) fromUpdatedAt.push(at - c.updatedAtMs);
  }
  fromAnswer.sort((a, b) => a - b);
  fromUpdatedAt.sort((a, b) => a - b);
  return {
    name: options.name,
    changes: changes.length,
    failed,
    failures,
    expected,
    delivered: delivered(),
    dropped: tally.dropped,
    fromAnswer,
    fromUpdatedAt,
    rssBeforeMiB,
    rssAfterMiB,
    cpu: {
      server: cpuAfter.server! - cpuBefore.server!,
      client: cpuAfter['load generator']! - cpuBefore['load generator']!,
      others: Object.fromEntries(
        Object.keys(cpuAfter)
          .filter((k) => k !== 'server' && k !== 'load generator')
          .map((k) => [k, cpuAfter[k]! - cpuBefore[k]!]),
      ),
      seconds,
    },
  };
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

function report(r: PhaseResult): void {
  const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(0));
  const fa = r.fromAnswer;
  const fu = r.fromUpdatedAt;
  log(
    `${r.name}: ${r.changes} changes (${r.failed} failed${r.failed ? `: ${[...r.failures].map(([why, n]) => `${n}× ${why}`).join(', ')}` : ''}), events delivered ${r.delivered} of ${r.expected}` +
      ` (${r.expected - r.delivered} lost), clients dropped ${r.dropped.length}${r.dropped.length ? ` (${[...new Set(r.dropped)].join(', ')})` : ''}`,
  );
  log(
    `  from the API answer: p50 ${ms(percentile(fa, 50))} ms, p90 ${ms(percentile(fa, 90))} ms, p99 ${ms(percentile(fa, 99))} ms, max ${ms(fa[fa.length - 1] ?? NaN)} ms`,
  );
  log(
    `  from updatedAt:      p50 ${ms(percentile(fu, 50))} ms, p90 ${ms(percentile(fu, 90))} ms, p99 ${ms(percentile(fu, 99))} ms, max ${ms(fu[fu.length - 1] ?? NaN)} ms`,
  );
  const perClientKiB = ((r.rssAfterMiB - r.rssBeforeMiB) * 1024) / CLIENTS;
  log(
    `  server RSS ${r.rssBeforeMiB.toFixed(0)} MiB before the clients, ${r.rssAfterMiB.toFixed(0)} MiB with ${CLIENTS}: ${perClientKiB.toFixed(1)} KiB per client`,
  );
  log(
    `  CPU over ${r.cpu.seconds.toFixed(0)} s: server ${((100 * r.cpu.server) / r.cpu.seconds).toFixed(0)} % of a core, the ${CLIENTS} clients (this process) ${((100 * r.cpu.client) / r.cpu.seconds).toFixed(0)} %, ` +
      Object.entries(r.cpu.others)
        .map(
          ([name, s]) =>
            `${name === MACHINE ? 'whole machine (2 cores = 200 %)' : name} ${((100 * s) / r.cpu.seconds).toFixed(0)} %`,
        )
        .join(', ') +
      `; outside the benchmark ${((100 * (r.cpu.others[MACHINE]! - r.cpu.server - r.cpu.client - Object.entries(r.cpu.others).reduce((n, [k, v]) => (k === MACHINE ? n : n + v), 0))) / r.cpu.seconds).toFixed(0)} %`,
  );
}

async function main(cleanup: Cleanup): Promise<void> {
  log(
    `SSE fan-out benchmark · ${machineLine()} · ${CLIENTS} clients, ${RATE} changes/s for ${SECONDS} s · the clients run in this process, on the same cores`,
  );
  const platform = await startPlatform(cleanup, (line) => console.error(line));
  const gateway = platform.processes.find((p) => p.name === 'gateway')!;
  const auth = { authorization: `Bearer ${platform.token}` };

  // the tickets whose priority the run changes, round-robin (each PATCH changes it, so each publishes)
  const tickets: Array<{ id: string; priority: number }> = [];
  for (let i = 0; i < TICKETS; i++) {
    const t = await json<{ id: string }>(
      await fetch(`${platform.gatewayUrl}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `Printer on floor ${i} is offline`,
          description: '<p>The printer says <b>PC LOAD LETTER</b>.</p>',
          priority: 'low',
          requester: { email: 'jane.doe@customer.example', name: 'Jane Doe' },
        }),
      }),
      'creating a ticket',
    );
    tickets.push({ id: t.id, priority: 0 });
  }
  await platform.settle();

  const platformResult = await phase({
    name: `platform (gateway ${platform.gatewayUrl})`,
    pid: gateway.child.pid!,
    peers: Object.fromEntries(
      platform.processes
        .filter((p) => p !== gateway && p.name !== 'baseline')
        .map((p) => [p.name, p.child.pid]),
    ),
    streamUrl: new URL(`${platform.gatewayUrl}/api/v1/events`),
    headers: { ...auth, accept: 'text/event-stream' },
    change: async (i) => {
      const ticket = tickets[i % TICKETS]!;
      ticket.priority = (ticket.priority + 1) % PRIORITIES.length;
      const res = await fetch(`${platform.gatewayUrl}/api/v1/tickets/${ticket.id}`, {
        method: 'PATCH',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ priority: PRIORITIES[ticket.priority] }),
      });
      if (!res.ok) return `${res.status} ${(await res.text()).slice(0, 120)}`;
      return (await res.json()) as { id: string; updatedAt: string };
    },
  });

  const port = await freePort();
  const baseline = startProcess('sse-baseline', 'bench/sse-baseline-server.ts', { PORT: String(port) });
  cleanup.defer('stop the SSE baseline server', () => baseline.stop(5_000));
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, 30_000);
  const baselineResult = await phase({
    name: 'baseline (bare node:http SSE server)',
    pid: baseline.child.pid!,
    peers: {},
    streamUrl: new URL(`http://127.0.0.1:${port}/events`),
    headers: { accept: 'text/event-stream' },
    change: async () => {
      const res = await fetch(`http://127.0.0.1:${port}/change`, { method: 'POST' });
      return res.ok ? ((await res.json()) as { id: string; updatedAt: string }) : `${res.status}`;
    },
  });

  log();
  report(platformResult);
  report(baselineResult);
  const p99 = percentile(platformResult.fromAnswer, 99);
  const baseP99 = percentile(baselineResult.fromAnswer, 99);
  log();
  log(
    `p99 from the API answer: platform ${p99.toFixed(0)} ms, baseline ${baseP99.toFixed(0)} ms (${(p99 / baseP99).toFixed(1)}×); goal p99 ≤ 500 ms: ${p99 <= 500 ? 'met' : 'NOT met'}; none lost: ${platformResult.delivered === platformResult.expected ? 'met' : 'NOT met'}`,
  );
  printLoggedErrors([gateway], log);
}

void runBench(main, 5 * 60_000);
