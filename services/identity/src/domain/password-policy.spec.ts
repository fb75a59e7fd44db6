import { PASSWORD_MAX_LENGTH, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts eight characters or more', () => {
    expect(passwordProblem('12345678')).toBeUndefined();
    expect(passwordProblem('correct horse battery staple')).toBeUndefined();
  });

  it('rejects short, blank and huge passwords', () => {
    expect(passwordProblem('1234567')).toMatch(/at least 8/);
    expect(passwordProblem('        ')).toMatch(/blank/);
    expect(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toMatch(/at most/);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('😀😀😀😀')).toMatch(/at least 8/);
  });
});
