import { conflict, permissionDenied } from '@helpdesk/platform';
import type { Actor, Ticket } from '../domain/ticket';
import { applyTicketPatch, type TicketPatch } from '../domain/ticket-update';
import type { Clock, IdGenerator, OutboxNotifier, SettingsRepository, UnitOfWork } from './ports';
import { ruled } from './rule-errors';
import { commitTicketChange, lockTicket } from './ticket-change';

export interface UpdateTicketCommand {
  tenantId: string;
  actor: Actor;
  id: string;
  /** If-Match: change only if the ticket is still at this version. */
  expectedVersion?: number;
  patch: TicketPatch;
}

export interface UpdateTicketDeps {
  uow: UnitOfWork;
  settings: SettingsRepository;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

/** PATCH /tickets/:id: status through the workflow, the other fields as given; history, to-dos and events. */
export class UpdateTicketUseCase {
  constructor(private readonly deps: UpdateTicketDeps) {}

  async execute(command: UpdateTicketCommand): Promise<Ticket> {
    if (command.actor.type === 'contact') throw permissionDenied('contacts cannot change tickets');
    const settings = await this.deps.settings.get(command.tenantId);
    const ticket = await this.deps.uow.run(async (tx) => {
      const before = await lockTicket(tx, command.tenantId, command.id);
      if (command.expectedVersion !== undefined && command.expectedVersion !== before.version) {
        throw conflict(`the ticket was changed by someone else (version ${before.version}, not ${command.expectedVersion})`, {
          currentVersion: before.version,
        });
      }
      const now = this.deps.clock.now();
      const { ticket: after, effects } = ruled(() => applyTicketPatch(before, command.patch, now, settings));
      const { ticket: stored } = await commitTicketChange(
        { tx, actor: command.actor, now, ids: this.deps.ids, cause: 'update' },
        before,
        after,
        effects,
      );
      return stored;
    });
    this.deps.outbox.nudge();
    return ticket;
  }
}
