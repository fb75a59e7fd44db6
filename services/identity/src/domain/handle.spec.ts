import fc from 'fast-check';
import { deriveHandle, firstFreeHandle, HANDLE_MAX_LENGTH, isValidHandle } from './handle';

describe('deriveHandle', () => {
  it.each([
    ['anna@example.com', 'anna'],
    ['Anna.Berg@Example.com', 'anna.berg'],
    ['anna+helpdesk@example.com', 'anna'],
    ["o'brien@example.com", 'obrien'],
    ['.dot.@example.com', 'dot'],
    ['jürgen@example.com', 'jrgen'],
    ['+++@example.com', 'user'],
    ['ÅÄÖ@example.com', 'user'],
  ])('%s → %s', (email, handle) => {
    expect(deriveHandle(email)).toBe(handle);
  });

  it('keeps handles within the length limit', () => {
    expect(deriveHandle(`${'a'.repeat(40)}@example.com`)).toBe('a'.repeat(HANDLE_MAX_LENGTH));
  });

  it('always yields a valid handle', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 20 }), (local, domain) => {
        expect(isValidHandle(deriveHandle(`${local}@${domain}`))).toBe(true);
      }),
    );
  });
});

describe('isValidHandle', () => {
  it.each(['a', 'anna', 'anna.berg', 'a-b_c', '007'])('accepts %s', (h) =>
    expect(isValidHandle(h)).toBe(true),
  );
  it.each(['', 'Anna', 'anna.', '-anna', 'an na', 'an@na', 'a'.repeat(HANDLE_MAX_LENGTH + 1)])(
    'rejects %j',
    (h) => expect(isValidHandle(h)).toBe(false),
  );
});

describe('firstFreeHandle', () => {
  it('answers the base when free', () => {
    expect(firstFreeHandle('anna', new Set(['bob']))).toBe('anna');
  });

  it('appends the first free number', () => {
    expect(firstFreeHandle('anna', new Set(['anna', 'anna2', 'anna3']))).toBe('anna4');
  });

  it('stays valid and within the limit for a long base', () => {
    const base = `${'a'.repeat(HANDLE_MAX_LENGTH - 1)}.`.slice(0, HANDLE_MAX_LENGTH - 1) + 'b';
    const taken = new Set([base]);
    const next = firstFreeHandle(base, taken);
    expect(next).not.toBe(base);
    expect(isValidHandle(next)).toBe(true);
  });

  it('never answers a taken handle', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 30 }), { maxLength: 20 }), (numbers) => {
        const taken = new Set(['x', ...numbers.map((n) => `x${n}`)]);
        const free = firstFreeHandle('x', taken);
        expect(taken.has(free)).toBe(false);
        expect(isValidHandle(free)).toBe(true);
      }),
    );
  });
});
