import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Output } from './log-prefixer';

export interface RestartPolicy {
  /** Most restarts within `windowMs`; one more crash and the supervisor gives up. */
  max: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  max: 5,
  windowMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
};

export type RestartDecision =
  { restart: true; delayMs: number; attempt: number } | { restart: false; recent: number };

/** Whether to restart a process that crashed at `now`, given the times of its earlier restarts, and after how long. */
export function restartDecision(
  previous: readonly number[],
  now: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const recent = previous.filter((t) => now - t < policy.windowMs).length;
  if (recent >= policy.max) return { restart: false, recent };
  return {
    restart: true,
    delayMs: Math.min(policy.baseDelayMs * 2 ** recent, policy.maxDelayMs),
    attempt: recent + 1,
  };
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Polled until it answers 200. */
  readyUrl: string;
}

interface Managed {
  spec: ProcessSpec;
  child?: ChildProcess;
  exited?: Promise<void>;
  restarts: number[];
  restartTimer?: NodeJS.Timeout;
  stopping: boolean;
  failed?: Error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** Runs services as child processes: prefixed output, readiness waits, restarts with backoff, ordered stop. */
export interface SupervisorOptions {
  /** A service crashed too often and is not restarted again. */
  onGiveUp?: (name: string, error: Error) => void;
  policy?: RestartPolicy;
  /** SIGTERM → SIGKILL. */
  stopGraceMs?: number;
  /** Where each running service's pid is recorded, so that a later run can stop what a killed runner left. */
  pidDir?: string;
}

export class Supervisor {
  private readonly managed: Managed[] = [];
  private readonly onGiveUp: (name: string, error: Error) => void;
  private readonly policy: RestartPolicy;
  private readonly stopGraceMs: number;
  private forcing = false;

  constructor(
    private readonly output: Output,
    private readonly opts: SupervisorOptions = {},
  ) {
    this.onGiveUp = opts.onGiveUp ?? (() => undefined);
    this.policy = opts.policy ?? DEFAULT_RESTART_POLICY;
    this.stopGraceMs = opts.stopGraceMs ?? 10_000;
  }

  private pidFile(name: string): string | undefined {
    return this.opts.pidDir ? path.join(this.opts.pidDir, `${name}.json`) : undefined;
  }

  private spawnChild(m: Managed): void {
    const { spec } = m;
    // Own process group: Ctrl-C reaches the runner only, which then stops services in reverse order.
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    m.child = child;
    const pidFile = this.pidFile(spec.name);
    if (pidFile && child.pid) {
      mkdirSync(path.dirname(pidFile), { recursive: true });
      writeFileSync(
        pidFile,
        JSON.stringify({ pid: child.pid, owner: process.pid, marker: spec.args.join(' ') }),
      );
    }
    const out = this.output.splitter(spec.name);
    const err = this.output.splitter(spec.name);
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    m.exited = new Promise((resolve) => {
      child.once('error', (e) => {
        this.output.error(`${spec.name} could not be started: ${e.message}`);
      });
      child.once('close', (code, signal) => {
        out.end();
        err.end();
        resolve();
        if (m.child === child) this.onExit(m, code, signal);
      });
    });
  }

  private onExit(m: Managed, code: number | null, signal: NodeJS.Signals | null): void {
    m.child = undefined;
    const pidFile = this.pidFile(m.spec.name);
    if (pidFile) rmSync(pidFile, { force: true });
    if (m.stopping) return;
    const now = Date.now();
    const decision = restartDecision(m.restarts, now, this.policy);
    if (!decision.restart) {
      m.failed = new Error(
        `${m.spec.name} ${describeExit(code, signal)} and crashed ${decision.recent + 1} times within ${this.policy.windowMs / 1000} s; not restarting it`,
      );
      this.output.error(m.failed.message);
      this.onGiveUp(m.spec.name, m.failed);
      return;
    }
    m.restarts.push(now);
    this.output.warn(
      `${m.spec.name} ${describeExit(code, signal)}; restarting in ${(decision.delayMs / 1000).toFixed(1)} s (restart ${decision.attempt} of ${this.policy.max} allowed per ${this.policy.windowMs / 1000} s)`,
    );
    m.restartTimer = setTimeout(() => {
      m.restartTimer = undefined;
      if (!m.stopping) this.spawnChild(m);
    }, decision.delayMs);
  }

  /** Starts `spec` and resolves once its ready URL answers 200 (restarts in between are allowed). */
  async start(spec: ProcessSpec, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.managed.some((m) => m.spec.name === spec.name))
      throw new Error(`${spec.name} is already supervised`);
    const m: Managed = { spec, restarts: [], stopping: false };
    this.managed.push(m);
    this.spawnChild(m);
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (signal?.aborted) throw new Error('start-up aborted');
      if (m.failed) throw m.failed;
      if (m.stopping) throw new Error(`${spec.name} was stopped while starting`);
      if (m.child) {
        try {
          const res = await fetch(spec.readyUrl, { signal: AbortSignal.timeout(2000) });
          await res.body?.cancel();
          if (res.status === 200) return;
          last = `HTTP ${res.status}`;
        } catch (err) {
          last = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        }
      }
      await sleep(300);
    }
    throw new Error(`${spec.name} was not ready within ${timeoutMs / 1000} s (${spec.readyUrl}: ${last})`);
  }

  private async stopOne(m: Managed, force: boolean): Promise<void> {
    m.stopping = true;
    if (m.restartTimer) clearTimeout(m.restartTimer);
    const child = m.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.kill(child, force ? 'SIGKILL' : 'SIGTERM');
    if (force) {
      await m.exited;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), this.stopGraceMs)),
    );
    if ((await Promise.race([m.exited!.then(() => 'exited' as const), grace])) === 'timeout') {
      this.output.warn(`${m.spec.name} did not stop within ${this.stopGraceMs / 1000} s; killing it`);
      this.kill(child, 'SIGKILL');
      await m.exited;
    }
    clearTimeout(timer);
  }

  private kill(child: ChildProcess, sig: NodeJS.Signals): void {
    if (!child.pid) return;
    try {
      // The whole group, so that anything the service spawned goes too.
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  }

  /** Stops every service, last started first (SIGTERM, SIGKILL after the grace period; SIGKILL at once when forced). */
  async stopAll(force = false): Promise<void> {
    if (force) this.forcing = true;
    for (const m of [...this.managed].reverse()) {
      // A forced stop took over from this graceful one.
      if (!force && this.forcing) return;
      if (!force && m.child) this.output.info(`stopping ${m.spec.name}`);
      await this.stopOne(m, force);
    }
  }

  /** Last resort when the runner itself exits: SIGKILL whatever still runs (synchronous). */
  killAllNow(): void {
    for (const m of this.managed) {
      m.stopping = true;
      if (m.restartTimer) clearTimeout(m.restartTimer);
      if (m.child) this.kill(m.child, 'SIGKILL');
    }
  }

  /** Names and pids of the running services. */
  running(): Array<{ name: string; pid: number }> {
    return this.managed.filter((m) => m.child?.pid).map((m) => ({ name: m.spec.name, pid: m.child!.pid! }));
  }
}

const pidRecordSchema = z.object({
  pid: z.number().int().positive(),
  owner: z.number().int().positive(),
  marker: z.string(),
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * Stops services that a runner killed without its clean-up (SIGKILL) left running: recorded in `pidDir`,
 * their runner gone, and still the same program (command line checked, so a recycled pid is left alone).
 * Answers the names it stopped.
 */
export async function reapLeftoverServices(pidDir: string, graceMs = 10_000): Promise<string[]> {
  let files: string[];
  try {
    files = readdirSync(pidDir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const file of files) {
    const full = path.join(pidDir, file);
    let record: z.infer<typeof pidRecordSchema>;
    try {
      record = pidRecordSchema.parse(JSON.parse(readFileSync(full, 'utf8')));
    } catch {
      rmSync(full, { force: true });
      continue;
    }
    // Its runner is alive (another run sharing this directory): not ours to stop.
    if (record.owner !== process.pid && alive(record.owner)) continue;
    const cmd = commandLine(record.pid);
    if (alive(record.pid) && cmd?.includes(record.marker)) {
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(-record.pid, sig);
        } catch {
          process.kill(record.pid, sig);
        }
      };
      signal('SIGTERM');
      const deadline = Date.now() + graceMs;
      while (alive(record.pid) && Date.now() < deadline) await sleep(100);
      if (alive(record.pid)) signal('SIGKILL');
      reaped.push(file.replace(/\.json$/, ''));
    }
    rmSync(full, { force: true });
  }
  return reaped;
}
