import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface RunGenerateOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How many of nx's tasks came from its cache, from its summary line ("Cache: 7/7 hit (100%)"). */
export function cacheHits(output: string): { hit: number; total: number } | undefined {
  const match = /Cache:\s+(\d+)\/(\d+) hit/.exec(output);
  return match ? { hit: Number(match[1]), total: Number(match[2]) } : undefined;
}

/**
 * `nx run-many -t generate` (the proto contracts and every Prisma client). nx caches each project's outputs by
 * its declared inputs (nx.json, libs/contracts/project.json): unchanged inputs restore or keep the outputs
 * instead of running the generators. Resolves with nx's output; rejects with it when generation fails.
 */
export function runGenerate(opts: RunGenerateOptions): Promise<string> {
  const nx = path.join(opts.cwd, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nx, 'run-many', '-t', 'generate', '--output-style=stream'], {
      cwd: opts.cwd,
      env: { ...opts.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(kill, opts.timeoutMs);
    opts.signal?.addEventListener('abort', kill, { once: true });
    child.once('error', (err) => reject(new Error(`code generation could not be started: ${err.message}`)));
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `code generation (npm run generate) failed (${sig ?? `exit code ${code}`}):\n${output.trim()}`,
          ),
        );
    });
  });
}

// What generation reads (nx.json's and libs/contracts/project.json's inputs, and the lock file for the generators'
// versions) and where it writes, relative to the repository root.
const CONTRACT_INPUTS = [
  'proto',
  'buf.yaml',
  'buf.gen.yaml',
  'nx.json',
  'libs/contracts/project.json',
  'libs/db/src/generate.ts',
  'package-lock.json',
  // the web app's API client, generated from the gateway's route specs (services/web/project.json)
  'services/gateway/src',
  'services/web/project.json',
  'services/web/package.json',
];
const CONTRACT_OUTPUT = 'libs/contracts/src/gen';
const WEB_CLIENT_OUTPUT = 'services/web/src/api/gen';

/** Every file under `rel` (a file or a directory), sorted, relative to `root`; none when it is missing. */
function filesUnder(root: string, rel: string): string[] {
  const full = path.join(root, rel);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [rel];
  return readdirSync(full, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => filesUnder(root, path.join(rel, e.name)));
}

/**
 * A fingerprint of generation's inputs (their content) and outputs (names, sizes, times): when it matches the one
 * recorded after the last generation, nothing changed and even nx (seconds of CPU for its project graph) is skipped.
 * Undefined when an output is missing.
 */
export function generationFingerprint(root: string): string | undefined {
  const services = readdirSync(path.join(root, 'services')).filter((s) =>
    existsSync(path.join(root, 'services', s, 'prisma', 'schema.prisma')),
  );
  const inputs = [...CONTRACT_INPUTS, ...services.map((s) => `services/${s}/prisma/schema.prisma`)];
  const outputs = [
    CONTRACT_OUTPUT,
    WEB_CLIENT_OUTPUT,
    ...services.map((s) => `services/${s}/src/infra/prisma/generated`),
  ];
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((i) => filesUnder(root, i)))
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  for (const out of outputs) {
    const files = filesUnder(root, out);
    if (files.length === 0) return undefined;
    for (const file of files) {
      const st = statSync(path.join(root, file));
      hash.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
    }
  }
  return hash.digest('hex');
}

const stampFile = (root: string) => path.join(root, '.nx', 'helpdesk-generate.stamp');

/** Whether the outputs were generated from the current inputs (the recorded fingerprint still holds). */
export function generationUpToDate(root: string): boolean {
  const now = generationFingerprint(root);
  if (!now) return false;
  try {
    return readFileSync(stampFile(root), 'utf8').trim() === now;
  } catch {
    return false;
  }
}

/** Records the fingerprint after a successful generation. */
export function recordGeneration(root: string): void {
  const now = generationFingerprint(root);
  if (!now) return;
  mkdirSync(path.dirname(stampFile(root)), { recursive: true });
  writeFileSync(stampFile(root), `${now}\n`);
}
