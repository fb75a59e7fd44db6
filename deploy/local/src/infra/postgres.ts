import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable, spawnServer, type PrivateInstance } from './instance';
import { probePostgres } from './probe';

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** Debian's versioned server directories, newest first (`/usr/lib/postgresql/16/bin`, …). */
export function debianPostgresDirs(root = '/usr/lib/postgresql'): string[] {
  let versions: string[];
  try {
    versions = readdirSync(root);
  } catch {
    return [];
  }
  return versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'));
}

/** initdb and postgres from one installation: PATH first, then Debian's /usr/lib/postgresql/<version>/bin. */
export function findPostgresBinaries(pathVar: string | undefined): PostgresBinaries | undefined {
  const initdb = findExecutable('initdb', pathVar);
  const postgres = initdb && findExecutable('postgres', path.dirname(initdb));
  if (initdb && postgres) return { initdb, postgres };
  for (const dir of debianPostgresDirs()) {
    const i = findExecutable('initdb', dir);
    const p = findExecutable('postgres', dir);
    if (i && p) return { initdb: i, postgres: p };
  }
  return undefined;
}

export function postgresUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres`;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  };
  try {
    return await ids();
  } catch {
    // Installed from source or a tarball: there is no service account yet.
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return ids();
  }
}

/** Whether `user` can reach `dir` (search permission on every ancestor). */
function canTraverse(dir: string, user: { uid: number; gid: number }): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const st = statSync(current);
    const ok =
      st.uid === user.uid ? st.mode & 0o100 : st.gid === user.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid, gid);
    else chownSync(full, uid, gid);
  }
}

export interface StartPostgresOptions {
  binaries: PostgresBinaries;
  /** `<repo>/.local/postgres` */
  dir: string;
  port: number;
  isRoot: boolean;
  env: Record<string, string>;
  onSpawn?: (instance: PrivateInstance) => void;
  onNote?: (message: string) => void;
}

/** Initialises (once) and starts a private PostgreSQL with trust auth for `postgres`, on 127.0.0.1 only. */
export async function startPrivatePostgres(opts: StartPostgresOptions): Promise<PrivateInstance> {
  let dir = opts.dir;
  let user: { uid: number; gid: number } | undefined;
  if (opts.isRoot) {
    // PostgreSQL refuses to run as root; it runs as the `postgres` account and owns its directory.
    user = await postgresUser();
    mkdirSync(path.dirname(dir), { recursive: true });
    if (!canTraverse(path.dirname(dir), user)) {
      const fallback = path.join(
        os.tmpdir(),
        `helpdesk-${createHash('sha1').update(dir).digest('hex').slice(0, 8)}`,
        'postgres',
      );
      opts.onNote?.(
        `the postgres account cannot reach ${dir}; keeping the private PostgreSQL data in ${fallback}`,
      );
      dir = fallback;
      mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownTree(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    opts.onNote?.(`initialising a PostgreSQL cluster in ${data}`);
    try {
      await run(
        opts.binaries.initdb,
        ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'],
        {
          cwd: dir,
          env: opts.env,
          uid: user?.uid,
          gid: user?.gid,
        },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`initdb failed: ${(e.stderr || e.message).trim()}`, { cause: err });
    }
  }
  return spawnServer({
    name: 'postgres',
    dir,
    port: opts.port,
    url: postgresUrl(opts.port),
    command: opts.binaries.postgres,
    // No Unix socket: the default socket directory may not exist or be writable here.
    args: [
      '-D',
      data,
      '-p',
      String(opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    env: opts.env,
    user,
    probe: (url) => probePostgres(url, 1000),
    // SIGINT is PostgreSQL's "fast" shutdown: ends sessions, checkpoints, exits.
    stopSignal: 'SIGINT',
    onSpawn: opts.onSpawn,
  });
}
