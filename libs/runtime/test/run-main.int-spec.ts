// runMain as a process: the one way a service reports a failed start-up.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@helpdesk/testing';

const fixture = path.join(__dirname, 'fixtures', 'main-fixture.ts');

function runFixture(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const messages = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string; level?: number });
  return { status: result.status, stderr: result.stderr, messages };
}

describe('runMain', () => {
  it('reports an invalid configuration on stderr by variable name, never its value, and exits 1', () => {
    const secret = 'a-short-secret-value';
    const run = runFixture({ FIXTURE_MODE: 'ok', FIXTURE_SECRET: secret });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^fixture: Invalid configuration: FIXTURE_SECRET: /);
    expect(run.stderr).not.toContain(secret);
    expect(run.messages).toEqual([]);
  });

  it('logs any other start-up failure as fatal, releases what started, flushes telemetry last and exits 1', () => {
    const run = runFixture({ FIXTURE_MODE: 'fail', FIXTURE_SECRET: 'x'.repeat(32) });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const fatal = run.messages.find((m) => m.msg === 'fixture failed to start');
    expect(fatal).toMatchObject({ level: 60, err: expect.objectContaining({ message: 'port taken' }) });
    // pino's lines and process.stdout.write may interleave under load: the order is checked within one channel
    const written = run.messages
      .map((m) => m.msg)
      .filter((m) => m === 'part released' || m === 'telemetry flushed');
    expect(written).toEqual(['part released', 'telemetry flushed']);
  });

  it('starts with a valid configuration', () => {
    const run = runFixture({ FIXTURE_MODE: 'ok', FIXTURE_SECRET: 'x'.repeat(32) });
    expect(run.status).toBe(0);
    expect(run.messages.map((m) => m.msg)).toEqual(
      expect.arrayContaining(['fixture running', 'part released', 'telemetry flushed']),
    );
  });
});
