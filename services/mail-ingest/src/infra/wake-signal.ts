/** One wait of a {@link WakeSignal}. */
export interface Wait {
  /** Resolves when the time is up, the signal was raised, or `end()` was called. */
  readonly done: Promise<void>;
  /** Ends this wait only (no-op once it is over); the signal stays as it is. */
  end(): void;
}

/**
 * A level-triggered wake-up: `raise()` while nobody waits is remembered, so the next `wait()` returns at once. A
 * wake-up that comes while the work runs (new mail during a fetch round) is therefore never lost.
 */
export class WakeSignal {
  private raised = false;
  private waiter: (() => void) | null = null;

  /** Wakes the current wait, or the next one if nobody waits now. */
  raise(): void {
    if (this.waiter) this.waiter();
    else this.raised = true;
  }

  /** Consumes a raise that came since the last wait; true if there was one. */
  take(): boolean {
    const raised = this.raised;
    this.raised = false;
    return raised;
  }

  /** Waits up to `ms`, less if the signal is (or was, since the last wait) raised; consumes the raise. */
  wait(ms: number): Wait {
    // one waiter at a time: a new wait ends the one before
    this.waiter?.();
    if (this.take()) return { done: Promise.resolve(), end: () => undefined };
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    let over = false;
    const finish = (): void => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      if (this.waiter === finish) this.waiter = null;
      resolve();
    };
    const timer = setTimeout(finish, ms);
    this.waiter = finish;
    return { done, end: finish };
  }
}
