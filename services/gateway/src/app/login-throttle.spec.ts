import { unauthenticated, unavailable } from '@helpdesk/platform';
import type { WindowCounter } from './ports';
import { GatewayError } from './errors';
import { throttledSignIn, throttleLogin, throttlePublicForm } from './login-throttle';

// In-memory fixed windows with a controllable clock: a fake of the Redis counter port.
function memoryCounter(clock: { now: number }): WindowCounter & { keys(): string[] } {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const live = (key: string) => {
    const w = windows.get(key);
    return w && w.endsAt > clock.now ? w : undefined;
  };
  return {
    keys: () => [...windows.keys()],
    async hit(key, windowSeconds) {
      let w = live(key);
      if (!w) {
        w = { count: 0, endsAt: clock.now + windowSeconds * 1000 };
        windows.set(key, w);
      }
      w.count += 1;
      return { count: w.count, resetSeconds: Math.ceil((w.endsAt - clock.now) / 1000) };
    },
    async release(key) {
      const w = live(key);
      if (w) w.count = Math.max(0, w.count - 1);
    },
    async clear(key) {
      windows.delete(key);
    },
  };
}

const options = { max: 3, ipMax: 5, windowSeconds: 60 };

// a sign-in whose password is right or wrong
async function signIn(
  counter: WindowCounter,
  email: string,
  ip: string,
  outcome: 'right' | 'wrong' | 'outage',
  scope = 'login',
) {
  try {
    return await throttledSignIn(counter, { email, ip }, options, scope, async () => {
      if (outcome === 'wrong') throw unauthenticated('Invalid e-mail or password');
      if (outcome === 'outage') throw unavailable('identity is down');
      return 'session';
    });
  } catch (err) {
    if (err instanceof GatewayError) return err;
    return (err as { code: string }).code;
  }
}

describe('throttledSignIn', () => {
  it('never counts successful sign-ins: many in a row all succeed', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 12; i += 1)
      expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right')).toBe('session');
  });

  it('refuses an account from one address after max failures, with Retry-After, until the window ends', async () => {
    const clock = { now: 0 };
    const counter = memoryCounter(clock);
    for (let i = 0; i < 3; i += 1)
      expect(await signIn(counter, 'A@x.io', '10.0.0.1', 'wrong')).toBe('UNAUTHENTICATED');
    clock.now += 20_000;
    // even the right password: the lockout is decided before the password is checked
    const refused = await signIn(counter, 'a@X.io ', '10.0.0.1', 'right');
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '40' } });
    clock.now += 41_000;
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right')).toBe('session');
  });

  it('does not let failures from one address lock the account out from another', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 4; i += 1) await signIn(counter, 'a@x.io', '198.51.100.66', 'wrong');
    expect(await signIn(counter, 'a@x.io', '198.51.100.66', 'right')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right')).toBe('session');
  });

  it('clears the account’s failures from that address on a success', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 2; i += 1)
        expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'wrong')).toBe('UNAUTHENTICATED');
      expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right')).toBe('session');
    }
    // five failures in all, more than max, but never three since the last success: not locked
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'wrong')).toBe('UNAUTHENTICATED');
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'wrong')).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('caps the failures of one address across many accounts', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 5; i += 1)
      expect(await signIn(counter, `u${i}@x.io`, '192.0.2.1', 'wrong')).toBe('UNAUTHENTICATED');
    expect(await signIn(counter, 'u9@x.io', '192.0.2.1', 'right')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await signIn(counter, 'u9@x.io', '192.0.2.2', 'right')).toBe('session');
  });

  it('does not count an outage of the checking service as a failure', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 8; i += 1)
      expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'outage')).toBe('UNAVAILABLE');
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right')).toBe('session');
  });

  it('lets no more than max parallel guesses through at once', async () => {
    const counter = memoryCounter({ now: 0 });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => signIn(counter, 'a@x.io', '10.0.0.1', 'wrong')),
    );
    expect(outcomes.filter((o) => o === 'UNAUTHENTICATED')).toHaveLength(3);
  });

  it('counts agent and portal sign-ins apart', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 3; i += 1) await signIn(counter, 'a@x.io', '10.0.0.1', 'wrong');
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right', 'portal-login')).toBe('session');
    expect(await signIn(counter, 'a@x.io', '10.0.0.1', 'right')).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('keeps no e-mail address in the counter keys', async () => {
    const counter = memoryCounter({ now: 0 });
    await signIn(counter, 'secret.person@x.io', '192.0.2.1', 'wrong');
    expect(counter.keys().join(' ')).not.toContain('secret.person');
  });
});

describe('throttleLogin (requests that send mail) and throttlePublicForm', () => {
  it('counts every request per address, whatever its outcome', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 3; i += 1)
      await throttleLogin(counter, { email: 'a@x.io', ip: `10.0.0.${i}` }, options, 'portal-magic-link');
    await expect(
      throttleLogin(counter, { email: 'a@x.io', ip: '10.0.0.9' }, options, 'portal-magic-link'),
    ).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
  });

  it('lets an address send the web form perHour times an hour, then 429 with Retry-After until the hour ends', async () => {
    const clock = { now: 0 };
    const counter = memoryCounter(clock);
    for (let i = 0; i < 3; i += 1) await throttlePublicForm(counter, '203.0.113.7', 3);
    clock.now += 600_000;
    const refused = await throttlePublicForm(counter, '203.0.113.7', 3).catch(
      (e: unknown) => e as GatewayError,
    );
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '3000' } });
    await throttlePublicForm(counter, '198.51.100.1', 3);
    clock.now += 3_000_000;
    await throttlePublicForm(counter, '203.0.113.7', 3);
  });
});
