import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSecrets } from './secrets';

describe('platform secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hd-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates them once into a 0600 file and reads the same ones back', () => {
    const first = loadSecrets(dir, {});
    expect(first.source).toEqual({ jwtSecret: 'generated', operatorToken: 'generated' });
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.operatorToken.length).toBeGreaterThanOrEqual(24);
    expect(first.jwtSecret).not.toBe(first.operatorToken);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);

    const second = loadSecrets(dir, {});
    expect(second.source).toEqual({ jwtSecret: 'file', operatorToken: 'file' });
    expect([second.jwtSecret, second.operatorToken]).toEqual([first.jwtSecret, first.operatorToken]);
  });

  it('lets the environment win and stores nothing it was given', () => {
    const fromEnv = { jwtSecret: 'e'.repeat(32), operatorToken: 't'.repeat(24) };
    const secrets = loadSecrets(dir, fromEnv);
    expect(secrets).toMatchObject({ ...fromEnv, source: { jwtSecret: 'env', operatorToken: 'env' } });
    expect(() => statSync(secrets.file)).toThrow();
  });

  it('tightens a file that others could read', () => {
    const file = path.join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ jwtSecret: 'j'.repeat(40), operatorToken: 'o'.repeat(40) }), {
      mode: 0o644,
    });
    const secrets = loadSecrets(dir, {});
    expect(secrets.jwtSecret).toBe('j'.repeat(40));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).operatorToken).toBe('o'.repeat(40));
  });
});
