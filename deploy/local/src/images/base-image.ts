// The base image of every service image, made without a registry: a minimal Debian bookworm from debootstrap with
// this machine's Node.js and npm copied in, imported into the engine. The Dockerfile takes it as NODE_IMAGE.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { aptInstallPackages } from '../infra/apt';
import { findExecutable } from '../infra/instance';
import type { Output } from '../log-prefixer';
import { hasImage, run, type Docker } from './docker';

export interface BaseImageOptions {
  env: Record<string, string>;
  localDir: string;
  mirror: string;
  isRoot: boolean;
  autoInstall: boolean;
}

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * The certificate authorities this machine trusts (NODE_EXTRA_CA_CERTS, else the system bundle): the build's
 * `npm ci` reaches the registry through the same network, proxies with their own CA included.
 */
export function trustBundle(env: Record<string, string>): string | undefined {
  const file = env.NODE_EXTRA_CA_CERTS ?? SYSTEM_BUNDLE;
  return existsSync(file) ? file : undefined;
}

// Raised whenever what goes into the base changes, so that machines holding an older one make it again.
const RECIPE = 1;

/** The tag names the recipe, the Node.js version and the trust bundle inside: a change of any makes a new base. */
export function baseImageTag(nodeVersion: string = process.versions.node, bundle?: Buffer): string {
  const trust = bundle ? `-ca${createHash('sha256').update(bundle).digest('hex').slice(0, 8)}` : '';
  return `helpdesk-base:r${RECIPE}-node${nodeVersion}-bookworm${trust}`;
}

/** The base image, made once (debootstrap takes a few minutes) and reused by every later build. */
export async function ensureBaseImage(
  output: Output,
  docker: Docker,
  opts: BaseImageOptions,
): Promise<string> {
  const bundleFile = trustBundle(opts.env);
  const bundle = bundleFile ? readFileSync(bundleFile) : undefined;
  const tag = baseImageTag(process.versions.node, bundle);
  if (await hasImage(output, docker, tag, opts.env)) return tag;
  let debootstrap = findExecutable('debootstrap', opts.env.PATH, ['/usr/sbin', '/sbin']);
  if (!debootstrap) {
    if (!(opts.isRoot && opts.autoInstall && findExecutable('apt-get', opts.env.PATH))) {
      throw new Error(
        'the base image needs debootstrap: apt-get install debootstrap (as root), then run again',
      );
    }
    await aptInstallPackages(['debootstrap'], opts.env, output);
    debootstrap = findExecutable('debootstrap', opts.env.PATH, ['/usr/sbin', '/sbin']);
    if (!debootstrap) throw new Error('debootstrap was installed but is still missing');
  }
  const rootfs = path.join(opts.localDir, 'images', 'rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(rootfs, { recursive: true });
  try {
    output.info(
      `making ${tag}: debootstrap --variant=minbase bookworm from ${opts.mirror} (a few minutes, once)`,
    );
    await run(output, debootstrap, ['--variant=minbase', 'bookworm', rootfs, opts.mirror], {
      env: opts.env,
      source: 'debootstrap',
    });
    copyNode(rootfs);
    const changes = [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'ENV npm_config_nodedir=/usr/local',
    ];
    if (bundle) {
      mkdirSync(path.join(rootfs, 'etc', 'ssl', 'certs'), { recursive: true });
      cpSync(bundleFile!, path.join(rootfs, SYSTEM_BUNDLE));
      changes.push(`ENV NODE_EXTRA_CA_CERTS=${SYSTEM_BUNDLE}`);
    }
    const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await run(output, docker.cli, ['import', ...changes.flatMap((c) => ['--change', c]), '-', tag], {
      env: opts.env,
      input: tar.stdout,
    });
    output.info(`imported ${tag}`);
    return tag;
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

/**
 * This process's node binary, the npm and the C headers beside it, at /usr/local as the official node images have
 * them; node-gyp builds native modules against the headers (it cannot download them here).
 */
function copyNode(rootfs: string): void {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const npmDir = path.join(prefix, 'lib', 'node_modules', 'npm');
  const headers = path.join(prefix, 'include', 'node');
  if (!existsSync(path.join(npmDir, 'bin', 'npm-cli.js')))
    throw new Error(`npm was not found beside ${process.execPath}`);
  if (!existsSync(path.join(headers, 'node_api.h')))
    throw new Error(`Node's C headers were not found in ${headers}`);
  cpSync(headers, path.join(rootfs, 'usr', 'local', 'include', 'node'), { recursive: true });
  const bin = path.join(rootfs, 'usr', 'local', 'bin');
  mkdirSync(bin, { recursive: true });
  cpSync(process.execPath, path.join(bin, 'node'));
  cpSync(npmDir, path.join(rootfs, 'usr', 'local', 'lib', 'node_modules', 'npm'), { recursive: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(bin, 'npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(bin, 'npx'));
}
