import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Ports are picked below the kernel's ephemeral range (where outgoing connections take their local ports, so a
 * port probed free there can be taken by a client socket before the service binds it), each Jest worker from a
 * slice of its own, never twice in one process; a port is handed out only once a probe on 0.0.0.0 (where the
 * gRPC servers bind) has succeeded.
 */
const PORT_FLOOR = 10_000;
const SLICES = 16;
const handedOut = new Set<number>();

function ephemeralFloor(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > PORT_FLOOR + SLICES * 100 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on right now, outside the ephemeral range, not handed out before in this process. */
export async function freePort(): Promise<number> {
  const sliceSize = Math.floor((ephemeralFloor() - PORT_FLOOR) / SLICES);
  const worker = Number(process.env['JEST_WORKER_ID'] ?? 0) % SLICES;
  const start = PORT_FLOOR + worker * sliceSize;
  const offset = Math.floor(Math.random() * sliceSize);
  for (let i = 0; i < sliceSize; i++) {
    const port = start + ((offset + i) % sliceSize);
    if (handedOut.has(port)) continue;
    if (await probe(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${start}–${start + sliceSize - 1}`);
}

/**
 * Polls `url` until it answers 2xx or the time is up. With `proc`, gives up at once when that process exits (its
 * last output in the error) instead of waiting out the time.
 */
export async function waitForHttp(url: string, timeoutMs = 60_000, proc?: ServiceProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      const code = proc.child.exitCode ?? proc.child.signalCode;
      throw new Error(
        `${proc.name} exited (${code}) before ${url} was ready:\n${proc.output().slice(-4_000)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

/** A platform service running as its own process, as `npm start` runs it. */
export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once, like a crash. */
  kill9(): Promise<void>;
}

/** Starts `node --import tsx <entry> ...args` from the repository root with `env` on top of this process's. */
export function startProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
  /** Options for node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs: string[] = [],
): ServiceProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    output: () => out,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
