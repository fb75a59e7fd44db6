import { isRole } from './role';

describe('isRole', () => {
  it('knows admin and agent only', () => {
    expect(isRole('admin')).toBe(true);
    expect(isRole('agent')).toBe(true);
    expect(isRole('Admin')).toBe(false);
    expect(isRole('owner')).toBe(false);
    expect(isRole('')).toBe(false);
  });
});
