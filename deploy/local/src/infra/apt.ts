import { spawn } from 'node:child_process';
import type { InfraName } from './instance';
import type { Output } from '../log-prefixer';

/** The Debian/Ubuntu package that provides each server. */
export const DEBIAN_PACKAGES: Record<InfraName, string> = {
  postgres: 'postgresql',
  nats: 'nats-server',
  redis: 'redis-server',
};

const TITLES: Record<InfraName, string> = {
  postgres: 'PostgreSQL',
  nats: 'NATS (with JetStream)',
  redis: 'Redis',
};

const URL_VARIABLES: Record<InfraName, { variable: string; example: string; note: string }> = {
  postgres: {
    variable: 'POSTGRES_URL',
    example: 'postgresql://USER:PASSWORD@HOST:5432/postgres',
    note: 'a role allowed to CREATE DATABASE',
  },
  nats: { variable: 'NATS_URL', example: 'nats://HOST:4222', note: 'nats-server started with -js' },
  redis: { variable: 'REDIS_URL', example: 'redis://HOST:6379', note: '' },
};

export interface Missing {
  name: InfraName;
  /** The URL that was tried and why it did not do. */
  url: string;
  reason: string;
}

export interface AdviceContext {
  isRoot: boolean;
  hasAptGet: boolean;
  autoInstall: boolean;
}

/** What to install (package names) or which URL variables to set, for the servers that could not be had. */
export function installAdvice(missing: Missing[], ctx: AdviceContext): string {
  const names = missing.map((m) => m.name);
  const packages = names.map((n) => DEBIAN_PACKAGES[n]).join(' ');
  const lines = [
    `Helpdesk needs ${names.map((n) => TITLES[n]).join(', ')}, which ${names.length === 1 ? 'is' : 'are'} neither reachable nor installed here:`,
    ...missing.map(
      (m) =>
        `  - ${TITLES[m.name]}: ${URL_VARIABLES[m.name].variable}=${m.url} did not answer (${m.reason}), and no server binary was found`,
    ),
    '',
    'Either install the server packages, then run `npm start` again (private instances are started under .local/):',
  ];
  if (ctx.hasAptGet) {
    const sudo = ctx.isRoot ? '' : 'sudo ';
    lines.push(`  ${sudo}apt-get update && ${sudo}apt-get install -y ${packages}`);
    if (ctx.isRoot && !ctx.autoInstall)
      lines.push('  (or unset HELPDESK_AUTO_INSTALL, which is off, to let the runner install them itself)');
  } else {
    lines.push(
      `  Debian/Ubuntu packages: ${packages}; elsewhere install ${names.map((n) => TITLES[n]).join(', ')} with your package manager`,
    );
    if (names.includes('postgres'))
      lines.push('  (PostgreSQL: the server programs initdb and postgres must be on PATH)');
  }
  lines.push('', 'or point the runner at servers that are already running:');
  for (const name of names) {
    const v = URL_VARIABLES[name];
    lines.push(`  export ${v.variable}=${v.example}${v.note ? `   # ${v.note}` : ''}`);
  }
  return lines.join('\n');
}

/** Whether the runner may install packages itself: root, apt-get present, not switched off. */
export function canAutoInstall(ctx: AdviceContext): boolean {
  return ctx.isRoot && ctx.hasAptGet && ctx.autoInstall;
}

function runApt(
  args: string[],
  env: Record<string, string>,
  output: Output,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', args, {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    const out = output.splitter('apt');
    const err = output.splitter('apt');
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, sig) => {
      out.end();
      err.end();
      if (code === 0) resolve();
      else reject(new Error(`apt-get ${args[0]} failed (${sig ?? `exit code ${code}`})`));
    });
  });
}

/** `apt-get update` then `apt-get install -y` the servers' packages, output shown under `[apt]`. */
export function aptInstall(
  names: InfraName[],
  env: Record<string, string>,
  output: Output,
  signal?: AbortSignal,
): Promise<void> {
  return aptInstallPackages(
    names.map((n) => DEBIAN_PACKAGES[n]),
    env,
    output,
    signal,
  );
}

/** `apt-get update` then `apt-get install -y <packages>` (Debian package names), output shown under `[apt]`. */
export async function aptInstallPackages(
  packages: string[],
  env: Record<string, string>,
  output: Output,
  signal?: AbortSignal,
): Promise<void> {
  output.info(`installing ${packages.join(' ')} with apt-get`);
  await runApt(['update'], env, output, signal);
  await runApt(['install', '-y', '--no-install-recommends', ...packages], env, output, signal);
}
