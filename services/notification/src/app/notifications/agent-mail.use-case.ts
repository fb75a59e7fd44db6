import { composeAgentMail } from '../../domain/notification-mail';
import type { Clock } from '../ports';
import type { AgentMailQueue, MailBatch, PlannedAgentMail } from './ports';

export interface AgentMailOptions {
  /** How long the first notification of a batch waits for the ones that follow it. */
  batchWindowMs: number;
  batchLimit: number;
  appBaseUrl: string;
}

/**
 * Agent e-mail per preferences: the notifications of one user and ticket that arrive within the batch window go
 * out as one mail through the tenant's default mailbox (the dispatcher of customer mail sends it).
 */
export class AgentMailUseCase {
  constructor(private readonly deps: { queue: AgentMailQueue; clock: Clock; options: AgentMailOptions }) {}

  /** One round: answers how many batches became mail (or were dropped). */
  round(): Promise<number> {
    const { queue, clock, options } = this.deps;
    return queue.flushDue(clock.now(), options.batchWindowMs, options.batchLimit, (batch) =>
      this.plan(batch),
    );
  }

  plan(batch: MailBatch): PlannedAgentMail | null {
    const user = batch.user;
    if (!user || !user.active || !user.email) return null;
    const first = batch.items[0];
    const composed = composeAgentMail({
      userName: user.name,
      ticketId: batch.ticketId,
      ticketNumber: first?.ticketNumber ?? null,
      lines: batch.items.map((i) => ({
        title: i.title,
        body: i.body,
        actorName: i.actorName,
        createdAt: i.createdAt,
      })),
      appBaseUrl: this.deps.options.appBaseUrl,
    });
    return { to: user.email, ...composed };
  }
}
