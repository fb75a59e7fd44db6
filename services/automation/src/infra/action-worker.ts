// The in-process loop of the action worker: woken by NOTIFY on RUNS_CHANNEL (sent by every commit that planned
// actions, to every replica), and every `pollMs` for runs whose lease ran out (a crashed replica's, a postponed
// action's). Each round claims runs with SKIP LOCKED, so replicas never apply one run twice at once.
import type { Logger } from '@helpdesk/platform';
import { Client } from 'pg';
import { RUNS_CHANNEL } from './pg-store';

export interface ActionWorkerOptions {
  databaseUrl: string;
  /** One round: applies up to `batch` runs; answers how many were claimed. */
  round(batch: number): Promise<number>;
  batch: number;
  pollMs: number;
  logger: Logger;
}

export class ActionWorker {
  private listener: Client | undefined;
  private poll: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly options: ActionWorkerOptions) {}

  async start(): Promise<void> {
    await this.listen();
    this.poll = setInterval(() => this.wake(), this.options.pollMs);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }

  /** Runs a round now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.options.round(this.options.batch)) === this.options.batch);
    } catch (err) {
      this.options.logger.error({ err }, 'automation action round failed; retrying at the next poll');
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (err) => {
      this.options.logger.warn({ err }, 'automation listener failed; reconnecting');
      void client.end().catch(() => undefined);
      if (this.listener === client) this.listener = undefined;
      setTimeout(() => {
        if (!this.stopped)
          void this.listen()
            .catch(() => undefined)
            .then(() => this.wake());
      }, 1_000);
    });
    await client.connect();
    await client.query(`LISTEN ${RUNS_CHANNEL}`);
    this.listener = client;
  }
}
