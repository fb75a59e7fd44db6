import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

// The web app (services/web): what its build reads, relative to the repository root, and where it writes. The
// generated API client (src/api/gen) is under src, so an API change rebuilds the bundle.
export const WEB_DIR = 'services/web';
const WEB_INPUTS = ['src', 'index.html', 'portal.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];
export const WEB_OUTPUT = 'services/web/dist';

function filesUnder(root: string, rel: string): string[] {
  const full = path.join(root, rel);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [rel];
  return readdirSync(full, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => filesUnder(root, path.join(rel, e.name)));
}

/** A fingerprint of the web build's inputs (content) and outputs (names, sizes); undefined without a bundle. */
export function webFingerprint(root: string): string | undefined {
  if (!existsSync(path.join(root, WEB_OUTPUT, 'index.html'))) return undefined;
  const hash = createHash('sha256');
  const inputs = [...WEB_INPUTS.map((i) => path.join(WEB_DIR, i)), 'package-lock.json'];
  for (const file of inputs.flatMap((i) => filesUnder(root, i)))
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  for (const file of filesUnder(root, WEB_OUTPUT))
    hash.update(`${file}\0${statSync(path.join(root, file)).size}\0`);
  return hash.digest('hex');
}

const stampFile = (root: string) => path.join(root, '.nx', 'helpdesk-web.stamp');

/** Whether services/web/dist was built from the current sources (the recorded fingerprint still holds). */
export function webBuildUpToDate(root: string): boolean {
  const now = webFingerprint(root);
  if (!now) return false;
  try {
    return readFileSync(stampFile(root), 'utf8').trim() === now;
  } catch {
    return false;
  }
}

export interface BuildWebOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * `vite build` of services/web into its dist/, unless the last build's fingerprint still holds. Resolves whether
 * it built; rejects with vite's output when the build fails.
 */
export async function buildWeb(opts: BuildWebOptions): Promise<{ built: boolean }> {
  if (webBuildUpToDate(opts.cwd)) return { built: false };
  // `npm start` and the system tests may build at once (Vite refuses a second build of a project): one builds,
  // the other waits and then finds the bundle up to date
  const release = await lock(path.join(opts.cwd, '.nx', 'helpdesk-web.lock'), opts.timeoutMs ?? 300_000);
  try {
    if (webBuildUpToDate(opts.cwd)) return { built: false };
    await viteBuild(opts);
  } finally {
    release();
  }
  return { built: true };
}

/** An exclusive lock file; one older than 10 minutes is a crashed builder's and taken over. */
async function lock(file: string, timeoutMs: number): Promise<() => void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(file, 'wx'));
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(file).mtimeMs > 600_000) rmSync(file, { force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > until) throw new Error(`the web build waited too long for ${file}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function viteBuild(opts: BuildWebOptions): Promise<void> {
  const vite = path.join(opts.cwd, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: path.join(opts.cwd, WEB_DIR),
      env: { ...(opts.env ?? process.env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, opts.timeoutMs ?? 300_000);
    opts.signal?.addEventListener('abort', kill, { once: true });
    child.once('error', (err) => reject(new Error(`the web build could not be started: ${err.message}`)));
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      if (code === 0) resolve();
      else
        reject(
          new Error(`the web build (vite build) failed (${sig ?? `exit code ${code}`}):\n${output.trim()}`),
        );
    });
  });
  recordWebBuild(opts.cwd);
}

/** Records the fingerprint after a successful build. */
export function recordWebBuild(root: string): void {
  const now = webFingerprint(root);
  if (!now) return;
  mkdirSync(path.dirname(stampFile(root)), { recursive: true });
  writeFileSync(stampFile(root), `${now}\n`);
}
