import { canAutoInstall, installAdvice, type Missing } from './apt';

const pg: Missing = {
  name: 'postgres',
  url: 'postgresql://postgres@127.0.0.1:5432/postgres',
  reason: 'connect ECONNREFUSED 127.0.0.1:5432',
};
const nats: Missing = {
  name: 'nats',
  url: 'nats://127.0.0.1:4222',
  reason: 'NATS answers but JetStream is not enabled',
};
const redis: Missing = {
  name: 'redis',
  url: 'redis://127.0.0.1:6379',
  reason: 'connect ECONNREFUSED 127.0.0.1:6379',
};

describe('what to install', () => {
  it('names exactly the Debian packages of the missing servers, with sudo when not root', () => {
    const advice = installAdvice([pg, redis], { isRoot: false, hasAptGet: true, autoInstall: true });
    expect(advice).toContain('sudo apt-get update && sudo apt-get install -y postgresql redis-server\n');
    expect(advice).not.toContain('nats-server');
    expect(advice).toContain('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('names the URL variables to set instead, for the missing servers only', () => {
    const advice = installAdvice([nats], { isRoot: false, hasAptGet: true, autoInstall: true });
    expect(advice).toContain('apt-get install -y nats-server');
    expect(advice).toContain('export NATS_URL=nats://HOST:4222');
    expect(advice).toContain('JetStream is not enabled');
    expect(advice).not.toMatch(/POSTGRES_URL|REDIS_URL/);
  });

  it('drops sudo for root and says how to let the runner install when that was switched off', () => {
    const advice = installAdvice([pg, nats, redis], { isRoot: true, hasAptGet: true, autoInstall: false });
    expect(advice).toContain('  apt-get update && apt-get install -y postgresql nats-server redis-server');
    expect(advice).not.toContain('sudo');
    expect(advice).toContain('HELPDESK_AUTO_INSTALL');
  });

  it('without apt-get, still gives the package names and what PostgreSQL must provide', () => {
    const advice = installAdvice([pg], { isRoot: false, hasAptGet: false, autoInstall: true });
    expect(advice).not.toContain('apt-get install');
    expect(advice).toContain('postgresql');
    expect(advice).toContain('initdb and postgres must be on PATH');
    expect(advice).toContain('export POSTGRES_URL=');
  });

  it('installs by itself only as root, with apt-get, when allowed', () => {
    expect(canAutoInstall({ isRoot: true, hasAptGet: true, autoInstall: true })).toBe(true);
    expect(canAutoInstall({ isRoot: false, hasAptGet: true, autoInstall: true })).toBe(false);
    expect(canAutoInstall({ isRoot: true, hasAptGet: false, autoInstall: true })).toBe(false);
    expect(canAutoInstall({ isRoot: true, hasAptGet: true, autoInstall: false })).toBe(false);
  });
});
