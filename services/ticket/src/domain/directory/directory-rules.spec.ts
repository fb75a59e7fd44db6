import fc from 'fast-check';
import {
  clientIdForEmail,
  contactNameFor,
  DirectoryRuleError,
  emailDomain,
  normalizeDomain,
  normalizeDomains,
  normalizeEmail,
  parsePortalAccess,
  sortKey,
} from './directory-rules';
import { decodeNameCursor, encodeNameCursor } from './name-cursor';

describe('normalizeDomain', () => {
  it.each([
    ['Acme.COM', 'acme.com'],
    ['  @acme.com. ', 'acme.com'],
    ['mail.eu.acme-group.example', 'mail.eu.acme-group.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeDomain(raw)).toBe(expected);
  });

  it.each([
    '',
    'localhost',
    'acme',
    'a b.com',
    '-acme.com',
    'acme-.com',
    'acme..com',
    '10.0.0.1',
    'jane@acme.com',
    `${'a'.repeat(64)}.com`,
  ])('refuses %j', (raw) => {
    expect(() => normalizeDomain(raw)).toThrow(DirectoryRuleError);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.domain(), (d) => {
        const once = normalizeDomain(d);
        expect(normalizeDomain(once)).toBe(once);
        expect(once).toBe(once.toLowerCase());
      }),
    );
  });

  it('drops repeats in any letter case and keeps the first order', () => {
    expect(normalizeDomains(['B.example', 'a.example', 'b.EXAMPLE'])).toEqual(['b.example', 'a.example']);
    expect(() => normalizeDomains(Array.from({ length: 51 }, (_, i) => `d${i}.example`))).toThrow(
      /at most 50/,
    );
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Jane.Doe+it@Acme.COM ')).toBe('jane.doe+it@acme.com');
    expect(emailDomain('jane@acme.com')).toBe('acme.com');
  });

  it.each([
    '',
    'jane',
    '@acme.com',
    'jane@',
    'jane@acme',
    'ja ne@acme.com',
    'jane@acme .com',
    `${'a'.repeat(65)}@x.com`,
  ])('refuses %j', (raw) => {
    expect(() => normalizeEmail(raw)).toThrow(DirectoryRuleError);
  });

  it('accepts generated addresses and keeps their domain normalized', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        // fast-check may produce local parts outside the loose rule (quotes and the like): only check the ones taken
        let email: string;
        try {
          email = normalizeEmail(address);
        } catch {
          return;
        }
        expect(emailDomain(email)).toBe(normalizeDomain(emailDomain(email)));
      }),
    );
  });
});

describe('portal access', () => {
  it('defaults to none and knows exactly none, own and client', () => {
    expect(parsePortalAccess('')).toBe('none');
    expect(['none', 'own', 'client'].map((v) => parsePortalAccess(v))).toEqual(['none', 'own', 'client']);
    for (const bad of ['NONE', 'all', 'owner', ' own'])
      expect(() => parsePortalAccess(bad)).toThrow(DirectoryRuleError);
  });
});

describe('join by domain', () => {
  const clients = [
    { id: 'acme', domains: ['acme.com', 'acme.de'] },
    { id: 'globex', domains: ['globex.example'] },
  ];

  it('joins the client listing the address domain exactly', () => {
    expect(clientIdForEmail('jane@acme.de', clients)).toBe('acme');
    expect(clientIdForEmail('hank@globex.example', clients)).toBe('globex');
  });

  it('joins no client for a subdomain, a parent domain or an unknown domain', () => {
    expect(clientIdForEmail('jane@eu.acme.com', clients)).toBeNull();
    expect(clientIdForEmail('jane@example', clients)).toBeNull();
    expect(clientIdForEmail('jane@initech.example', clients)).toBeNull();
  });
});

describe('contact names and ordering', () => {
  it('falls back to the local part for a nameless sender', () => {
    expect(contactNameFor('jane.doe@acme.com', undefined)).toBe('jane.doe');
    expect(contactNameFor('jane.doe@acme.com', '  Jane   Doe ')).toBe('Jane Doe');
    expect(contactNameFor('x@acme.com', 'n'.repeat(500))).toHaveLength(200);
  });

  it('orders names case-insensitively', () => {
    expect(['delta', 'Alpha', 'bravo', 'Charlie'].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))).toEqual(
      ['Alpha', 'bravo', 'Charlie', 'delta'],
    );
  });

  it('round-trips a cursor and refuses a forged one', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.uuid(), (name, id) => {
        expect(decodeNameCursor(encodeNameCursor({ name, id }))).toEqual({ name, id: id.toLowerCase() });
      }),
    );
    expect(() => decodeNameCursor('nope!')).toThrow();
    expect(() => decodeNameCursor(Buffer.from('{"n":1,"i":"x"}').toString('base64url'))).toThrow();
  });
});
