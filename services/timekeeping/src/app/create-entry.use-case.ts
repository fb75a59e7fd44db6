import { permissionDenied } from '@helpdesk/platform';
import type { EntryView, TicketInfo } from '../domain/entry';
import { normalizeNote, normalizeWorkType, resolveSpan } from '../domain/time-rules';
import type { Clock, IdGenerator, OutboxNotifier, TicketCatalog, UnitOfWork } from './ports';
import { emitEntryEvent, entryView, requireUser, ruled, ticketOf, type Caller } from './support';

export interface CreateEntryCommand {
  tenantId: string;
  caller: Caller;
  /** Whose time it is; the caller's when absent. Only an admin logs time for someone else. */
  userId?: string | undefined;
  ticket: TicketInfo;
  startedAt?: Date | undefined;
  endedAt?: Date | undefined;
  durationMinutes?: number | undefined;
  note: string;
  workType: string | null;
  billable?: boolean | undefined;
}

export interface CreateEntryDeps {
  uow: UnitOfWork;
  tickets: TicketCatalog;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Logs a manual entry: start and end, or a duration (docs/product/time-tracking.md);
 * billable unless said otherwise.
 */
export class CreateEntryUseCase {
  constructor(private readonly deps: CreateEntryDeps) {}

  async execute(command: CreateEntryCommand): Promise<EntryView> {
    const callerId = requireUser(command.caller);
    const userId = command.userId ?? callerId;
    if (userId !== callerId && !command.caller.admin) {
      throw permissionDenied('Only an admin can log time for another user');
    }
    const now = this.deps.clock.now();
    const span = ruled(() => resolveSpan(command, now));
    const note = ruled(() => normalizeNote(command.note));
    const workType = ruled(() => normalizeWorkType(command.workType));
    await this.deps.tickets.record(command.ticket);
    const entry = await this.deps.uow.run(async (tx) => {
      const tickets = await tx.lockTickets(command.tenantId, [command.ticket.id]);
      const view = entryView(
        {
          id: this.deps.ids.newId(),
          tenantId: command.tenantId,
          ticketId: command.ticket.id,
          userId,
          ...span,
          note,
          billable: command.billable ?? true,
          workType,
          flagged: false,
          flagReason: null,
          source: 'manual',
          createdBy: callerId,
          createdAt: now,
          updatedAt: now,
          version: 1,
        },
        ticketOf(tickets, command.ticket.id),
      );
      await tx.insertEntry(view);
      await emitEntryEvent(tx, 'helpdesk.time.entry_created', view, callerId);
      return view;
    });
    this.deps.outbox.nudge();
    return entry;
  }
}
