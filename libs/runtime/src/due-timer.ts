// The in-process half of durable timers kept in PostgreSQL (docs/adr/0011; the SLA clocks and the automation time
// rules): one setTimeout for the earliest due instant this replica knows of. Due instants come from an index on the
// due column (at start, after every batch, and every `resyncMs`) and from NOTIFY on `channel`, which every
// transaction that moves a due instant sends on commit, so every replica learns at once of work another replica
// scheduled. Whichever replica wakes first takes the due rows (FOR UPDATE SKIP LOCKED); the others find them gone.
import type { Logger } from '@helpdesk/platform';
import type { PgListener } from './pg-listener';

/** What one batch did. */
export interface DueBatch {
  /** Rows taken; a full batch (`batchSize`) means more may be due at once. */
  rows: number;
  /** Work done for them (events written, rules fired): none while rows are due means another replica holds them. */
  fired: number;
}

// setTimeout's longest delay; a due instant further out is looked at again by the resync first anyway
const MAX_DELAY_MS = 2_147_483_647;
// when due rows exist but another replica holds them: look again shortly instead of spinning
const BUSY_RETRY_MS = 100;

export interface DueTimerOptions {
  /** What the timers are, for the log: "sla timers". */
  name: string;
  /** Where the due instants are announced (payload: epoch milliseconds). */
  listener: Pick<PgListener, 'subscribe'>;
  channel: string;
  /** Fires what is due now (one transaction, at most `batchSize` rows). */
  fire(batchSize: number): Promise<DueBatch>;
  /** The earliest instant anything is due, or null. */
  nextDue(): Promise<Date | null>;
  batchSize: number;
  resyncMs: number;
  logger: Logger;
}

export class DueTimer {
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private resync: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: DueTimerOptions) {
    options.listener.subscribe({
      channel: options.channel,
      onNotify: (payload) => {
        const at = Number(payload);
        if (Number.isFinite(at)) this.consider(at);
      },
      // notifications sent while disconnected are lost: read the index again
      onReconnect: () => void this.refresh(),
    });
  }

  /** Reads the next due instant and keeps re-reading it every `resyncMs`; the listener must be started too. */
  async start(): Promise<void> {
    this.resync = setInterval(() => void this.refresh(), this.options.resyncMs);
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.resync);
    await this.running;
  }

  /** Something may be due at `at` (epoch ms): wake then, unless already waking earlier. */
  consider(at: number): void {
    if (this.stopped) return;
    if (this.running) {
      // a batch is in progress: it looks at the earliest instant heard of meanwhile when done
      this.later(at);
      return;
    }
    if (this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.wakeAt = at;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.min(Math.max(0, at - Date.now()), MAX_DELAY_MS));
  }

  private pending: number | undefined;

  private later(at: number): void {
    if (this.pending === undefined || at < this.pending) this.pending = at;
  }

  private wake(): void {
    this.wakeAt = undefined;
    this.timer = undefined;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      const pending = this.pending;
      this.pending = undefined;
      if (pending !== undefined) this.consider(pending);
    });
  }

  private async drain(): Promise<void> {
    const { batchSize } = this.options;
    try {
      let result: DueBatch;
      let fired = 0;
      do {
        result = await this.options.fire(batchSize);
        fired += result.fired;
      } while (result.rows === batchSize && !this.stopped);
      if (fired > 0) this.options.logger.debug({ fired }, `${this.options.name} fired`);
      const next = await this.options.nextDue();
      if (next && !this.stopped) {
        // still due after a batch that did nothing: another replica holds those rows
        const at = next.getTime();
        this.later(result.fired === 0 && at <= Date.now() ? Date.now() + BUSY_RETRY_MS : at);
      }
    } catch (err) {
      this.options.logger.error({ err }, `${this.options.name}: batch failed; retrying`);
      this.later(Date.now() + 1_000);
    }
  }

  private async refresh(): Promise<void> {
    try {
      const next = await this.options.nextDue();
      if (next) this.consider(next.getTime());
    } catch (err) {
      this.options.logger.warn({ err }, `${this.options.name}: could not read the next due instant`);
    }
  }
}
