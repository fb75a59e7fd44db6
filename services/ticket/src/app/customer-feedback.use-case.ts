import { failedPrecondition, invalidArgument, permissionDenied } from '@helpdesk/platform';
import type { Actor, Ticket } from '../domain/ticket';
import { applyToTicket } from '../domain/ticket-update';
import type {
  Clock,
  DirectoryReader,
  IdGenerator,
  OutboxNotifier,
  SettingsRepository,
  TicketRepository,
  UnitOfWork,
} from './ports';
import { requireVisible, viewerFor } from './portal-viewer';
import { commitTicketChange, lockTicket } from './ticket-change';

export interface FeedbackDeps {
  uow: UnitOfWork;
  tickets: TicketRepository;
  directory: DirectoryReader;
  settings: SettingsRepository;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

export const RATING_COMMENT_MAX_LENGTH = 2_000;

/** What a customer does with a resolution in the portal (docs/product/portal.md): confirm it, and rate it 1–5. */
export class CustomerFeedbackUseCases {
  constructor(private readonly deps: FeedbackDeps) {}

  /**
   * Confirms a resolved ticket: it closes (docs/product/tickets.md "Status workflow": a
   * resolved ticket the customer confirms → closed).
   */
  async confirm(command: { tenantId: string; actor: Actor; ticketId: string }): Promise<Ticket> {
    return this.change(command, 'confirm', async (ticket, now) => {
      const settings = await this.deps.settings.get(command.tenantId);
      return applyToTicket(ticket, { type: 'customer_confirm' }, now, settings);
    });
  }

  /** Rates a resolved or closed ticket; a later rating replaces the earlier one. */
  async rate(command: {
    tenantId: string;
    actor: Actor;
    ticketId: string;
    score: number;
    comment: string;
  }): Promise<Ticket> {
    if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) {
      throw invalidArgument('score must be a whole number from 1 to 5', [
        { path: ['score'], message: 'out of range' },
      ]);
    }
    const comment = command.comment.trim();
    if (comment.length > RATING_COMMENT_MAX_LENGTH) {
      throw invalidArgument(`comment must be at most ${RATING_COMMENT_MAX_LENGTH} characters`, [
        { path: ['comment'], message: 'too long' },
      ]);
    }
    return this.change(command, 'rating', async (ticket, now) => {
      if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
        throw failedPrecondition(
          `only a resolved or closed ticket can be rated; this one is ${ticket.status}`,
        );
      }
      return { ticket: { ...ticket, rating: { score: command.score, comment, ratedAt: now } }, effects: [] };
    });
  }

  private async change(
    command: { tenantId: string; actor: Actor; ticketId: string },
    cause: string,
    apply: (
      ticket: Ticket,
      now: Date,
    ) => Promise<{ ticket: Ticket; effects: Parameters<typeof commitTicketChange>[3] }>,
  ): Promise<Ticket> {
    if (command.actor.type !== 'contact')
      throw permissionDenied('only the customer confirms or rates a resolution');
    const viewer = await viewerFor(this.deps.directory, command.tenantId, command.actor);
    requireVisible(await this.deps.tickets.findById(command.tenantId, command.ticketId), viewer);
    const ticket = await this.deps.uow.run(async (tx) => {
      const before = await lockTicket(tx, command.tenantId, command.ticketId);
      const now = this.deps.clock.now();
      const { ticket: after, effects } = await apply(before, now);
      const { ticket: stored } = await commitTicketChange(
        { tx, actor: command.actor, now, ids: this.deps.ids, cause },
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
