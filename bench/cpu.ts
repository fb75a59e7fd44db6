// CPU time spent by the processes on a request's path, read from /proc (Linux); elsewhere every figure is 0.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

// USER_HZ: 100 on every Linux the project runs on (`getconf CLK_TCK`).
const TICKS_PER_SECOND = 100;

/**
 * utime + stime of one process in seconds, plus cutime + cstime (its reaped children's) when asked; 0 when it
 * is gone or /proc is not there.
 */
function processCpuSeconds(pid: number | string, withReapedChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may hold spaces: state is field 3,
    // utime 14, stime 15, cutime 16, cstime 17
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = fields[11]! + fields[12]!;
    return (withReapedChildren ? own + fields[13]! + fields[14]! : own) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Every process whose command name is `comm`, those that have exited too: a PostgreSQL backend's time moves
 * into the postmaster's cutime/cstime when it ends, so the sum only grows.
 */
function commandCpuSeconds(comm: string): number {
  let total = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) total += processCpuSeconds(pid, true);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

export type CpuSnapshot = Record<string, number>;

/** Busy time of all cores together in seconds (user, nice, system, irq, softirq, steal), from /proc/stat. */
function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Name of the snapshot entry holding the whole machine's busy time. */
export const MACHINE = 'machine';

/**
 * CPU seconds so far of the named child processes, of all `postgres` and `nats-server` processes on the
 * machine (shared servers: whatever else uses them at the same time is counted too) and of this process,
 * the load generator; under MACHINE the busy time of the whole machine, of which whatever the others do not
 * account for was spent by processes outside the benchmark.
 */
export function cpuSnapshot(children: Record<string, number | undefined>): CpuSnapshot {
  const snapshot: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(children))
    snapshot[name] = pid === undefined ? 0 : processCpuSeconds(pid);
  snapshot.postgres = commandCpuSeconds('postgres');
  snapshot.nats = commandCpuSeconds('nats-server');
  const self = process.cpuUsage();
  snapshot['load generator'] = (self.user + self.system) / 1e6;
  snapshot[MACHINE] = machineBusySeconds();
  return snapshot;
}

/** `after - before` per name, added into `into`. */
export function addCpu(into: CpuSnapshot, before: CpuSnapshot, after: CpuSnapshot): void {
  for (const [name, seconds] of Object.entries(after))
    into[name] = (into[name] ?? 0) + seconds - (before[name] ?? 0);
}

/** The load averages over 1, 5 and 15 minutes, e.g. `1.52 1.20 0.98`. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** What a benchmark's first line says of the machine: cores, Node, the time and the load average. */
export function machineLine(): string {
  return `${os.cpus().length} cores · node ${process.version} · ${new Date().toISOString()} · load average ${loadAverage()}`;
}
