import type { PasswordHasher, Repositories, TokenIssuer, UnitOfWork, UserWithPassword } from './ports';
import { INVALID_CREDENTIALS_MESSAGE, LoginUseCase } from './login.use-case';

const user: UserWithPassword = {
  id: '5d0c2a7e-6a8b-4a53-9d43-2f4d1f0f6b11',
  tenantId: '0e7b6c1c-3f8e-4f0a-a1c5-4a5b7f0c9d22',
  email: 'anna@example.com',
  name: 'Anna',
  role: 'agent',
  handle: 'anna',
  timezone: 'UTC',
  active: true,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  passwordHash: 'hash-of:right password',
};

// Fakes of the ports: a one-user directory and a hasher that records what it was asked.
function setup(stored: UserWithPassword | undefined) {
  const calls: string[] = [];
  const hasher: PasswordHasher = {
    hash: async (pw) => `hash-of:${pw}`,
    verify: async (hash, pw) => {
      calls.push('verify');
      return hash === `hash-of:${pw}`;
    },
    verifyAgainstDummy: async () => {
      calls.push('dummy');
    },
  };
  const lookups: string[] = [];
  const users = {
    findByEmailForSignIn: async (email: string) => {
      lookups.push(email);
      return stored && stored.email === email ? stored : undefined;
    },
  } as unknown as Repositories['users'];
  const uow = {
    read: { users } as Repositories,
    run: () => Promise.reject(new Error('no writes')),
  } as UnitOfWork;
  const tokens: TokenIssuer = {
    issue: async (c) => ({ token: `token-for:${c.userId}`, expiresAt: new Date(0) }),
  };
  return { login: new LoginUseCase({ uow, hasher, tokens }), calls, lookups };
}

describe('LoginUseCase', () => {
  it('issues a token for the right password, whatever the e-mail case', async () => {
    const { login, lookups } = setup(user);
    const result = await login.execute({ email: '  Anna@Example.COM ', password: 'right password' });
    expect(result.token).toBe(`token-for:${user.id}`);
    expect(result.user).not.toHaveProperty('passwordHash');
    expect(lookups).toEqual(['anna@example.com']);
  });

  it('spends a dummy verify on an unknown e-mail and answers like a wrong password', async () => {
    const unknown = setup(user);
    const wrong = setup(user);
    const a = await unknown.login
      .execute({ email: 'nobody@example.com', password: 'x-password' })
      .catch((e) => e);
    const b = await wrong.login.execute({ email: user.email, password: 'wrong password' }).catch((e) => e);
    expect(unknown.calls).toEqual(['dummy']);
    expect(wrong.calls).toEqual(['verify']);
    expect([a.code, b.code]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(a.message).toBe(INVALID_CREDENTIALS_MESSAGE);
    expect(b.message).toBe(INVALID_CREDENTIALS_MESSAGE);
  });

  it('refuses an inactive user even with the right password', async () => {
    const { login } = setup({ ...user, active: false });
    await expect(login.execute({ email: user.email, password: 'right password' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('answers INVALID_ARGUMENT for a missing e-mail or password', async () => {
    const { login, calls } = setup(user);
    await expect(login.execute({ email: '', password: 'x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(login.execute({ email: user.email, password: '' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(calls).toEqual([]);
  });
});
