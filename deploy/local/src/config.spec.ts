import path from 'node:path';
import { REPO_ROOT, loadLocalConfig } from './config';

describe('runner configuration', () => {
  it('defaults to the local servers, the usual ports and .local under the repository', () => {
    const config = loadLocalConfig({}, { isTTY: true });
    expect(config.infra).toEqual({
      postgresUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      natsUrl: 'nats://127.0.0.1:4222',
      redisUrl: 'redis://127.0.0.1:6379',
      autoInstall: true,
    });
    expect(config.ports).toEqual({
      gateway: { http: 8080, health: 9109 },
      identity: { grpc: 50051, health: 9101 },
      ticket: { grpc: 50052, health: 9102 },
      timekeeping: { grpc: 50055, health: 9105 },
      sla: { grpc: 50054, health: 9104 },
      'mail-ingest': { grpc: 50053, health: 9103 },
      notification: { grpc: 50056, health: 9106 },
      automation: { grpc: 50057, health: 9107 },
      reporting: { grpc: 50058, health: 9108 },
    });
    expect(config.dbPrefix).toBe('helpdesk');
    expect(config.localDir).toBe(path.join(REPO_ROOT, '.local'));
    expect(config.admin).toEqual({ email: 'admin@demo.helpdesk.local', password: 'helpdesk-demo-admin' });
    expect(config.color).toBe(true);
    expect(existsInRepo('package.json')).toBe(true);
  });

  it('takes overrides and turns colour off for NO_COLOR or a pipe', () => {
    const config = loadLocalConfig(
      { PORT: '18080', HELPDESK_DB_PREFIX: 'hd_x', NO_COLOR: '1', HELPDESK_AUTO_INSTALL: '0' },
      { isTTY: true },
    );
    expect(config.ports.gateway).toEqual({ http: 18080, health: 9109 });
    expect(config.dbPrefix).toBe('hd_x');
    expect(config.color).toBe(false);
    expect(config.pretty).toBe(true);
    expect(config.infra.autoInstall).toBe(false);
    expect(loadLocalConfig({}, { isTTY: false })).toMatchObject({ color: false, pretty: false });
    // LOG_FORMAT overrides the TTY guess either way; colour still needs a TTY
    expect(loadLocalConfig({ LOG_FORMAT: 'pretty' }, { isTTY: false })).toMatchObject({
      color: false,
      pretty: true,
    });
    expect(loadLocalConfig({ LOG_FORMAT: 'json' }, { isTTY: true })).toMatchObject({ pretty: false });
    expect(() => loadLocalConfig({ LOG_FORMAT: 'xml' }, { isTTY: true })).toThrow(/LOG_FORMAT/);
  });

  it('names every invalid variable without echoing its value', () => {
    let message = '';
    try {
      loadLocalConfig({
        PORT: 'eighty',
        HELPDESK_DB_PREFIX: 'Bad-Prefix',
        HELPDESK_JWT_SECRET: 'short-secret-value',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/HELPDESK_DB_PREFIX/);
    expect(message).toMatch(/HELPDESK_JWT_SECRET/);
    expect(message).not.toContain('short-secret-value');
  });
});

function existsInRepo(file: string): boolean {
  return require('node:fs').existsSync(path.join(REPO_ROOT, file));
}
