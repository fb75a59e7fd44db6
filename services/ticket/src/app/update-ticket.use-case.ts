import { checkVersion, invalidArgument, permissionDenied } from '@helpdesk/platform';
import type { Actor, Ticket } from '../domain/ticket';
import { applyTicketPatch, contactFitsClient, type TicketPatch } from '../domain/ticket-update';
import type {
  Clock,
  DirectoryReader,
  IdGenerator,
  OutboxNotifier,
  SettingsRepository,
  UnitOfWork,
} from './ports';
import { ruled } from './rule-errors';
import { checkContactFits, requireContact, requireTicketClient } from './ticket-client';
import { commitTicketChange, lockTicket } from './ticket-change';

export interface UpdateTicketCommand {
  tenantId: string;
  actor: Actor;
  id: string;
  /** If-Match: change only if the ticket is still at this version. */
  expectedVersion?: number;
  /** The plain fields; `clientId` is checked against the tenant's clients here. */
  patch: Omit<TicketPatch, 'contact'>;
  /** The new requester as a contact of the ticket's (new) client or of none. */
  contactId?: string;
}

export interface UpdateTicketDeps {
  uow: UnitOfWork;
  settings: SettingsRepository;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
  directory: DirectoryReader;
}

/**
 * PATCH /tickets/:id: status through the workflow, the other fields as given; history, to-dos and events.
 * Moving a ticket to another client: the client must be the tenant's (else NOT_FOUND), and the contact (the one
 * given, else the ticket's own) must belong to it or to no client, else INVALID_ARGUMENT: a ticket is never left
 * with another client's requester, and its contact is never dropped silently.
 */
export class UpdateTicketUseCase {
  constructor(private readonly deps: UpdateTicketDeps) {}

  async execute(command: UpdateTicketCommand): Promise<Ticket> {
    if (command.actor.type === 'contact') throw permissionDenied('contacts cannot change tickets');
    const { tenantId, patch } = command;
    const settings = await this.deps.settings.get(tenantId);
    const clientId =
      patch.clientId === undefined || patch.clientId === null
        ? patch.clientId
        : await requireTicketClient(this.deps.directory, tenantId, patch.clientId);
    const named = command.contactId
      ? await requireContact(this.deps.directory, tenantId, command.contactId)
      : null;
    const ticket = await this.deps.uow.run(async (tx) => {
      const before = await lockTicket(tx, tenantId, command.id);
      checkVersion('the ticket', command.expectedVersion, before.version);
      const target = clientId === undefined ? before.clientId : clientId;
      if (named) checkContactFits(named, target, 'contactId');
      else if (target !== before.clientId) await this.checkOwnContact(before, target);
      const now = this.deps.clock.now();
      const full: TicketPatch = {
        ...patch,
        ...(clientId !== undefined ? { clientId } : {}),
        ...(named ? { contact: { id: named.id, email: named.email, name: named.name } } : {}),
      };
      const { ticket: after, effects } = ruled(() => applyTicketPatch(before, full, now, settings));
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

  // moving the client alone keeps the ticket's contact only where it fits; otherwise the caller names one
  private async checkOwnContact(ticket: Ticket, clientId: string | null): Promise<void> {
    const contact = ticket.contactId
      ? await this.deps.directory.findContact(ticket.tenantId, ticket.contactId)
      : null;
    if (!contact || contactFitsClient(contact.clientId, clientId)) return;
    const message = `the ticket's contact ${contact.email} belongs to another client; name the new client's contact with contactId`;
    throw invalidArgument(`contactId: ${message}`, [{ path: ['contactId'], message }]);
  }
}
