import { spawn } from 'node:child_process';
import { findNatsServer } from './nats';
import { freePort } from './ports';
import { probeNats, probePostgres, probeRedis } from './probe';

// The servers this machine runs (the same defaults as the runner); a test run may point elsewhere.
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('infrastructure probes', () => {
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await freePort();
  });

  it('finds the local PostgreSQL, NATS with JetStream and Redis up', async () => {
    expect(await probePostgres(POSTGRES_URL)).toEqual({ up: true });
    expect(await probeNats(NATS_URL)).toEqual({ up: true });
    expect(await probeRedis(REDIS_URL)).toEqual({ up: true });
  });

  it('answers down, with the reason, for a port nobody listens on', async () => {
    const pg = await probePostgres(`postgresql://postgres@127.0.0.1:${closedPort}/postgres`, 1000);
    const nats = await probeNats(`nats://127.0.0.1:${closedPort}`, 1000);
    const redis = await probeRedis(`redis://127.0.0.1:${closedPort}`, 1000);
    for (const result of [pg, nats, redis])
      expect(result).toMatchObject({ up: false, reason: expect.any(String) });
    expect(pg).toMatchObject({ reason: expect.stringContaining('ECONNREFUSED') });
    expect(redis).toMatchObject({ reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('answers down for a PostgreSQL database that does not exist (the query must run)', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = '/hd_no_such_database_for_probe';
    expect(await probePostgres(url.toString())).toMatchObject({
      up: false,
      reason: expect.stringContaining('does not exist'),
    });
  });

  it('answers down for a Redis URL that is not Redis (PostgreSQL port)', async () => {
    const pgPort = new URL(POSTGRES_URL).port || '5432';
    expect((await probeRedis(`redis://127.0.0.1:${pgPort}`, 1000)).up).toBe(false);
  });

  const natsServer = findNatsServer(process.env.PATH);
  (natsServer ? it : it.skip)('answers down for a NATS server without JetStream', async () => {
    const port = await freePort();
    const child = spawn(natsServer!, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    try {
      const url = `nats://127.0.0.1:${port}`;
      const deadline = Date.now() + 10_000;
      let result = await probeNats(url, 1000);
      // Until it listens the reason is a refused connection; then it must be the JetStream one.
      while (!('reason' in result && /JetStream/.test(result.reason)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        result = await probeNats(url, 1000);
      }
      expect(result).toEqual({ up: false, reason: 'NATS answers but JetStream is not enabled' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
