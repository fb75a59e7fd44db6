// CPU profiles of chosen services during a benchmark: `BENCH_PROFILE=ticket,sla npm run bench` starts those
// services with V8's sampling profiler (`--cpu-prof`), keeps the `.cpuprofile` files (open them in Chrome's
// DevTools or speedscope) and prints where each one spent its CPU: by package and by function, self time.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Log = (line: string) => void;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PROFILED = new Set(
  (process.env.BENCH_PROFILE ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const dirs = new Map<string, string>();

/** Node's options that make a service write a CPU profile when it exits (none unless BENCH_PROFILE names it). */
export function profileArgs(service: string): string[] {
  if (!PROFILED.has(service)) return [];
  const dir = mkdtempSync(path.join(os.tmpdir(), `helpdesk-profile-${service}-`));
  dirs.set(service, dir);
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

// a frame's package: the npm package it comes from, node's own code, or the project's folder (services/ticket)
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node';
  const repo = url.match(/\/(services|libs)\/([^/]+)\//);
  return repo ? `${repo[1]}/${repo[2]}` : path.basename(url);
}

function top(totals: Map<string, number>, all: number, n: number): string {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => `${name} ${((100 * us) / all).toFixed(1)} %`)
    .join(', ');
}

/** Prints, per profiled service, where its busy time went (idle left out). Call after the services stopped. */
export function printProfiles(log: Log): void {
  for (const [service, dir] of dirs) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) {
      log(`profile of ${service}: none written (did it exit gracefully?)`);
      continue;
    }
    for (const file of files) {
      const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const byPackage = new Map<string, number>();
      const byFunction = new Map<string, number>();
      let busy = 0;
      profile.samples.forEach((id, i) => {
        const frame = byId.get(id)!.callFrame;
        if (frame.functionName === '(idle)') return;
        const us = profile.timeDeltas[i] ?? 0;
        busy += us;
        const pkg = packageOf(frame.url, frame.functionName);
        byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
        const fn = `${frame.functionName || '(anonymous)'} (${pkg}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
      });
      log(`profile of ${service}: ${(busy / 1e6).toFixed(1)} s busy, self time · ${path.join(dir, file)}`);
      log(`  by package: ${top(byPackage, busy, 12)}`);
      log(`  by function: ${top(byFunction, busy, 12)}`);
    }
  }
}
