import type { WindowCounter } from './ports';
import { GatewayError } from './errors';
import { throttleLogin, throttlePublicForm } from './login-throttle';

// In-memory fixed windows with a controllable clock: a fake of the Redis counter port.
function memoryCounter(clock: { now: number }): WindowCounter & { keys(): string[] } {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    keys: () => [...windows.keys()],
    async hit(key, windowSeconds) {
      let w = windows.get(key);
      if (!w || w.endsAt <= clock.now) {
        w = { count: 0, endsAt: clock.now + windowSeconds * 1000 };
        windows.set(key, w);
      }
      w.count += 1;
      return { count: w.count, resetSeconds: Math.ceil((w.endsAt - clock.now) / 1000) };
    },
  };
}

async function attempt(counter: WindowCounter, email: string, ip: string) {
  try {
    await throttleLogin(counter, { email, ip }, { max: 3, ipMax: 5, windowSeconds: 60 });
    return 'ok';
  } catch (err) {
    return err as GatewayError;
  }
}

describe('throttleLogin', () => {
  it('allows max attempts per e-mail, then answers RATE_LIMITED with Retry-After', async () => {
    const clock = { now: 0 };
    const counter = memoryCounter(clock);
    for (let i = 0; i < 3; i += 1) expect(await attempt(counter, 'A@x.io', `10.0.0.${i}`)).toBe('ok');
    clock.now += 20_000;
    const refused = await attempt(counter, 'a@X.io ', '10.0.0.9');
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).code).toBe('RATE_LIMITED');
    expect((refused as GatewayError).headers['Retry-After']).toBe('40');
    clock.now += 41_000;
    expect(await attempt(counter, 'a@x.io', '10.0.0.9')).toBe('ok');
  });

  it('limits one address trying many e-mails', async () => {
    const counter = memoryCounter({ now: 0 });
    for (let i = 0; i < 5; i += 1) expect(await attempt(counter, `u${i}@x.io`, '192.0.2.1')).toBe('ok');
    expect(await attempt(counter, 'u9@x.io', '192.0.2.1')).toBeInstanceOf(GatewayError);
    expect(await attempt(counter, 'u9@x.io', '192.0.2.2')).toBe('ok');
  });

  it('keeps no e-mail address in the counter keys', async () => {
    const counter = memoryCounter({ now: 0 });
    await attempt(counter, 'secret.person@x.io', '192.0.2.1');
    expect(counter.keys().join(' ')).not.toContain('secret.person');
  });
});

describe('throttleLogin scopes and throttlePublicForm', () => {
  it('counts agent and portal sign-ins apart', async () => {
    const counter = memoryCounter({ now: 0 });
    const options = { max: 1, ipMax: 10, windowSeconds: 60 };
    await throttleLogin(counter, { email: 'a@x.io', ip: '1.1.1.1' }, options);
    await throttleLogin(counter, { email: 'a@x.io', ip: '1.1.1.1' }, options, 'portal-login');
    await expect(throttleLogin(counter, { email: 'a@x.io', ip: '1.1.1.1' }, options, 'portal-login')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
  });

  it('lets an address send the web form perHour times an hour, then 429 with Retry-After until the hour ends', async () => {
    const clock = { now: 0 };
    const counter = memoryCounter(clock);
    for (let i = 0; i < 3; i += 1) await throttlePublicForm(counter, '203.0.113.7', 3);
    clock.now += 600_000;
    const refused = await throttlePublicForm(counter, '203.0.113.7', 3).catch((e: unknown) => e as GatewayError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '3000' } });
    await throttlePublicForm(counter, '198.51.100.1', 3);
    clock.now += 3_000_000;
    await throttlePublicForm(counter, '203.0.113.7', 3);
  });
});
