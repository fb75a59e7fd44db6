import type { Logger } from '@helpdesk/platform';
import type { MailPipeline } from '../app/mail-pipeline';
import type { InboundRepository } from '../app/ports';
import { mapLimit } from './concurrency';
import { processInSpan } from './mail-spans';

/** Picks up mails whose retry is due, and mails a crashed worker left half done (expired claims). */
export class RetryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly inbound: InboundRepository,
    private readonly pipeline: MailPipeline,
    private readonly logger: Logger,
    private readonly options: { intervalMs: number; concurrency: number },
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.round()
        .catch((err: unknown) => this.logger.warn({ err }, 'mail retry round failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  private async round(): Promise<void> {
    const ids = await this.inbound.due(new Date(), 100);
    await mapLimit(ids, this.options.concurrency, (id) => processInSpan(this.pipeline, id, {}, true));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
