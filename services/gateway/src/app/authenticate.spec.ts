import { SignJWT } from 'jose';
import { DomainError } from '@helpdesk/platform';
import type { identityV1 } from '@helpdesk/contracts';
import { ApiKeyCache } from './api-key-cache';
import { bearerToken, createAuthenticator, isOperatorToken } from './authenticate';
import { GatewayError } from './errors';

const SECRET = 'a-very-long-test-secret-of-at-least-32-chars';
const key = new TextEncoder().encode(SECRET);

function sign(
  claims: Record<string, unknown>,
  opts: { secret?: Uint8Array; iss?: string; exp?: string; alg?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256' })
    .setSubject(String(claims.sub ?? 'user-1'))
    .setIssuer(opts.iss ?? 'helpdesk')
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(opts.secret ?? key);
}

// A fake of the identity port: a key table and a call counter.
function fakeIdentity(keys: Record<string, identityV1.ApiKey>) {
  const calls: string[] = [];
  return {
    calls,
    authenticateApiKey: async ({ secret }: { secret: string }) => {
      calls.push(secret);
      const apiKey = keys[secret];
      if (!apiKey) throw new DomainError('UNAUTHENTICATED', 'unknown key');
      return { apiKey };
    },
  };
}

const apiKey = (over: Partial<identityV1.ApiKey> = {}): identityV1.ApiKey => ({
  id: 'key-1',
  tenantId: 'tenant-1',
  name: 'zapier',
  prefix: 'hd_abc',
  ...over,
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as GatewayError | DomainError).code;
  }
}

describe('authenticator: JWT', () => {
  const auth = createAuthenticator({ jwtSecret: SECRET, identity: fakeIdentity({}) });

  it('accepts an agent token from identity', async () => {
    const token = await sign({ sub: 'user-1', tid: 'tenant-1', role: 'admin', typ: 'agent' });
    await expect(auth.authenticate(token)).resolves.toEqual({
      actor: 'USER',
      tenantId: 'tenant-1',
      userId: 'user-1',
      role: 'admin',
    });
  });

  it.each([
    ['another secret', { claims: {}, opts: { secret: new TextEncoder().encode('x'.repeat(40)) } }],
    ['another issuer', { claims: {}, opts: { iss: 'evil' } }],
    ['expired', { claims: {}, opts: { exp: '-1m' } }],
    ['another typ', { claims: { typ: 'contact' }, opts: {} }],
    ['no tenant', { claims: { tid: undefined }, opts: {} }],
    ['unknown role', { claims: { role: 'root' }, opts: {} }],
  ])('refuses a token with %s', async (_name, { claims, opts }) => {
    const token = await sign(
      { sub: 'user-1', tid: 'tenant-1', role: 'agent', typ: 'agent', ...claims },
      opts,
    );
    expect(await codeOf(auth.authenticate(token))).toBe('UNAUTHENTICATED');
  });

  it('refuses garbage', async () => {
    expect(await codeOf(auth.authenticate('not-a-jwt'))).toBe('UNAUTHENTICATED');
  });
});

describe('authenticator: API keys', () => {
  it('resolves a key to an agent principal and caches it for 30 s by fingerprint', async () => {
    let now = 1_000_000;
    const identity = fakeIdentity({ hd_secret1: apiKey() });
    const auth = createAuthenticator({
      jwtSecret: SECRET,
      identity,
      cache: new ApiKeyCache(30_000, () => now),
    });
    const expected = { actor: 'API_KEY', tenantId: 'tenant-1', apiKeyId: 'key-1', role: 'agent' };
    await expect(auth.authenticate('hd_secret1')).resolves.toEqual(expected);
    now += 29_000;
    await expect(auth.authenticate('hd_secret1')).resolves.toEqual(expected);
    expect(identity.calls).toHaveLength(1);
    now += 2_000;
    await auth.authenticate('hd_secret1');
    expect(identity.calls).toHaveLength(2);
  });

  it('does not cache failures, refuses revoked keys, and forgets revoked keys at once', async () => {
    const identity = fakeIdentity({ hd_revoked: apiKey({ revokedAt: new Date() }), hd_good: apiKey() });
    const auth = createAuthenticator({ jwtSecret: SECRET, identity });
    expect(await codeOf(auth.authenticate('hd_unknown'))).toBe('UNAUTHENTICATED');
    expect(await codeOf(auth.authenticate('hd_unknown'))).toBe('UNAUTHENTICATED');
    expect(identity.calls.filter((c) => c === 'hd_unknown')).toHaveLength(2);
    expect(await codeOf(auth.authenticate('hd_revoked'))).toBe('UNAUTHENTICATED');

    await auth.authenticate('hd_good');
    auth.forgetApiKey('tenant-1', 'key-1');
    await auth.authenticate('hd_good');
    expect(identity.calls.filter((c) => c === 'hd_good')).toHaveLength(2);
  });

  it('keeps an unreachable identity service a 503, not a 401', async () => {
    const auth = createAuthenticator({
      jwtSecret: SECRET,
      identity: { authenticateApiKey: async () => Promise.reject(new DomainError('UNAVAILABLE', 'down')) },
    });
    expect(await codeOf(auth.authenticate('hd_x'))).toBe('UNAVAILABLE');
  });
});

describe('operator token and bearer parsing', () => {
  it('compares the operator token exactly', () => {
    const configured = 'op-token-0123456789abcdefghij';
    expect(isOperatorToken(configured, configured)).toBe(true);
    expect(isOperatorToken(`${configured}x`, configured)).toBe(false);
    expect(isOperatorToken('short', configured)).toBe(false);
    expect(isOperatorToken(configured, undefined)).toBe(false);
  });

  it('reads Bearer tokens only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
