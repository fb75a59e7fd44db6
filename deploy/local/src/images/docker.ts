// The Docker engine for `npm run images`: the one running, else dockerd started here (no bridge, no iptables:
// containers use the host's network), else Debian's docker.io installed first when root with apt-get.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { aptInstallPackages } from '../infra/apt';
import { findExecutable } from '../infra/instance';
import type { Output } from '../log-prefixer';

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the child's standard input, then closed. */
  input?: NodeJS.ReadableStream;
  /** Each output line is printed under this source; without it, output is collected only. */
  source?: string;
  signal?: AbortSignal;
}

/** Runs a command; answers its standard output, or rejects with the last lines of what it printed. */
export function run(output: Output, command: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: opts.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    let stdout = '';
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 20));
    };
    const out = opts.source ? output.splitter(opts.source) : undefined;
    const err = opts.source ? output.splitter(opts.source) : undefined;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      keep(c);
      out?.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      keep(c);
      err?.push(c);
    });
    if (opts.input) opts.input.pipe(child.stdin);
    else child.stdin.end();
    child.once('error', reject);
    child.once('close', (code, signal) => {
      out?.end();
      err?.end();
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${path.basename(command)} ${args[0] ?? ''} failed (${signal ?? `exit code ${code}`}):\n${tail.join('\n')}`,
          ),
        );
    });
  });
}

export interface Docker {
  /** The docker CLI used. */
  cli: string;
  /** The engine's version. */
  version: string;
}

// Debian's CLI first: it builds with the engine's own BuildKit, where a newer CLI without buildx cannot.
const CLI_CANDIDATES = ['/usr/bin/docker'];

async function serverVersion(
  output: Output,
  cli: string,
  env: Record<string, string>,
): Promise<string | undefined> {
  try {
    return (await run(output, cli, ['version', '--format', '{{.Server.Version}}'], { env })).trim();
  } catch {
    return undefined;
  }
}

/** A Docker engine that answers, started (and installed) here when there is none. */
export async function ensureDocker(
  output: Output,
  opts: { env: Record<string, string>; localDir: string; isRoot: boolean; autoInstall: boolean },
): Promise<Docker> {
  const findCli = () =>
    CLI_CANDIDATES.find((c) => findExecutable(path.basename(c), path.dirname(c))) ??
    findExecutable('docker', opts.env.PATH);
  let cli = findCli();
  if (cli) {
    const version = await serverVersion(output, cli, opts.env);
    if (version) return { cli, version };
  }
  let dockerd = findExecutable('dockerd', opts.env.PATH, ['/usr/sbin', '/sbin']);
  if (!dockerd || !cli) {
    if (!(opts.isRoot && opts.autoInstall && findExecutable('apt-get', opts.env.PATH))) {
      throw new Error(
        'no Docker engine answers and none can be installed here: apt-get install docker.io (as root), then run again',
      );
    }
    await aptInstallPackages(['docker.io'], opts.env, output);
    cli = findCli();
    dockerd = findExecutable('dockerd', opts.env.PATH, ['/usr/sbin', '/sbin']);
    if (!dockerd || !cli) throw new Error('docker.io was installed but dockerd or docker is still missing');
  }
  if (!opts.isRoot)
    throw new Error(
      `no Docker engine answers; start one (as root: ${dockerd} --bridge=none --iptables=false)`,
    );
  const logDir = path.join(opts.localDir, 'images');
  mkdirSync(logDir, { recursive: true });
  const log = openSync(path.join(logDir, 'dockerd.log'), 'a');
  // No bridge and no firewall rules: containers run with --network host, and the host's networks stay as they are.
  const daemon = spawn(dockerd, ['--bridge=none', '--iptables=false'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: opts.env,
  });
  daemon.unref();
  output.info(`started dockerd (pid ${daemon.pid}); its log is ${path.join(logDir, 'dockerd.log')}`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const version = await serverVersion(output, cli, opts.env);
    if (version) return { cli, version };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`dockerd did not answer within 60 s; see ${path.join(logDir, 'dockerd.log')}`);
}

/** Whether the engine has an image of this name. */
export async function hasImage(
  output: Output,
  docker: Docker,
  image: string,
  env: Record<string, string>,
): Promise<boolean> {
  try {
    await run(output, docker.cli, ['image', 'inspect', '--format', '{{.Id}}', image], { env });
    return true;
  } catch {
    return false;
  }
}
