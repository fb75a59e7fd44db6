import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One HTTP endpoint under load: every request is the same POST. */
export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What one load run measured. Latencies in ms; `rate` counts 2xx answers only. */
export interface Figures {
  /** 2xx answers per second. */
  rate: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** Requests answered or failed. */
  total: number;
  /** Status codes other than 2xx, and socket errors, with their counts. */
  failures: Record<string, number>;
  /** The first answer body of each failing status, where the run kept them. */
  samples?: Record<string, string>;
  /** Error classes of the open loop: `<status> <error code>: <message>` (or the socket error) with their counts. */
  messages?: Record<string, number>;
  /** 503 answers that did not say when to retry (Retry-After). */
  retryAfterMissing?: number;
}

/** `<status> <code>: <message>` of a JSON error answer `{error: {code, message}}`, else the status and its text. */
function errorClass(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (parsed.error) return `${status} ${String(parsed.error.code)}: ${String(parsed.error.message)}`;
  } catch {
    // not JSON
  }
  return `${status} ${body.replace(/\s+/g, ' ').slice(0, 120)}`;
}

const TIMEOUT_S = 10;

function fromAutocannon(result: autocannon.Result): Figures {
  const failures: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) {
    if (!code.startsWith('2')) failures[code] = count;
  }
  if (result.timeouts > 0) failures.timeout = result.timeouts;
  if (result.errors - result.timeouts > 0) failures.socket = result.errors - result.timeouts;
  const errors = result.errors + result.non2xx;
  return {
    rate: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    total: result['2xx'] + errors,
    failures,
  };
}

/** As many requests as `connections` keep-alive connections can make, each waiting for its answer. */
export async function closedLoop(
  target: Target,
  connections: number,
  durationS: number,
  warmupS: number,
): Promise<Figures> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: durationS,
    timeout: TIMEOUT_S,
    warmup: { connections, duration: warmupS },
  });
  return fromAutocannon(result);
}

/**
 * autocannon's `overallRate`: each connection may start its share of `rate` per 1 s window, back to back,
 * so the requests of a second arrive as a burst of `connections` at its start rather than evenly spread.
 */
export async function autocannonFixedRate(
  target: Target,
  rate: number,
  connections: number,
  durationS: number,
): Promise<Figures> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    overallRate: rate,
    ignoreCoordinatedOmission: true,
    duration: durationS,
    timeout: TIMEOUT_S,
  });
  return fromAutocannon(result);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * An open-loop run: requests start at Poisson-distributed instants averaging `rate` per second, whether or
 * not earlier ones have been answered, and each latency is measured from the instant the request was due, so
 * a stalled server or a late generator shows in the figures instead of slowing the offered load.
 */
export async function openLoop(target: Target, rate: number, durationS: number): Promise<Figures> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const url = new URL(target.url);
  const headers = { ...target.headers, 'content-length': String(Buffer.byteLength(target.body)) };
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const samples: Record<string, string> = {};
  const messages: Record<string, number> = {};
  let retryAfterMissing = 0;
  let total = 0;
  const fail = (reason: string, message: string = reason): void => {
    failures[reason] = (failures[reason] ?? 0) + 1;
    messages[message] = (messages[message] ?? 0) + 1;
  };

  const send = (due: number): Promise<void> =>
    new Promise((resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers,
          agent,
          timeout: TIMEOUT_S * 1000,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          let body = '';
          if (ok) res.resume();
          else res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => {
            total += 1;
            if (ok) latencies.push(performance.now() - due);
            else {
              fail(String(status), errorClass(status, body));
              samples[status] ??= body.slice(0, 300);
              if (status === 503 && res.headers['retry-after'] === undefined) retryAfterMissing += 1;
            }
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => {
        total += 1;
        if (err.message === 'timeout') fail('timeout', `timeout: no answer within ${TIMEOUT_S} s`);
        else fail('socket', `socket: ${err.message}`);
        resolve();
      });
      req.end(target.body);
    });

  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const end = start + durationS * 1000;
  let due = start;
  while (due < end) {
    const now = performance.now();
    while (due <= now && due < end) {
      const pending = send(due);
      inFlight.add(pending);
      void pending.then(() => inFlight.delete(pending));
      due += (-Math.log(1 - Math.random()) * 1000) / rate;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const errors = total - latencies.length;
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    total,
    failures,
    samples,
    messages,
    retryAfterMissing,
  };
}
