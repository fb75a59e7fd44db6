import { createLogger } from './logger';
import { createShutdown } from './shutdown';

function quietLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('test', 'debug', { write: (s: string) => void lines.push(s) }) };
}

describe('createShutdown', () => {
  it('runs hooks in reverse registration order, awaiting each', async () => {
    const { logger } = quietLogger();
    const s = createShutdown(logger, 1_000);
    const order: string[] = [];
    s.onShutdown('db', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('db');
    });
    s.onShutdown('bus', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('bus');
    });
    s.onShutdown('grpc', () => void order.push('grpc'));
    await s.shutdown('test');
    expect(order).toEqual(['grpc', 'bus', 'db']);
  });

  it('keeps going when a hook fails', async () => {
    const { logger, lines } = quietLogger();
    const s = createShutdown(logger, 1_000);
    const order: string[] = [];
    s.onShutdown('first', () => void order.push('first'));
    s.onShutdown('broken', () => {
      throw new Error('boom');
    });
    await s.shutdown('test');
    expect(order).toEqual(['first']);
    expect(lines.some((l) => l.includes('shutdown hook failed') && l.includes('broken'))).toBe(true);
  });

  it('is idempotent: a second call returns the same promise and hooks run once', async () => {
    const { logger } = quietLogger();
    const s = createShutdown(logger, 1_000);
    let calls = 0;
    s.onShutdown('count', () => void calls++);
    const a = s.shutdown('SIGTERM');
    const b = s.shutdown('SIGINT');
    expect(b).toBe(a);
    await a;
    await s.shutdown('again');
    expect(calls).toBe(1);
  });

  it('gives up after the timeout and logs it', async () => {
    const { logger, lines } = quietLogger();
    const s = createShutdown(logger, 100);
    s.onShutdown('stuck', () => new Promise<void>(() => undefined));
    const started = Date.now();
    await s.shutdown('test');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(1_000);
    expect(lines.some((l) => l.includes('shutdown timed out'))).toBe(true);
  });
});
