import { failedPrecondition, invalidArgument, permissionDenied } from '@helpdesk/platform';
import { normalizeCc, type Actor, type Ticket } from '../domain/ticket';
import { applyToTicket } from '../domain/ticket-update';
import type {
  Clock,
  HtmlSanitizer,
  IdGenerator,
  OutboxNotifier,
  SettingsRepository,
  UnitOfWork,
} from './ports';
import { commitTicketChange, lockTicket } from './ticket-change';
import { writeMessage } from './thread-writer';

export interface MergeTicketCommand {
  tenantId: string;
  actor: Actor;
  ticketId: string;
  intoTicketId: string;
}

export interface MergeTicketDeps {
  uow: UnitOfWork;
  settings: SettingsRepository;
  sanitizer: HtmlSanitizer;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * POST /tickets/:id/merge (docs/product/tickets.md "Merge"): the thread moves to the surviving ticket, the merged
 * ticket closes and points at it, and its requester and copies join the survivor's cc so that they
 * keep hearing about it (as Zendesk does).
 */
export class MergeTicketUseCase {
  constructor(private readonly deps: MergeTicketDeps) {}

  async execute(command: MergeTicketCommand): Promise<{ ticket: Ticket; into: Ticket }> {
    const { tenantId, actor } = command;
    if (actor.type === 'contact') throw permissionDenied('contacts cannot merge tickets');
    if (command.ticketId.toLowerCase() === command.intoTicketId.toLowerCase()) {
      throw invalidArgument('a ticket cannot be merged into itself', [
        { path: ['intoTicketId'], message: 'same ticket' },
      ]);
    }
    const settings = await this.deps.settings.get(tenantId);
    const result = await this.deps.uow.run(async (tx) => {
      // always lock in the same order, so that two opposite merges wait for each other instead of deadlocking
      const [firstId, secondId] = [command.ticketId, command.intoTicketId].sort();
      const first = await lockTicket(tx, tenantId, firstId!);
      const second = await lockTicket(tx, tenantId, secondId!);
      const source = first.id === command.ticketId.toLowerCase() ? first : second;
      const target = source === first ? second : first;
      if (target.mergedIntoId)
        throw failedPrecondition(
          `ticket #${target.number} was itself merged; merge into the ticket it points at`,
        );
      if (target.status === 'closed')
        throw failedPrecondition(`ticket #${target.number} is closed; reopen it before merging into it`);

      const now = this.deps.clock.now();
      const scope = { tx, actor, now, ids: this.deps.ids, cause: 'merge' };
      const closing = applyToTicket(source, { type: 'merged_into', ticketId: target.id }, now, settings);
      const moved = await tx.messages.moveAll(tenantId, source.id, target.id);
      await tx.attachments.moveAll(tenantId, source.id, target.id);

      const note = (text: string) => this.deps.sanitizer.sanitize(text);
      await writeMessage({
        tx,
        ids: this.deps.ids,
        ticket: target,
        actor,
        input: { kind: 'system' },
        body: note(`Ticket #${source.number} "${source.title}" was merged into this ticket.`),
        now,
      });
      const survivor = {
        ...target,
        cc: normalizeCc([...target.cc, source.requester.email, ...source.cc], target.requester.email),
      };
      const into = await commitTicketChange(scope, target, survivor, []);
      await tx.tickets.rebuildSearch(tenantId, target.id);

      const merged = await commitTicketChange(scope, source, closing.ticket, closing.effects);
      await writeMessage({
        tx,
        ids: this.deps.ids,
        ticket: merged.ticket,
        actor,
        input: { kind: 'system' },
        body: note(`This ticket was merged into #${target.number} "${target.title}".`),
        now,
      });
      await tx.tickets.rebuildSearch(tenantId, source.id);
      await tx.outbox.enqueue({
        type: 'helpdesk.ticket.merged',
        tenantId,
        ticket: merged.ticket,
        actor,
        into: into.ticket,
        movedMessages: moved,
      });
      return { ticket: merged.ticket, into: into.ticket };
    });
    this.deps.outbox.nudge();
    return result;
  }
}
