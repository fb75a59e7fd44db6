import { mkdirSync } from 'node:fs';
import { findExecutable, spawnServer, type PrivateInstance } from './instance';
import { probeRedis } from './probe';

const FALLBACK_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];

export function findRedisServer(pathVar: string | undefined): string | undefined {
  return findExecutable('redis-server', pathVar, FALLBACK_DIRS);
}

export function redisUrl(port: number): string {
  return `redis://127.0.0.1:${port}`;
}

export interface StartRedisOptions {
  binary: string;
  /** `<repo>/.local/redis` */
  dir: string;
  port: number;
  env: Record<string, string>;
  onSpawn?: (instance: PrivateInstance) => void;
}

/** A private redis-server without persistence (it holds rate-limit counters only), on 127.0.0.1 only. */
export async function startPrivateRedis(opts: StartRedisOptions): Promise<PrivateInstance> {
  mkdirSync(opts.dir, { recursive: true });
  return spawnServer({
    name: 'redis',
    dir: opts.dir,
    port: opts.port,
    url: redisUrl(opts.port),
    command: opts.binary,
    args: [
      '--port',
      String(opts.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      opts.dir,
      '--daemonize',
      'no',
    ],
    env: opts.env,
    probe: (url) => probeRedis(url, 1000),
    stopSignal: 'SIGTERM',
    onSpawn: opts.onSpawn,
  });
}
