// One LISTEN connection per process for the notifications replicas send each other through PostgreSQL: due
// instants for the timers, and policy changes for the policy cache. Reconnects with backoff; since notifications
// sent while disconnected are lost, every subscriber is told to resynchronise after a reconnect.
import type { Logger } from '@helpdesk/platform';
import { Client } from 'pg';

const RECONNECT_MAX_MS = 10_000;
const CHANNEL = /^[a-z_]+$/;

export interface ListenerSubscription {
  channel: string;
  onNotify(payload: string): void;
  /** After a reconnect: whatever was announced meanwhile was missed. */
  onReconnect(): void;
}

export class PgListener {
  private client: Client | undefined;
  private readonly subscriptions: ListenerSubscription[] = [];
  private stopped = false;
  private attempts = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Adds a subscription; call before start(). */
  subscribe(subscription: ListenerSubscription): void {
    if (!CHANNEL.test(subscription.channel)) throw new Error(`invalid channel ${subscription.channel}`);
    this.subscriptions.push(subscription);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (msg) => {
      for (const s of this.subscriptions) if (s.channel === msg.channel) s.onNotify(msg.payload ?? '');
    });
    client.on('error', (err) => {
      this.logger.warn({ err }, 'pg listener failed; reconnecting');
      void this.reconnect(client);
    });
    await client.connect();
    for (const channel of new Set(this.subscriptions.map((s) => s.channel)))
      await client.query(`LISTEN ${channel}`);
    this.client = client;
    this.attempts = 0;
  }

  private async reconnect(broken: Client): Promise<void> {
    if (this.stopped || this.client !== broken) return;
    this.client = undefined;
    await broken.end().catch(() => undefined);
    while (!this.stopped) {
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** this.attempts++, RECONNECT_MAX_MS)));
      try {
        await this.connect();
        for (const s of this.subscriptions) s.onReconnect();
        return;
      } catch (err) {
        this.logger.warn({ err }, 'pg listener could not reconnect');
      }
    }
  }
}
