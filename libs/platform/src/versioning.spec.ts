import { DomainError } from './errors';
import { checkVersion, patched, staleWrite } from './versioning';

describe('versioning helpers', () => {
  it('passes a matching or absent expected version and refuses a stale one with CONFLICT', () => {
    expect(() => checkVersion('client', undefined, 3)).not.toThrow();
    expect(() => checkVersion('client', 3, 3)).not.toThrow();
    try {
      checkVersion('client', 2, 3);
      throw new Error('expected a conflict');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('CONFLICT');
      expect((err as DomainError).details).toEqual({ currentVersion: 3 });
    }
    expect(staleWrite('policy').code).toBe('CONFLICT');
  });

  it('keeps the current value only when the patch leaves the field out', () => {
    expect(patched(undefined, 'a')).toBe('a');
    expect(patched(null, 'a')).toBeNull();
    expect(patched('', 'a')).toBe('');
  });
});
