import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adoptLeftover, type PrivateInstance } from './instance';
import { findNatsServer, startPrivateNats } from './nats';
import { freePort } from './ports';
import { findPostgresBinaries, startPrivatePostgres } from './postgres';
import { probeNats, probePostgres, probeRedis } from './probe';
import { findRedisServer, startPrivateRedis } from './redis';

// Real servers started from the binaries installed here, in a scratch directory, on free ports.
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('private instances', () => {
  let dir: string;
  const started: PrivateInstance[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hd-private-'));
    // mkdtemp makes it 0700; the postgres account (when root) must be able to reach its data below it.
    chmodSync(dir, 0o755);
  });
  afterEach(async () => {
    for (const i of started.splice(0)) await i.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });

  const redis = findRedisServer(env.PATH);
  (redis ? it : it.skip)('starts Redis, answers PING, stops it, and the process is gone', async () => {
    const instance = await startPrivateRedis({
      binary: redis!,
      dir: path.join(dir, 'redis'),
      port: await freePort(),
      env,
    });
    started.push(instance);
    expect(await probeRedis(instance.url)).toEqual({ up: true });
    await instance.stop();
    expect(isAlive(instance.pid)).toBe(false);
    expect((await probeRedis(instance.url, 500)).up).toBe(false);
  });

  const nats = findNatsServer(env.PATH);
  (nats ? it : it.skip)(
    'starts NATS with JetStream, and a later run adopts it when it was left running',
    async () => {
      const natsDir = path.join(dir, 'nats');
      const instance = await startPrivateNats({ binary: nats!, dir: natsDir, port: await freePort(), env });
      started.push(instance);
      expect(await probeNats(instance.url)).toEqual({ up: true });

      const adopted = await adoptLeftover('nats', natsDir, probeNats, 'SIGTERM');
      expect(adopted).toMatchObject({ pid: instance.pid, url: instance.url, adopted: true });
      await adopted!.stop();
      expect(isAlive(instance.pid)).toBe(false);
      expect(await adoptLeftover('nats', natsDir, probeNats, 'SIGTERM')).toBeUndefined();
    },
  );

  it('refuses to adopt a recorded instance that no longer answers', async () => {
    const redisDir = path.join(dir, 'redis');
    mkdirSync(redisDir, { recursive: true });
    writeFileSync(
      path.join(redisDir, 'instance.json'),
      JSON.stringify({ pid: process.pid, port: 1, url: 'redis://127.0.0.1:1' }),
    );
    expect(await adoptLeftover('redis', redisDir, (u) => probeRedis(u, 300), 'SIGTERM')).toBeUndefined();
    expect(existsSync(path.join(redisDir, 'instance.json'))).toBe(false);
  });

  const pg = findPostgresBinaries(env.PATH);
  (pg ? it : it.skip)(
    'initialises and starts PostgreSQL (as the postgres account when root) with trust auth, and stops it',
    async () => {
      const notes: string[] = [];
      const instance = await startPrivatePostgres({
        binaries: pg!,
        dir: path.join(dir, 'postgres'),
        port: await freePort(),
        isRoot: process.getuid?.() === 0,
        env,
        onNote: (n) => notes.push(n),
      });
      started.push(instance);
      expect(notes).toEqual([`initialising a PostgreSQL cluster in ${path.join(dir, 'postgres', 'data')}`]);
      expect(await probePostgres(instance.url)).toEqual({ up: true });
      await instance.stop();
      expect(isAlive(instance.pid)).toBe(false);
    },
    60_000,
  );
});
