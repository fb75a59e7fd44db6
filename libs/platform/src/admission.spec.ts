import { AdmissionLimiter } from './admission';

const settle = () => new Promise((r) => setImmediate(r));

describe('AdmissionLimiter', () => {
  it('admits up to maxInFlight at once and queues the next ones in arrival order', async () => {
    const limiter = new AdmissionLimiter({ maxInFlight: 2, maxQueued: 2, maxQueueMs: 10_000 });
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    const order: string[] = [];
    const third = limiter.acquire().then((r) => (order.push('third'), r));
    const fourth = limiter.acquire().then((r) => (order.push('fourth'), r));
    await settle();
    expect(order).toEqual([]);
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(2);
    first!();
    first!(); // a second release of the same slot frees nothing more
    await settle();
    expect(order).toEqual(['third']);
    second!();
    await settle();
    expect(order).toEqual(['third', 'fourth']);
    (await third)!();
    (await fourth)!();
    expect(limiter.inFlight).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = new AdmissionLimiter({ maxInFlight: 1, maxQueued: 1, maxQueueMs: 10_000 });
    const held = await limiter.acquire();
    const waiting = limiter.acquire();
    const started = Date.now();
    await expect(limiter.acquire()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(50);
    held!();
    const admitted = await waiting;
    expect(admitted).toBeDefined();
    admitted!();
  });

  it('refuses a waiter after maxQueueMs, or after the shorter wait the caller allows, and forgets it', async () => {
    const limiter = new AdmissionLimiter({ maxInFlight: 1, maxQueued: 5, maxQueueMs: 40 });
    const held = await limiter.acquire();
    const started = Date.now();
    await expect(limiter.acquire()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    const shorter = Date.now();
    await expect(limiter.acquire(5)).resolves.toBeUndefined();
    expect(Date.now() - shorter).toBeLessThan(35);
    await expect(limiter.acquire(0)).resolves.toBeUndefined();
    expect(limiter.queued).toBe(0);
    held!();
    expect(limiter.inFlight).toBe(0);
  });

  it('with no queue, refuses everything past maxInFlight', async () => {
    const limiter = new AdmissionLimiter({ maxInFlight: 1, maxQueued: 0, maxQueueMs: 1_000 });
    const held = await limiter.acquire();
    await expect(limiter.acquire()).resolves.toBeUndefined();
    held!();
    await expect(limiter.acquire()).resolves.toBeDefined();
  });

  it('rejects limits that make no sense', () => {
    expect(() => new AdmissionLimiter({ maxInFlight: 0, maxQueued: 1, maxQueueMs: 1 })).toThrow(RangeError);
    expect(() => new AdmissionLimiter({ maxInFlight: 1, maxQueued: -1, maxQueueMs: 1 })).toThrow(RangeError);
  });
});
