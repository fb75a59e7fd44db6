import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { findExecutable, spawnServer, type PrivateInstance } from './instance';
import { probeNats } from './probe';

// Debian installs nats-server in /usr/sbin, which a non-root PATH usually lacks.
const FALLBACK_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin'];

export function findNatsServer(pathVar: string | undefined): string | undefined {
  return findExecutable('nats-server', pathVar, FALLBACK_DIRS);
}

export function natsUrl(port: number): string {
  return `nats://127.0.0.1:${port}`;
}

export interface StartNatsOptions {
  binary: string;
  /** `<repo>/.local/nats` */
  dir: string;
  port: number;
  env: Record<string, string>;
  onSpawn?: (instance: PrivateInstance) => void;
}

/** A private nats-server with JetStream, its store under `<dir>/jetstream`, on 127.0.0.1 only. */
export async function startPrivateNats(opts: StartNatsOptions): Promise<PrivateInstance> {
  const store = path.join(opts.dir, 'jetstream');
  mkdirSync(store, { recursive: true });
  return spawnServer({
    name: 'nats',
    dir: opts.dir,
    port: opts.port,
    url: natsUrl(opts.port),
    command: opts.binary,
    args: ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(opts.port)],
    env: opts.env,
    probe: (url) => probeNats(url, 1000),
    stopSignal: 'SIGTERM',
    onSpawn: opts.onSpawn,
  });
}
