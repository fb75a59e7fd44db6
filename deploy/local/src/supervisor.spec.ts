import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './infra/ports';
import { Output } from './log-prefixer';
import { Supervisor, reapLeftoverServices, restartDecision, type RestartPolicy } from './supervisor';

describe('restart policy', () => {
  const policy: RestartPolicy = { max: 5, windowMs: 60_000, baseDelayMs: 500, maxDelayMs: 10_000 };

  it('backs off exponentially with the restarts of the last minute', () => {
    const now = 1_000_000;
    expect(restartDecision([], now, policy)).toEqual({ restart: true, delayMs: 500, attempt: 1 });
    expect(restartDecision([now - 1000], now, policy)).toEqual({ restart: true, delayMs: 1000, attempt: 2 });
    expect(restartDecision([now - 3000, now - 2000, now - 1000, now - 500], now, policy)).toEqual({
      restart: true,
      delayMs: 8000,
      attempt: 5,
    });
  });

  it('gives up after five restarts within a minute, and forgets older ones', () => {
    const now = 1_000_000;
    const five = [now - 50_000, now - 40_000, now - 30_000, now - 20_000, now - 10_000];
    expect(restartDecision(five, now, policy)).toEqual({ restart: false, recent: 5 });
    expect(restartDecision([now - 61_000, ...five.slice(1)], now, policy)).toMatchObject({
      restart: true,
      attempt: 5,
    });
  });

  it('caps the delay', () => {
    expect(restartDecision([1, 2, 3, 4, 5, 6, 7], 10, { ...policy, max: 100 })).toMatchObject({
      delayMs: 10_000,
    });
  });
});

// Small real services: node scripts that serve /readyz and react to SIGTERM as told.
const SERVE = `
const http = require('http');
const server = http.createServer((q, r) => { r.statusCode = q.url === '/readyz' ? 200 : 404; r.end(); });
server.listen(Number(process.env.P), '127.0.0.1', () => console.log('up'));
`;
const GRACEFUL = `${SERVE}
process.on('SIGTERM', () => { console.log('bye ' + process.env.NAME); server.close(() => process.exit(0)); });`;
const STUBBORN = `${SERVE}
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));`;
const CRASH_ONCE = `
const fs = require('fs');
if (!fs.existsSync(process.env.MARK)) { fs.writeFileSync(process.env.MARK, 'x'); console.error('first run fails'); process.exit(1); }
${GRACEFUL}`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Supervisor', () => {
  const fast: RestartPolicy = { max: 2, windowMs: 60_000, baseDelayMs: 20, maxDelayMs: 100 };
  let text: string;
  let output: Output;
  let tmp: string;
  beforeEach(() => {
    text = '';
    output = new Output({ write: (s: string) => (text += s) }, { pretty: false, color: false });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hd-supervisor-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  async function spec(name: string, script: string, extraEnv: Record<string, string> = {}) {
    const port = await freePort();
    return {
      name,
      command: process.execPath,
      args: ['-e', script],
      cwd: tmp,
      env: { P: String(port), NAME: name, ...extraEnv },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    };
  }

  it('waits for readiness, prefixes output, and stops services last-started first', async () => {
    const supervisor = new Supervisor(output, { policy: fast });
    await supervisor.start(await spec('first', GRACEFUL), 10_000);
    await supervisor.start(await spec('second', GRACEFUL), 10_000);
    const pids = supervisor.running().map((r) => r.pid);
    expect(pids).toHaveLength(2);
    await supervisor.stopAll();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(text).toContain('[first]    up');
    expect(text.indexOf('bye second')).toBeGreaterThan(-1);
    expect(text.indexOf('bye second')).toBeLessThan(text.indexOf('bye first'));
    expect(text).not.toContain('restarting');
  });

  it('restarts a service that exits unexpectedly, and it becomes ready', async () => {
    const supervisor = new Supervisor(output, { policy: fast });
    await supervisor.start(await spec('flaky', CRASH_ONCE, { MARK: path.join(tmp, 'mark') }), 10_000);
    expect(text).toContain('[flaky]    first run fails');
    expect(text).toMatch(/flaky exited with code 1; restarting in 0\.0 s \(restart 1 of 2/);
    await supervisor.stopAll();
  });

  it('gives up on a service that keeps crashing, and says so', async () => {
    const gaveUp: string[] = [];
    const supervisor = new Supervisor(output, { onGiveUp: (name) => gaveUp.push(name), policy: fast });
    await expect(supervisor.start(await spec('broken', 'process.exit(3)'), 10_000)).rejects.toThrow(
      'broken exited with code 3 and crashed 3 times within 60 s; not restarting it',
    );
    expect(gaveUp).toEqual(['broken']);
    expect(text.match(/restarting in/g)).toHaveLength(2);
  });

  it('kills a service that ignores SIGTERM after the grace period', async () => {
    const supervisor = new Supervisor(output, { policy: fast, stopGraceMs: 300 });
    await supervisor.start(await spec('stubborn', STUBBORN), 10_000);
    const pid = supervisor.running()[0]!.pid;
    await supervisor.stopAll();
    expect(isAlive(pid)).toBe(false);
    expect(text).toContain('stubborn did not stop within 0.3 s; killing it');
  });

  it('fails the start of a service that never becomes ready', async () => {
    const supervisor = new Supervisor(output, { policy: fast });
    const s = await spec('silent', 'setInterval(() => {}, 1000)');
    await expect(supervisor.start(s, 800)).rejects.toThrow(
      /silent was not ready within 0.8 s \(http:\/\/127\.0\.0\.1:\d+\/readyz: ECONNREFUSED\)/,
    );
    await supervisor.stopAll();
    expect(supervisor.running()).toEqual([]);
  });
});

describe('leftover services of a killed runner', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hd-reap-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // A pid that surely belongs to no running process any more: a child that has already exited.
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;
  const leftover = (tag: string) => {
    const child = spawn(process.execPath, ['-e', `setInterval(() => {}, 1000) // ${tag}`], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    return child.pid!;
  };
  const record = (name: string, pid: number, owner: number, marker: string) =>
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ pid, owner, marker }));

  it('stops a recorded service whose runner is gone, and forgets it', async () => {
    const pid = leftover('orphan-service');
    record('orphan', pid, deadPid(), 'orphan-service');
    await new Promise((r) => setTimeout(r, 200));
    expect(await reapLeftoverServices(dir, 2000)).toEqual(['orphan']);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(dir, 'orphan.json'))).toBe(false);
  });

  it('leaves alone a service whose runner still runs, and a pid now used by another program', async () => {
    const owned = leftover('owned-service');
    const recycled = leftover('some-other-program');
    try {
      record('owned', owned, process.ppid, 'owned-service');
      record('recycled', recycled, deadPid(), 'the-original-service');
      await new Promise((r) => setTimeout(r, 200));
      expect(await reapLeftoverServices(dir, 2000)).toEqual([]);
      expect(isAlive(owned)).toBe(true);
      expect(isAlive(recycled)).toBe(true);
    } finally {
      process.kill(owned, 'SIGKILL');
      process.kill(recycled, 'SIGKILL');
    }
  });
});
