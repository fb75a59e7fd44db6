import { createLogger } from '@helpdesk/platform';
import { DueTimer, type DueBatch } from './due-timer';
import type { ListenerSubscription } from './pg-listener';

const DUE_CHANNEL = 'test_due';

// The timer's scheduling alone, on Jest's fake clock: what it asks the database (fire, nextDue) and when.
function setup(options: { nextDue: () => Date | null; fire?: (n: number) => DueBatch }) {
  const subscriptions: ListenerSubscription[] = [];
  const fired: number[] = [];
  const timer = new DueTimer({
    name: 'test timers',
    listener: { subscribe: (s: ListenerSubscription) => subscriptions.push(s) },
    channel: DUE_CHANNEL,
    fire: async (n) => {
      fired.push(Date.now());
      return options.fire?.(n) ?? { rows: 0, fired: 0 };
    },
    nextDue: async () => options.nextDue(),
    batchSize: 10,
    resyncMs: 30_000,
    logger: createLogger('due-timer-test', 'silent'),
  });
  const notify = (at: number) =>
    subscriptions.filter((s) => s.channel === DUE_CHANNEL).forEach((s) => s.onNotify(String(at)));
  return { timer, fired, notify };
}

describe('due timer', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-06-10T09:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('wakes at the earliest due instant it hears of, not before', async () => {
    const t0 = Date.now();
    let due: Date | null = new Date(t0 + 5_000);
    const { timer, fired, notify } = setup({
      nextDue: () => due,
      fire: () => {
        due = null;
        return { rows: 1, fired: 1 };
      },
    });
    await timer.start();
    notify(t0 + 2_000);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([t0 + 2_000]);
    await timer.stop();
  });

  it('keeps firing while batches come back full, then sleeps until the next due instant', async () => {
    const t0 = Date.now();
    let batches = 0;
    const { timer, fired } = setup({
      // three batches now (two of them full), then one due a minute later, then nothing
      nextDue: () => (batches < 3 ? new Date(t0) : batches === 3 ? new Date(t0 + 60_000) : null),
      fire: (n) => ({ rows: ++batches < 3 ? n : 2, fired: 1 }),
    });
    await timer.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(fired).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(fired).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fired).toHaveLength(4);
    await timer.stop();
  });

  it('does not spin when another replica holds the due rows: it looks again 100 ms later', async () => {
    const t0 = Date.now();
    const { timer, fired } = setup({ nextDue: () => new Date(t0) });
    await timer.start();
    await jest.advanceTimersByTimeAsync(1_000);
    // one try at once, then one every 100 ms
    expect(fired.length).toBeGreaterThanOrEqual(9);
    expect(fired.length).toBeLessThanOrEqual(12);
    await timer.stop();
  });
});
