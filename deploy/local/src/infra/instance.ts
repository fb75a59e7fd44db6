import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ProbeResult } from './probe';

export type InfraName = 'postgres' | 'nats' | 'redis';

/** A server the runner started (or found left running by an earlier run) and stops when it stops. */
export interface PrivateInstance {
  name: InfraName;
  url: string;
  port: number;
  pid: number;
  adopted: boolean;
  /** Left running by another runner that is still alive: used, never stopped by this one. */
  shared?: boolean;
  /** Graceful stop (its own signal, then SIGKILL after the grace period); `force` kills at once. */
  stop(force?: boolean): Promise<void>;
}

/** The first executable called `name` in the PATH directories, then in `extraDirs`. */
export function findExecutable(
  name: string,
  pathVar: string | undefined,
  extraDirs: string[] = [],
): string | undefined {
  const dirs = [...(pathVar ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const stateSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  url: z.string(),
  /** The runner that started it. */
  owner: z.number().int().positive().optional(),
});
const STATE_FILE = 'instance.json';

/**
 * A private server left running by a run that was killed (so it could not stop it): reused when its pid is
 * alive and it answers, so that its data directory is not fought over by a second server.
 */
export async function adoptLeftover(
  name: InfraName,
  dir: string,
  probe: (url: string) => Promise<ProbeResult>,
  stopSignal: NodeJS.Signals,
): Promise<PrivateInstance | undefined> {
  const file = path.join(dir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = stateSchema.safeParse(
    (() => {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        return undefined;
      }
    })(),
  );
  if (!parsed.success || !isAlive(parsed.data.pid) || !(await probe(parsed.data.url)).up) {
    rmSync(file, { force: true });
    return undefined;
  }
  const { pid, port, url, owner } = parsed.data;
  if (owner && owner !== process.pid && isAlive(owner)) {
    // Another runner on the same .local directory still uses it; it stops it, not us.
    return { name, url, port, pid, adopted: true, shared: true, stop: async () => undefined };
  }
  return {
    name,
    url,
    port,
    pid,
    adopted: true,
    async stop(force = false) {
      if (!isAlive(pid)) return;
      process.kill(pid, force ? 'SIGKILL' : stopSignal);
      if (!(await waitGone(pid, force ? 5000 : 20_000))) process.kill(pid, 'SIGKILL');
      rmSync(file, { force: true });
    },
  };
}

export interface SpawnServerOptions {
  name: InfraName;
  dir: string;
  port: number;
  url: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
  probe: (url: string) => Promise<ProbeResult>;
  /** The signal that makes this server shut down cleanly. */
  stopSignal: NodeJS.Signals;
  startTimeoutMs?: number;
  /** Called with the child as soon as it exists, so that an abort during start-up can kill it. */
  onSpawn?: (instance: PrivateInstance) => void;
}

/** Runs `command` as a private server logging to `<dir>/<name>.log`, and waits until `probe(url)` answers. */
export async function spawnServer(opts: SpawnServerOptions): Promise<PrivateInstance> {
  const logFile = path.join(opts.dir, `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // Own process group: a Ctrl-C in the terminal reaches the runner only, which stops servers after services.
    child = spawn(opts.command, opts.args, {
      cwd: opts.dir,
      env: opts.env,
      stdio: ['ignore', fd, fd],
      detached: true,
      uid: opts.user?.uid,
      gid: opts.user?.gid,
    });
  } finally {
    closeSync(fd);
  }
  const stateFile = path.join(opts.dir, STATE_FILE);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      exited = { code: null, signal: null };
      writeFileSync(logFile, `${err.message}\n`, { flag: 'a' });
      resolve();
    });
  });
  const pid = child.pid ?? 0;
  const instance: PrivateInstance = {
    name: opts.name,
    url: opts.url,
    port: opts.port,
    pid,
    adopted: false,
    async stop(force = false) {
      if (exited) return;
      child.kill(force ? 'SIGKILL' : opts.stopSignal);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>(
        (resolve) => (timer = setTimeout(() => resolve('timeout'), force ? 5000 : 20_000)),
      );
      if ((await Promise.race([exit, grace])) === 'timeout') {
        child.kill('SIGKILL');
        await exit;
      }
      clearTimeout(timer);
      rmSync(stateFile, { force: true });
    },
  };
  opts.onSpawn?.(instance);
  if (pid)
    writeFileSync(stateFile, JSON.stringify({ pid, port: opts.port, url: opts.url, owner: process.pid }));

  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  let last: ProbeResult = { up: false, reason: 'not probed yet' };
  while (!exited && Date.now() < deadline) {
    last = await opts.probe(opts.url);
    if (last.up) return instance;
    await Promise.race([sleep(250), exit]);
  }
  await instance.stop(true);
  const why = exited
    ? `exited (${exited.signal ?? `code ${exited.code}`}) during start-up`
    : `did not answer within ${(opts.startTimeoutMs ?? 30_000) / 1000} s (${last.up ? '' : last.reason})`;
  const log = tail(logFile);
  throw new Error(`private ${opts.name} ${why}; its log is ${logFile}${log ? `:\n${log}` : ''}`);
}
