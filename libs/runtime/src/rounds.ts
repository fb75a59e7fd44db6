// A worker that runs rounds of work one after the other: at once when it is woken (work was just written), after a
// round that found work, and after `idleMs` otherwise (work written by other replicas, retries coming due). Every
// replica runs one; the rounds claim their rows with SKIP LOCKED, so the replicas share the work.
import type { Logger } from '@helpdesk/platform';
import { outsideTrace } from '@helpdesk/telemetry';

export interface RoundsOptions {
  /** What the worker does, for the log: "webhook deliveries". */
  name: string;
  /** One round; answers how many items it handled. */
  round(): Promise<number>;
  /** The wait after a round that handled nothing or failed. */
  idleMs: number;
  /** false: wait `idleMs` after every round, busy or not (a batcher that collects between rounds). Default true. */
  againWhenBusy?: boolean;
  /** false: no rounds of its own; `now()` still runs one (tests that drive the rounds). Default true. */
  autostart?: boolean;
  logger: Logger;
}

export interface Rounds {
  /** Runs a round soon: work was written. */
  wake(): void;
  /** Runs a round after the one in progress and answers what it handled. */
  now(): Promise<number>;
  /** Schedules no more rounds and waits for the one in progress. */
  stop(): Promise<void>;
}

export function startRounds(options: RoundsOptions): Rounds {
  let stopped = options.autostart === false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<number> = Promise.resolve(0);
  const now = (): Promise<number> => {
    current = current.then(options.round, options.round);
    return current;
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    // woken from event and gRPC handlers: the rounds belong to no caller's trace
    timer = outsideTrace(() =>
      setTimeout(() => {
        void now()
          .catch((err: unknown) => {
            options.logger.warn({ err }, `${options.name} round failed`);
            return 0;
          })
          .then((handled) => schedule(handled > 0 && options.againWhenBusy !== false ? 0 : options.idleMs));
      }, delay),
    );
  };
  schedule(options.againWhenBusy === false ? options.idleMs : 0);
  return {
    wake: () => schedule(0),
    now,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
