import { notFound, permissionDenied } from '@helpdesk/platform';
import {
  applyEntryPatch,
  mayChangeEntry,
  type EntryPatch,
  type EntryView,
  type TicketInfo,
  type TimeEntry,
} from '../domain/entry';
import type { Clock, OutboxNotifier, TimeTransaction, UnitOfWork } from './ports';
import {
  checkVersion,
  emitEntryEvent,
  entryView,
  requireUser,
  requireUuidOrNotFound,
  ruled,
  ticketOf,
  type Caller,
} from './support';

export interface UpdateEntryCommand extends EntryPatch {
  tenantId: string;
  caller: Caller;
  id: string;
  expectedVersion?: number | undefined;
}

export interface EntryChangeDeps {
  uow: UnitOfWork;
  outbox: OutboxNotifier;
  clock: Clock;
}

/** Changes an entry: its own user or an admin, optionally only at the version the caller read (If-Match). */
export class UpdateEntryUseCase {
  constructor(private readonly deps: EntryChangeDeps) {}

  async execute(command: UpdateEntryCommand): Promise<EntryView> {
    const entry = await this.deps.uow.run(async (tx) => {
      const { current, ticket, userId } = await lockEntryForChange(tx, command, 'change');
      const next = ruled(() => applyEntryPatch(current, command, this.deps.clock.now()));
      const view = entryView(next, ticket);
      await tx.updateEntry(view);
      await emitEntryEvent(tx, 'helpdesk.time.entry_updated', view, userId);
      return view;
    });
    this.deps.outbox.nudge();
    return entry;
  }
}

/**
 * Locks an entry and its ticket for a change by the caller: NOT_FOUND for no such entry in the tenant,
 * PERMISSION_DENIED unless the caller is its user or an admin, CONFLICT when If-Match names an older version.
 */
export async function lockEntryForChange(
  tx: TimeTransaction,
  command: { tenantId: string; caller: Caller; id: string; expectedVersion?: number | undefined },
  verb: 'change' | 'delete',
): Promise<{ current: TimeEntry; ticket: TicketInfo; userId: string }> {
  const userId = requireUser(command.caller);
  const id = requireUuidOrNotFound(command.id, 'time entry');
  const current = await tx.findEntryForUpdate(command.tenantId, id);
  if (!current) throw notFound('time entry');
  if (!mayChangeEntry(current, { userId, admin: command.caller.admin })) {
    throw permissionDenied(`Only the entry's user or an admin can ${verb} it`);
  }
  checkVersion('The time entry', command.expectedVersion, current.version);
  const tickets = await tx.lockTickets(command.tenantId, [current.ticketId]);
  return { current, ticket: ticketOf(tickets, current.ticketId), userId };
}
