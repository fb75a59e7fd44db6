import { failedPrecondition } from '@helpdesk/platform';
import type { EntryView } from '../domain/entry';
import { normalizeNote, normalizeWorkType } from '../domain/time-rules';
import { logStoppedTimer, type TimerDeps } from './start-timer.use-case';
import { requireUser, ruled, ticketOf, type Caller } from './support';

export interface StopTimerCommand {
  tenantId: string;
  caller: Caller;
  ticketId: string;
  note?: string | undefined;
  billable?: boolean | undefined;
  /** null (or empty) clears it. */
  workType?: string | null | undefined;
}

/**
 * Stops the caller's timer on a ticket and logs it. No timer running, or the caller's timer running on another
 * ticket, answers FAILED_PRECONDITION (HTTP 409) with the reason in the details.
 */
export class StopTimerUseCase {
  constructor(private readonly deps: Pick<TimerDeps, 'uow' | 'outbox' | 'clock'>) {}

  async execute(command: StopTimerCommand): Promise<EntryView> {
    const userId = requireUser(command.caller);
    const choices = {
      note: command.note === undefined ? undefined : ruled(() => normalizeNote(command.note ?? '')),
      workType:
        command.workType === undefined ? undefined : ruled(() => normalizeWorkType(command.workType ?? null)),
      billable: command.billable,
    };
    const entry = await this.deps.uow.run(async (tx) => {
      const running = await tx.findTimerForUpdate(command.tenantId, userId);
      if (!running) {
        throw failedPrecondition('No timer is running', { reason: 'no_running_timer' });
      }
      const tickets = await tx.lockTickets(command.tenantId, [running.ticketId]);
      const ticket = ticketOf(tickets, running.ticketId);
      if (running.ticketId !== command.ticketId) {
        throw failedPrecondition(`Your running timer is on another ticket (#${ticket.number})`, {
          reason: 'timer_on_other_ticket',
          ticketId: running.ticketId,
          ticketNumber: ticket.number,
        });
      }
      return logStoppedTimer(tx, running, ticket, this.deps.clock.now(), choices, userId);
    });
    this.deps.outbox.nudge();
    return entry;
  }
}
