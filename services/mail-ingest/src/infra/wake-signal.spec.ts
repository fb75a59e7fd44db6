import { WakeSignal } from './wake-signal';

// resolves with how the wait ended: 'woken' if `done` settled within `withinMs`, else 'still waiting'
async function settleOf(done: Promise<void>, withinMs = 20): Promise<'woken' | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still waiting'>(
    (resolve) => (timer = setTimeout(() => resolve('still waiting'), withinMs)),
  );
  const outcome = await Promise.race([done.then(() => 'woken' as const), late]);
  clearTimeout(timer);
  return outcome;
}

describe('WakeSignal', () => {
  it('remembers a raise that came while nobody waited: the next wait returns at once, and consumes it', async () => {
    const signal = new WakeSignal();
    signal.raise(); // e.g. EXISTS during a fetch round
    expect(await settleOf(signal.wait(60_000).done)).toBe('woken');
    const next = signal.wait(60_000);
    expect(await settleOf(next.done)).toBe('still waiting');
    next.end();
  });

  it('counts several raises between two waits as one', async () => {
    const signal = new WakeSignal();
    signal.raise();
    signal.raise();
    expect(await settleOf(signal.wait(60_000).done)).toBe('woken');
    const next = signal.wait(60_000);
    expect(await settleOf(next.done)).toBe('still waiting');
    next.end();
  });

  it('wakes a wait in progress, and that raise is not left over for the next wait', async () => {
    const signal = new WakeSignal();
    const wait = signal.wait(60_000);
    expect(await settleOf(wait.done)).toBe('still waiting');
    signal.raise();
    expect(await settleOf(wait.done)).toBe('woken');
    const next = signal.wait(60_000);
    expect(await settleOf(next.done)).toBe('still waiting');
    next.end();
  });

  it('ends a wait when its time is up', async () => {
    const signal = new WakeSignal();
    const wait = signal.wait(30);
    expect(await settleOf(wait.done, 5)).toBe('still waiting');
    expect(await settleOf(wait.done, 200)).toBe('woken');
  });

  it('take() answers whether a raise is pending, once', () => {
    const signal = new WakeSignal();
    expect(signal.take()).toBe(false);
    signal.raise();
    expect(signal.take()).toBe(true);
    expect(signal.take()).toBe(false);
  });

  it('end() ends only its own wait: called late it neither raises the signal nor ends a later wait', async () => {
    const signal = new WakeSignal();
    const first = signal.wait(60_000);
    signal.raise();
    await first.done;
    const second = signal.wait(60_000);
    first.end(); // e.g. IDLE ended by our own next command, after that round's wait was over
    expect(await settleOf(second.done)).toBe('still waiting');
    second.end();
    expect(await settleOf(second.done)).toBe('woken');
    expect(signal.take()).toBe(false);
  });
});
