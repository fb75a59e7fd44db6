import { GatewayError } from './errors';
import {
  canonicalJson,
  decideIdempotency,
  idempotencyRecordKey,
  requestHash,
  shouldStore,
  validateIdempotencyKey,
} from './idempotency';

describe('idempotency hashing', () => {
  it('hashes bodies with the same content alike, whatever the key order', () => {
    expect(requestHash({ title: 'a', requester: { name: 'n', email: 'e' } })).toBe(
      requestHash({ requester: { email: 'e', name: 'n' }, title: 'a' }),
    );
  });

  it('hashes different bodies differently', () => {
    expect(requestHash({ title: 'a' })).not.toBe(requestHash({ title: 'b' }));
    expect(requestHash({ tags: ['a', 'b'] })).not.toBe(requestHash({ tags: ['b', 'a'] }));
    expect(requestHash({ n: 1 })).not.toBe(requestHash({ n: '1' }));
    expect(requestHash(null)).not.toBe(requestHash({}));
  });

  it('writes canonical JSON with sorted keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('idempotency keys', () => {
  it('accepts printable keys up to 255 characters', () => {
    expect(() => validateIdempotencyKey('a'.repeat(255))).not.toThrow();
    expect(() => validateIdempotencyKey('4f1c-9a:retry/1')).not.toThrow();
  });

  it.each([['a'.repeat(256)], [''], ['has space'], ['tab\tkey'], ['ünïcode']])('refuses %j', (key) => {
    expect(() => validateIdempotencyKey(key)).toThrow(GatewayError);
  });

  it('scopes the record by tenant, principal, method and path', () => {
    expect(
      idempotencyRecordKey({
        tenantId: 't1',
        principalId: 'u1',
        method: 'post',
        path: '/api/v1/tickets',
        key: 'k',
      }),
    ).toBe('idem:t1:u1:POST:/api/v1/tickets:k');
  });
});

describe('decideIdempotency', () => {
  const hash = requestHash({ title: 'x' });

  it('proceeds when the key was free', () => {
    expect(decideIdempotency({ state: 'started', token: 'tok' }, hash)).toEqual({
      action: 'proceed',
      token: 'tok',
    });
  });

  it('replays a completed request with the same body', () => {
    const response = { status: 201, body: { id: '1' }, requestHash: hash };
    expect(decideIdempotency({ state: 'completed', response }, hash)).toEqual({ action: 'replay', response });
  });

  it('refuses the same key with another body (422), completed or in progress', () => {
    const other = requestHash({ title: 'y' });
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as GatewayError).code;
      }
      return undefined;
    };
    expect(
      codeOf(() =>
        decideIdempotency(
          { state: 'completed', response: { status: 201, body: {}, requestHash: other } },
          hash,
        ),
      ),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(codeOf(() => decideIdempotency({ state: 'in_progress', requestHash: other }, hash))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(codeOf(() => decideIdempotency({ state: 'in_progress', requestHash: hash }, hash))).toBe(
      'IDEMPOTENCY_KEY_IN_USE',
    );
  });

  it('keeps successes only', () => {
    expect(shouldStore(201)).toBe(true);
    expect(shouldStore(200)).toBe(true);
    expect(shouldStore(400)).toBe(false);
    expect(shouldStore(404)).toBe(false);
    expect(shouldStore(503)).toBe(false);
    expect(shouldStore(500)).toBe(false);
  });
});
