import type { TicketInfo } from '../domain/entry';
import { normalizeNote, normalizeWorkType } from '../domain/time-rules';
import { stopTimer, type RunningTimer } from '../domain/timer';
import {
  TimerAlreadyRunningError,
  type Clock,
  type IdGenerator,
  type OutboxNotifier,
  type TicketCatalog,
  type TimerStatus,
  type TimeTransaction,
  type UnitOfWork,
} from './ports';
import type { EntryView } from '../domain/entry';
import {
  emitEntryEvent,
  entryView,
  requireUser,
  ruled,
  ticketOf,
  timerStatus,
  timerView,
  type Caller,
} from './support';

export interface StartTimerCommand {
  tenantId: string;
  caller: Caller;
  ticket: TicketInfo;
  note: string;
  workType: string | null;
  billable?: boolean | undefined;
}

export interface StartTimerResult {
  timer: TimerStatus;
  /** The entry logged from the timer that was running before, if one was. */
  stopped: EntryView | null;
}

export interface TimerDeps {
  uow: UnitOfWork;
  tickets: TicketCatalog;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

// Two starts of one user racing: the loser's insert hits the one-timer-per-user key and retries, now seeing
// (and stopping) the winner's timer. More than a few rounds would mean a bug, not a race.
const MAX_ATTEMPTS = 3;

/**
 * Starts the caller's timer on a ticket; a timer already running for the caller on another ticket is stopped and
 * logged first. Starting the ticket whose timer already runs changes nothing and answers that timer (a double
 * click must not log a one-minute entry).
 */
export class StartTimerUseCase {
  constructor(private readonly deps: TimerDeps) {}

  async execute(command: StartTimerCommand): Promise<StartTimerResult> {
    const userId = requireUser(command.caller);
    const note = ruled(() => normalizeNote(command.note));
    const workType = ruled(() => normalizeWorkType(command.workType));
    await this.deps.tickets.record(command.ticket);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.deps.uow.run((tx) =>
          this.switchTimer(tx, command, { userId, note, workType }),
        );
        this.deps.outbox.nudge();
        return result;
      } catch (err) {
        if (!(err instanceof TimerAlreadyRunningError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  private async switchTimer(
    tx: TimeTransaction,
    command: StartTimerCommand,
    input: { userId: string; note: string; workType: string | null },
  ): Promise<StartTimerResult> {
    const { tenantId } = command;
    const running = await tx.findTimerForUpdate(tenantId, input.userId);
    const tickets = await tx.lockTickets(
      tenantId,
      running ? [command.ticket.id, running.ticketId] : [command.ticket.id],
    );
    const now = this.deps.clock.now();
    if (running?.ticketId === command.ticket.id) {
      return {
        timer: timerStatus(timerView(running, ticketOf(tickets, running.ticketId)), now),
        stopped: null,
      };
    }
    const stopped = running
      ? await logStoppedTimer(tx, running, ticketOf(tickets, running.ticketId), now, {}, input.userId)
      : null;
    const timer: RunningTimer = {
      id: this.deps.ids.newId(),
      tenantId,
      userId: input.userId,
      ticketId: command.ticket.id,
      startedAt: now,
      note: input.note,
      billable: command.billable ?? true,
      workType: input.workType,
    };
    await tx.insertTimer(timer);
    const status = timerStatus(timerView(timer, ticketOf(tickets, timer.ticketId)), now);
    const state = await tx.nextTicketState(tenantId, timer.ticketId);
    await tx.enqueue({
      type: 'helpdesk.time.timer_started',
      tenantId,
      ticketId: timer.ticketId,
      state,
      actorUserId: input.userId,
      timer: status,
    });
    return { timer: status, stopped };
  }
}

/** Turns a locked running timer into an entry with the same id, and writes its `timer_stopped` event. */
export async function logStoppedTimer(
  tx: TimeTransaction,
  timer: RunningTimer,
  ticket: TicketInfo,
  now: Date,
  choices: Parameters<typeof stopTimer>[2],
  actorUserId: string,
): Promise<EntryView> {
  const stopped = stopTimer(timer, now, choices);
  const entry = entryView(
    {
      id: timer.id,
      tenantId: timer.tenantId,
      ticketId: timer.ticketId,
      userId: timer.userId,
      ...stopped,
      source: 'timer',
      createdBy: timer.userId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    },
    ticket,
  );
  await tx.deleteTimer(timer);
  await tx.insertEntry(entry);
  await emitEntryEvent(tx, 'helpdesk.time.timer_stopped', entry, actorUserId);
  return entry;
}
