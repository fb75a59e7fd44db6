import { firstFreeSlug, slugFromName, slugProblem } from './slug';

describe('tenant slugs', () => {
  it('makes a slug from a name: accents dropped, runs of other characters one hyphen, a fallback for nothing left', () => {
    expect(slugFromName('Zürich IT & Co.')).toBe('zurich-it-co');
    expect(slugFromName('  --Acme--  ')).toBe('acme');
    expect(slugFromName('!!')).toBe('tenant');
    expect(slugFromName('x'.repeat(80))).toHaveLength(50);
    for (const name of ['Zürich IT & Co.', '!!', 'a b', 'x'.repeat(80)])
      expect(slugProblem(slugFromName(name))).toBeUndefined();
  });

  it('says why a slug is refused', () => {
    expect(slugProblem('acme-it')).toBeUndefined();
    expect(slugProblem('a')).toMatch(/2-63/);
    expect(slugProblem('-acme')).toMatch(/lowercase letters, digits and hyphens/);
    expect(slugProblem('Acme')).toMatch(/lowercase/);
    expect(slugProblem('123e4567-e89b-12d3-a456-426614174000')).toMatch(/tenant id/);
  });

  it('suffixes -2, -3, ... until free', () => {
    expect(firstFreeSlug('acme', new Set())).toBe('acme');
    expect(firstFreeSlug('acme', new Set(['acme', 'acme-2']))).toBe('acme-3');
  });
});
