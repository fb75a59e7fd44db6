// Starts what the benchmark loads, the way test/support/platform.ts does: identity, ticket and gateway (from their
// manifests in services/manifests.ts) as separate processes on their own databases, stream prefix, Redis key prefix
// and ports, tracing into a local OTLP sink; beside them the bare baseline server on its own copy of the ticket schema.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { connect as connectNats } from 'nats';
import { Pool } from 'pg';
import { connectBus, type Bus } from '@helpdesk/bus';
import { createLogger, manifestEnv, readinessUrl, type ServiceManifest } from '@helpdesk/platform';
import {
  NATS_URL,
  REDIS_URL,
  createTestDatabase,
  freePort,
  freePortsFor,
  startAfterPeers,
  startProcess,
  uniquePrefix,
  waitForHttp,
  type ServiceProcess,
  type TestDatabase,
  deletePrefixedStreams,
} from '@helpdesk/testing';
import { SERVICE_MANIFESTS, manifestOf } from '../services/manifests';
import { startOtlpSink, type OtlpSink } from './otlp-sink';
import { printProfiles, profileArgs } from './profile';

/**
 * The services a benchmark loads by default: the whole platform, as every installation runs it (each consumer of the
 * events costs CPU per ticket). `BENCH_SERVICES=identity,ticket,gateway` starts only those; the gateway reaches
 * only the peers that are started.
 */
const DEFAULT_SERVICES: readonly string[] = process.env.BENCH_SERVICES
  ? process.env.BENCH_SERVICES.split(',').map((s) => s.trim())
  : SERVICE_MANIFESTS.map((m) => m.name);
// What the benchmark changes from a service's defaults.
const BENCH_ENV: Readonly<Record<string, Record<string, string>>> = { gateway: { HOST: '127.0.0.1' } };

export interface PlatformOptions {
  /** The services to start (by manifest name), in any order: each starts once the peers it calls are ready. */
  services?: readonly string[];
  /** Environment added per service, over BENCH_ENV. */
  env?: Readonly<Record<string, Record<string, string>>>;
  /** Environment of every service (sampler, METRICS_ENABLED), over the shared wiring. */
  common?: Readonly<Record<string, string>>;
  /** Spans exported to the counting sink (default: unless BENCH_OTLP=off). */
  exportSpans?: boolean;
}

type Log = (line: string) => void;

/** Undo steps, run last-registered first; each one runs once, and a failing one does not stop the others. */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> }> = [];
  private done: Promise<void> | undefined;

  constructor(private readonly log: Log) {}

  defer(what: string, run: () => Promise<unknown>): void {
    this.steps.push({ what, run });
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await withTimeout(step.run(), 20_000, step.what);
        } catch (err) {
          this.log(`cleanup: ${step.what} failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.done;
  }
}

/** Runs a benchmark with its cleanup on success, failure, Ctrl-C and after `watchdogMs`; exits the process. */
export async function runBench(
  main: (cleanup: Cleanup) => Promise<void>,
  watchdogMs: number,
): Promise<never> {
  const cleanup = new Cleanup((line) => console.error(line));
  let exitCode = 0;
  const stopOn = (signal: NodeJS.Signals): void => {
    console.error(`${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOn);
  process.once('SIGTERM', stopOn);
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${watchdogMs / 1000} s, giving up`);
    void cleanup.run().finally(() => process.exit(2));
  }, watchdogMs);
  try {
    await main(cleanup);
  } catch (err) {
    exitCode = 1;
    console.error('bench failed:', err);
  } finally {
    await cleanup.run();
    clearTimeout(watchdog);
  }
  process.exit(exitCode);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Platform {
  gatewayUrl: string;
  /** Each started service's health URL base (`http://127.0.0.1:<health port>`), by service name. */
  healthUrls: Record<string, string>;
  baselineUrl: string;
  /** An agent's session token of the benchmark's tenant. */
  token: string;
  tenantId: string;
  /** The ticket service's database (to load data straight into it). */
  ticketDatabaseUrl: string;
  sink: OtlpSink;
  /** False when BENCH_OTLP=off: the services create spans but export none (for finding what tracing costs). */
  tracing: boolean;
  processes: ServiceProcess[];
  /** The stream prefix (BUS_PREFIX) of every service, to read JetStream consumer state. */
  busPrefix: string;
  /** Each started service's database URL, by service name. */
  databaseUrls: Record<string, string>;
  /** Creates one more tenant through the API (its admin signed in), e.g. to compare tenants in one run. */
  newTenant(): Promise<{ token: string; tenantId: string }>;
  /**
   * Waits until every service's relay has published every committed event and every consumer has handled what
   * its streams hold (or `maxMs` passed); returns what is left (unpublished rows plus pending messages).
   */
  settle(maxMs?: number): Promise<number>;
  /** Tickets in the gateway's and the baseline's databases. */
  ticketCounts(): Promise<{ gateway: number; baseline: number }>;
  /** Transactions and rows written so far in each service's database (PostgreSQL's statistics, flushed about once a second). */
  databaseActivity(): Promise<Record<string, { transactions: number; rowsWritten: number }>>;
}

/** Peak resident set size of a live process in MiB (VmHWM), or undefined where /proc does not say. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  return statusMiB(pid, 'VmHWM');
}

/**
 * A live process's memory in MiB from /proc/<pid>/smaps_rollup: resident (`Rss`), its proportional share of pages
 * it shares with other processes (`Pss`, so the node binary mapped by ten processes counts once in their sum), and
 * of that share what is anonymous (heaps) and what file-backed (code).
 */
export function memoryMiB(
  pid: number | undefined,
): { rss: number; pss: number; pssAnon: number; pssFile: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? 0) / 1024;
    return { rss: field('Rss'), pss: field('Pss'), pssAnon: field('Pss_Anon'), pssFile: field('Pss_File') };
  } catch {
    return undefined;
  }
}

/** A memory figure of a live process in MiB from /proc (VmRSS: resident now, VmHWM: its peak). */
export function statusMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function startPlatform(
  cleanup: Cleanup,
  log: Log,
  options: PlatformOptions = {},
): Promise<Platform> {
  const BENCH_SERVICES: readonly ServiceManifest[] = (options.services ?? DEFAULT_SERVICES).map(manifestOf);
  const prefix = uniquePrefix('bench');
  const operatorToken = randomBytes(24).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const processes: ServiceProcess[] = [];

  const sink = await startOtlpSink();
  cleanup.defer('close the OTLP sink', () => sink.close());

  const database = async (service: string): Promise<TestDatabase> => {
    const db = await createTestDatabase(service);
    cleanup.defer(`drop database ${db.name}`, () => db.drop());
    return db;
  };
  const withDatabase = BENCH_SERVICES.filter((m) => m.database);
  // the last one: the baseline server's copy of the ticket schema
  const databases = await Promise.allSettled([
    ...withDatabase.map((m) => database(m.name)),
    database('ticket'),
  ]);
  const failed = databases.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const created = databases.map((r) => (r as PromiseFulfilledResult<TestDatabase>).value);
  const baselineDb = created.pop()!;
  const serviceDbs: Record<string, TestDatabase> = {};
  withDatabase.forEach((m, i) => (serviceDbs[m.name] = created[i]!));
  const ticketDb = serviceDbs.ticket!;

  // Registered before the processes start, so they run after every process has stopped.
  cleanup.defer('print the CPU profiles', async () => printProfiles(log));
  cleanup.defer(`delete Redis keys ${prefix}:*`, async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });
  cleanup.defer(`delete NATS streams ${prefix}_*`, async () => {
    await deletePrefixedStreams(prefix);
  });
  cleanup.defer('stop the processes', () => Promise.all(processes.map((p) => p.stop(5_000))));

  const ports = await freePortsFor(BENCH_SERVICES);
  const baselinePort = await freePort();
  const tracing = options.exportSpans ?? process.env.BENCH_OTLP !== 'off';
  // the services inherit this process's environment: an endpoint set there must not turn export back on
  if (!tracing) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const common = {
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    ...(tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint } : {}),
    HELPDESK_JWT_SECRET: jwtSecret,
    HELPDESK_OPERATOR_TOKEN: operatorToken,
    // production's sampling (the chart's global.env): BENCH_TRACE_RATIO=1 traces every request
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: process.env.BENCH_TRACE_RATIO ?? '0.1',
    ...options.common,
  };
  const start = (name: string, entry: string, env: Record<string, string>): ServiceProcess => {
    const p = startProcess(name, entry, env, [], profileArgs(name));
    processes.push(p);
    return p;
  };
  let startFailed = false;
  const ready = async (p: ServiceProcess, url: string): Promise<void> => {
    // a service that dies on start fails the run at once instead of after the readiness timeout
    const died = new Promise<never>((_, reject) => {
      const fail = () =>
        reject(new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}) before it was ready`));
      if (p.child.exitCode !== null || p.child.signalCode !== null) fail();
      else p.child.once('exit', fail);
    });
    try {
      await Promise.race([waitForHttp(url, 60_000), died]);
    } catch (err) {
      // only the first: the others are most likely being stopped because of it
      if (!startFailed) log(`--- ${p.name} said:\n${p.output().slice(-4000)}`);
      startFailed = true;
      throw err;
    }
  };

  const dataDirs: Record<string, Record<string, string>> = {};
  for (const m of BENCH_SERVICES) {
    for (const [variable, dir] of Object.entries(m.dataDirs ?? {})) {
      const made = await mkdtemp(path.join(tmpdir(), `hd-bench-${dir}-`));
      cleanup.defer(`remove the directory ${made}`, () => rm(made, { recursive: true, force: true }));
      (dataDirs[m.name] ??= {})[variable] = made;
    }
  }
  const baselineTenant = randomUUID();
  const baseline = start('baseline', 'bench/baseline-server.ts', {
    DATABASE_URL: baselineDb.url,
    PORT: String(baselinePort),
    HOST: '127.0.0.1',
    BASELINE_TENANT_ID: baselineTenant,
    BASELINE_USER_ID: randomUUID(),
  });
  const secrets = {
    jwtSecret,
    operatorToken,
    mailSecretKey: randomBytes(32).toString('base64'),
    messageIdSecret: randomBytes(32).toString('hex'),
  };
  // each service once the peers it calls are ready (the gateway after identity and ticket)
  await Promise.all([
    startAfterPeers(BENCH_SERVICES, async (m) => {
      const p = start(m.name, `services/${m.name}/${m.entry}`, {
        ...common,
        ...manifestEnv(m, {
          ports,
          databaseUrl: serviceDbs[m.name]?.url,
          secrets,
          redis: { keyPrefix: `${prefix}:` },
          dataDirs: dataDirs[m.name],
        }),
        ...BENCH_ENV[m.name],
        ...options.env?.[m.name],
      });
      await ready(p, readinessUrl(m, ports[m.name]!));
    }),
    ready(baseline, `http://127.0.0.1:${baselinePort}/readyz`),
  ]);
  const gatewayUrl = `http://127.0.0.1:${ports.gateway!.http}`;

  const { token, tenantId } = await signUpTenant(gatewayUrl, operatorToken);

  const ticketPool = new Pool({ connectionString: ticketDb.url, max: 1 });
  const baselinePool = new Pool({ connectionString: baselineDb.url, max: 1 });
  const servicePools = Object.values(serviceDbs).map((db) => new Pool({ connectionString: db.url, max: 1 }));
  cleanup.defer('close the bench database pools', () =>
    Promise.all([ticketPool, baselinePool, ...servicePools].map((p) => p.end())),
  );
  // the services that publish events (a read-model-only service has no outbox)
  const outboxPools: Pool[] = [];
  for (const pool of servicePools) {
    const { rows } = await pool.query<{ has: boolean }>("SELECT to_regclass('outbox') IS NOT NULL AS has");
    if (rows[0]!.has) outboxPools.push(pool);
  }
  const nc = await connectNats({ servers: NATS_URL, name: 'bench-settle' });
  cleanup.defer('close the settle NATS connection', () => nc.close());
  const jsm = await nc.jetstreamManager();
  // unpublished outbox rows of every service plus messages every durable of the run's streams has yet to handle
  const backlog = async (): Promise<number> => {
    const outboxes = await Promise.all(
      outboxPools.map(async (pool) => {
        const { rows } = await pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
        );
        return Number(rows[0]!.n);
      }),
    );
    let pending = 0;
    for await (const stream of jsm.streams.list()) {
      if (!stream.config.name.startsWith(`${prefix}_`)) continue;
      for await (const consumer of jsm.consumers.list(stream.config.name))
        pending += consumer.num_pending + consumer.num_ack_pending;
    }
    return outboxes.reduce((a, b) => a + b, 0) + pending;
  };

  return {
    gatewayUrl,
    healthUrls: Object.fromEntries(
      BENCH_SERVICES.filter((m) => ports[m.name]?.health).map((m) => [
        m.name,
        `http://127.0.0.1:${ports[m.name]!.health}`,
      ]),
    ),
    baselineUrl: `http://127.0.0.1:${baselinePort}`,
    token,
    tenantId,
    ticketDatabaseUrl: ticketDb.url,
    sink,
    tracing,
    processes,
    busPrefix: prefix,
    databaseActivity: async () => {
      const names = Object.fromEntries(Object.entries(serviceDbs).map(([service, db]) => [db.name, service]));
      const { rows } = await ticketPool.query<{ datname: string; xacts: string; writes: string }>(
        `SELECT datname, xact_commit + xact_rollback AS xacts, tup_inserted + tup_updated + tup_deleted AS writes
           FROM pg_stat_database WHERE datname = ANY($1)`,
        [Object.keys(names)],
      );
      return Object.fromEntries(
        rows.map((r) => [
          names[r.datname]!,
          { transactions: Number(r.xacts), rowsWritten: Number(r.writes) },
        ]),
      );
    },
    databaseUrls: Object.fromEntries(Object.entries(serviceDbs).map(([name, db]) => [name, db.url])),
    newTenant: () => signUpTenant(gatewayUrl, operatorToken),
    async settle(maxMs = 10_000) {
      const deadline = Date.now() + maxMs;
      let left = await backlog();
      while (left > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        left = await backlog();
      }
      return left;
    },
    async ticketCounts() {
      const count = async (pool: Pool) =>
        Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0]!.n);
      const [gatewayCount, baselineCount] = await Promise.all([count(ticketPool), count(baselinePool)]);
      return { gateway: gatewayCount, baseline: baselineCount };
    },
  };
}

/** Creates the benchmark's tenant through the API with the operator token and signs its admin in. */
async function signUpTenant(
  gatewayUrl: string,
  operatorToken: string,
): Promise<{ token: string; tenantId: string }> {
  const email = `admin-${randomBytes(4).toString('hex')}@bench.example`;
  const password = 'correct horse battery staple';
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text };
  };
  const tenant = await post(
    '/api/v1/tenants',
    { name: 'Bench MSP', timezone: 'Europe/Berlin', admin: { email, name: 'Bench Admin', password } },
    operatorToken,
  );
  if (tenant.status !== 201) throw new Error(`creating the tenant answered ${tenant.status}: ${tenant.text}`);
  const login = await post('/api/v1/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`signing in answered ${login.status}: ${login.text}`);
  const token = (JSON.parse(login.text) as { token?: unknown }).token;
  if (typeof token !== 'string') throw new Error('signing in returned no token');
  return { token, tenantId: (JSON.parse(tenant.text) as { tenant: { id: string } }).tenant.id };
}

/** The most frequent distinct error messages of a service's JSON log (pino levels: 50 error, 60 fatal). */
export function loggedErrors(output: string, top = 3): string[] {
  const counts = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) < 50) continue;
      const key = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`
        .replace(/\s+/g, ' ')
        .slice(0, 240);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // not a log line
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, n]) => `${n}x ${key}`);
}

/** Prints each process's most frequent logged errors as `<name> logged: <n>x <message>`, for a benchmark's end. */
export function printLoggedErrors(processes: readonly ServiceProcess[], log: (line: string) => void): void {
  for (const p of processes) for (const line of loggedErrors(p.output())) log(`${p.name} logged: ${line}`);
}

/** The benchmark's own NATS connection on `prefix`, closed at cleanup; `deleteStreams` deletes the prefix's streams then too. */
export async function benchBus(
  cleanup: Cleanup,
  prefix: string,
  name: string,
  deleteStreams = false,
): Promise<Bus> {
  const bus = await connectBus({ servers: NATS_URL, prefix, name, logger: createLogger('bench', 'silent') });
  if (deleteStreams) cleanup.defer(`delete NATS streams ${prefix}_*`, () => deletePrefixedStreams(prefix));
  cleanup.defer('close the NATS connection', () => bus.close());
  return bus;
}
