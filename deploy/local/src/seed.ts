import { spawn } from 'node:child_process';
import { z } from 'zod';
import type { Output } from './log-prefixer';

/** The line services/identity/src/seed-demo.ts prints on stdout when done. */
export const seedResultSchema = z.object({
  tenantId: z.string().min(1),
  /** The demo tenant's slug: its portal is /portal/<slug>. */
  slug: z.string().min(1).default('demo'),
  adminEmail: z.string().min(1),
  created: z.boolean(),
});
export type SeedResult = z.infer<typeof seedResultSchema>;

/** The seed's result line among its output lines, if one is there (the last one wins). */
export function findSeedResult(lines: readonly string[]): SeedResult | undefined {
  for (const line of [...lines].reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = seedResultSchema.safeParse(JSON.parse(line));
      if (parsed.success) return parsed.data;
    } catch {
      // a log line that is not JSON after all
    }
  }
  return undefined;
}

export interface RunSeedOptions {
  cwd: string;
  script: string;
  env: Record<string, string>;
  output: Output;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Runs the demo seed (idempotent) and answers its result; its log lines are shown under `[seed]`. */
export function runSeed(opts: RunSeedOptions): Promise<SeedResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', opts.script], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let result: SeedResult | undefined;
    const stdout = opts.output.splitter('seed');
    const stderr = opts.output.splitter('seed');
    // The result line is kept for the summary rather than echoed; everything else is shown as it comes.
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const found = findSeedResult([line]);
        if (found) result = found;
        else stdout.push(`${line}\n`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(kill, opts.timeoutMs);
    opts.signal?.addEventListener('abort', kill, { once: true });
    child.once('error', (err) => reject(new Error(`the demo seed could not be started: ${err.message}`)));
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      const last = findSeedResult([pending]);
      if (last) result = last;
      else if (pending) stdout.push(pending);
      stdout.end();
      stderr.end();
      if (code === 0 && result) resolve(result);
      else if (code === 0)
        reject(
          new Error(
            `the demo seed (${opts.script}) finished without printing {tenantId, adminEmail, created}`,
          ),
        );
      else reject(new Error(`the demo seed (${opts.script}) failed (${sig ?? `exit code ${code}`})`));
    });
  });
}
