// The in-process half of the time rules' timers (the SLA service's design, docs/adr/0011): one setTimeout for the
// earliest due instant this replica knows of, learnt from the index on timers.due_at (at start, after every batch,
// every `resyncMs`) and from NOTIFY on TIMERS_CHANNEL, which every commit that arms a timer sends to every replica.
// Whichever replica wakes first takes the due rows (FOR UPDATE SKIP LOCKED); the others find them gone.
import type { Logger } from '@helpdesk/platform';
import { Client } from 'pg';
import { TIMERS_CHANNEL } from './pg-store';

const MAX_DELAY_MS = 2_147_483_647;
const BUSY_RETRY_MS = 100;

export interface TimerLoopOptions {
  databaseUrl: string;
  fire(batch: number): Promise<{ timers: number }>;
  nextDue(): Promise<Date | null>;
  batch: number;
  resyncMs: number;
  logger: Logger;
}

export class TimerLoop {
  private listener: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private resync: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pending: number | undefined;
  private stopped = false;

  constructor(private readonly options: TimerLoopOptions) {}

  async start(): Promise<void> {
    await this.listen();
    this.resync = setInterval(() => void this.refresh(), this.options.resyncMs);
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.resync);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }

  /** Something may be due at `at` (epoch ms): wake then, unless already waking earlier. */
  consider(at: number): void {
    if (this.stopped) return;
    if (this.running) {
      if (this.pending === undefined || at < this.pending) this.pending = at;
      return;
    }
    if (this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.wakeAt = at;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.min(Math.max(0, at - Date.now()), MAX_DELAY_MS));
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
    try {
      let result: { timers: number };
      do result = await this.options.fire(this.options.batch);
      while (result.timers === this.options.batch && !this.stopped);
      const next = await this.options.nextDue();
      if (next && !this.stopped) {
        const at = next.getTime();
        // still due after a batch: another replica holds those rows
        const when = at <= Date.now() ? Date.now() + BUSY_RETRY_MS : at;
        if (this.pending === undefined || when < this.pending) this.pending = when;
      }
    } catch (err) {
      this.options.logger.error({ err }, 'automation timer batch failed; retrying');
      this.pending = Date.now() + 1_000;
    }
  }

  private async refresh(): Promise<void> {
    try {
      const next = await this.options.nextDue();
      if (next) this.consider(next.getTime());
    } catch (err) {
      this.options.logger.warn({ err }, 'automation timers could not read the next due instant');
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl });
    client.on('notification', (msg) => {
      const at = Number(msg.payload);
      if (Number.isFinite(at)) this.consider(at);
    });
    client.on('error', (err) => {
      this.options.logger.warn({ err }, 'automation timer listener failed; reconnecting');
      void client.end().catch(() => undefined);
      setTimeout(() => {
        // notifications sent meanwhile are lost: read the index again
        if (!this.stopped)
          void this.listen().then(
            () => this.refresh(),
            () => undefined,
          );
      }, 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${TIMERS_CHANNEL}`);
    this.listener = client;
  }
}
