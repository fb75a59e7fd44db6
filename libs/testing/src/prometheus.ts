import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './async';
import { freePort } from './processes';

/**
 * The value of the first series of `name` in a Prometheus text exposition whose labels include all of `labels`;
 * undefined when there is none.
 */
export function promSample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** GET `/metrics` of a health port; throws unless it answers 200. */
export async function scrapeMetrics(port: number, host = '127.0.0.1'): Promise<string> {
  const res = await fetch(`http://${host}:${port}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics on port ${port} answered ${res.status}`);
  return text;
}

export interface TestPrometheus {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** An instant query: the result vector (labels and value). */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** GET a path of the HTTP API (`/api/v1/targets`), its `data`. */
  api<T>(path: string): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's Prometheus (`/usr/bin/prometheus`, or PROMETHEUS_BIN) on a private port with a data directory
 * and a configuration of its own: one job `helpdesk` scraping each of `targets` (name → health port) every
 * second, with `ruleFiles` loaded. Throws when the binary is missing (`apt-get install prometheus`).
 */
export async function startPrometheus(options: {
  targets: Record<string, number>;
  ruleFiles?: string[];
}): Promise<TestPrometheus> {
  const binary = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
  if (!existsSync(binary)) throw new Error(`${binary} not found: apt-get install prometheus`);
  const dir = await mkdtemp(path.join(tmpdir(), 'hd-prometheus-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: Object.entries(options.targets).map(([name, targetPort]) => ({
      job_name: name,
      static_configs: [{ targets: [`127.0.0.1:${targetPort}`] }],
    })),
  };
  // JSON is YAML
  await writeFile(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
  const child = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const api = async <T>(apiPath: string): Promise<T> => {
    const res = await fetch(`${url}${apiPath}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${apiPath}: ${body.error ?? res.status}`);
    return body.data;
  };
  try {
    await waitFor('prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`${String(err)}\n${out.slice(-2000)}`, { cause: err });
  }
  return {
    url,
    api,
    output: () => out,
    stop,
    async query(expr) {
      const data = await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}
