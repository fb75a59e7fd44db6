import { fireDue } from '../domain';
import { storeStep } from './clock-steps';
import type { ClockUnitOfWork, OutboxNotifier, TimeSource } from './ports';

export interface FireResult {
  /** Tickets looked at. */
  tickets: number;
  /** SLA events written (warnings and breaches). */
  events: number;
}

/**
 * The timers' work: in one transaction, locks the tickets whose warning or due time has come (earliest first,
 * skipping those another replica holds), raises each warning and breach once, and writes their events to the
 * outbox. The row update is conditional on the ticket's SLA sequence, so a target can never fire twice.
 */
export class FireDueTimersUseCase {
  constructor(private readonly deps: { uow: ClockUnitOfWork; outbox: OutboxNotifier; clock: TimeSource }) {}

  async execute(limit: number): Promise<FireResult> {
    const now = this.deps.clock.now();
    const result = await this.deps.uow.run(async (tx) => {
      const rows = await tx.lockDue(now, limit);
      let events = 0;
      for (const row of rows) {
        if (!row.clocks) continue;
        const step = fireDue(row.clocks, now);
        const stored = await storeStep(tx, row.facts, row, step.clocks, step.changes, { skipIfMoved: true });
        if (stored) events += stored.sequence - row.sequence;
      }
      return { tickets: rows.length, events };
    });
    if (result.events > 0) this.deps.outbox.nudge();
    return result;
  }
}
