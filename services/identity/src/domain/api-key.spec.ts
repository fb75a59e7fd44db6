import { randomBytes, randomUUID } from 'node:crypto';
import { apiKeyDisplayPrefix, apiKeyIdPrefix, formatApiKey, parseApiKey } from './api-key';

describe('API key format', () => {
  it('round-trips through parse', () => {
    const id = randomUUID();
    const secret = formatApiKey(id, randomBytes(32));
    expect(secret).toMatch(/^hd_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(secret)?.keyIdPrefix).toBe(apiKeyIdPrefix(id));
  });

  it('keeps the first ten characters as the display prefix', () => {
    const secret = formatApiKey('0123abcd-0000-4000-8000-000000000000', new Uint8Array(32));
    expect(apiKeyDisplayPrefix(secret)).toBe('hd_0123abc');
  });

  it('rejects anything that is not a key', () => {
    const good = formatApiKey(randomUUID(), randomBytes(32));
    for (const bad of [
      '',
      'hd_',
      good.slice(0, -1),
      `${good}x`,
      good.replace('hd_', 'hx_'),
      good.toUpperCase(),
      ` ${good}`,
    ]) {
      expect(parseApiKey(bad)).toBeUndefined();
    }
  });

  it('insists on 32 random bytes', () => {
    expect(() => formatApiKey(randomUUID(), new Uint8Array(16))).toThrow();
  });
});
