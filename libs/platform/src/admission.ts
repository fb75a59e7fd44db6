/** Bounds of an {@link AdmissionLimiter}. */
export interface AdmissionLimits {
  /** Work items running at once. */
  maxInFlight: number;
  /** Items waiting for a slot; one more is refused at once. */
  maxQueued: number;
  /** The longest an item waits for a slot before it is refused. */
  maxQueueMs: number;
}

/** Frees the slot an admitted item holds; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface Waiter {
  admit: (release: ReleaseSlot) => void;
  timer: NodeJS.Timeout;
}

/**
 * Admission control: at most `maxInFlight` items run, at most `maxQueued` wait (first come, first served) and
 * none waits longer than `maxQueueMs`. Past that an item is refused at once, so that overload turns into quick
 * refusals the caller can retry instead of a queue that grows until every deadline has passed.
 */
export class AdmissionLimiter {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly limits: Readonly<AdmissionLimits>) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < (name === 'maxInFlight' ? 1 : 0)) {
        throw new RangeError(
          `AdmissionLimiter: ${name} must be a non-negative integer (maxInFlight at least 1)`,
        );
      }
    }
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  /**
   * A slot, or undefined when the item is refused (queue full, or no slot within `maxWaitMs`, which is capped
   * by `maxQueueMs`: pass the time left before the caller's deadline).
   */
  acquire(maxWaitMs: number = this.limits.maxQueueMs): Promise<ReleaseSlot | undefined> {
    if (this.running < this.limits.maxInFlight && this.queue.length === 0) {
      this.running += 1;
      return Promise.resolve(this.releaser());
    }
    const wait = Math.min(maxWaitMs, this.limits.maxQueueMs);
    if (this.queue.length >= this.limits.maxQueued || wait <= 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: resolve,
        timer: setTimeout(() => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          resolve(undefined);
        }, wait),
      };
      this.queue.push(waiter);
    });
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) {
        // the slot passes straight to the oldest waiter: `running` stays the same
        clearTimeout(next.timer);
        next.admit(this.releaser());
      } else {
        this.running -= 1;
      }
    };
  }
}
