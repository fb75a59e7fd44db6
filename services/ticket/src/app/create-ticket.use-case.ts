import { invalidArgument } from '@helpdesk/platform';
import {
  DESCRIPTION_MAX_LENGTH,
  normalizeTitle,
  openTicket,
  TicketRuleError,
  type Actor,
  type Requester,
  type Ticket,
  type TicketPriority,
  type TicketSource,
} from '../domain/ticket';
import type {
  Clock,
  HtmlSanitizer,
  IdGenerator,
  OutboxNotifier,
  TicketNumberAllocator,
  UnitOfWork,
} from './ports';

export interface CreateTicketCommand {
  tenantId: string;
  actor: Actor;
  title: string;
  /** HTML or plain text, as the caller sent it. */
  description: string;
  priority?: TicketPriority;
  source?: TicketSource;
  requester: Requester;
}

export interface CreateTicketDeps {
  uow: UnitOfWork;
  numbers: TicketNumberAllocator;
  sanitizer: HtmlSanitizer;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
}

export class CreateTicketUseCase {
  constructor(private readonly deps: CreateTicketDeps) {}

  async execute(command: CreateTicketCommand): Promise<Ticket> {
    // every check that can reject runs before a number is taken, so bad input burns no number
    const title = ruled(() => normalizeTitle(command.title));
    if (command.description.length > DESCRIPTION_MAX_LENGTH) {
      throw invalidArgument(`description must be at most ${DESCRIPTION_MAX_LENGTH} characters`, [
        { path: ['description'], message: 'too long' },
      ]);
    }
    const description = this.deps.sanitizer.sanitize(command.description);

    // Taken in its own short autocommitted statement, outside the transaction below: a counter row locked
    // until the create commits would serialize every create of a tenant (DESIGN.md). A rollback after
    // this point leaves a gap in the tenant's numbers, which is acceptable; a number is never reused.
    const number = await this.deps.numbers.next(command.tenantId);

    const ticket = ruled(() =>
      openTicket({
        id: this.deps.ids.newId(),
        tenantId: command.tenantId,
        number,
        title,
        descriptionHtml: description.html,
        descriptionText: description.text,
        priority: command.priority,
        source: command.source,
        requester: command.requester,
        createdBy: command.actor,
        now: this.deps.clock.now(),
      }),
    );

    await this.deps.uow.run(async (ctx) => {
      await ctx.tickets.insert(ticket);
      await ctx.outbox.enqueue({ type: 'helpdesk.ticket.created', tenantId: ticket.tenantId, ticket });
    });
    this.deps.outbox.nudge();
    return ticket;
  }
}

function ruled<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TicketRuleError) {
      throw invalidArgument(err.message, [{ path: err.field.split('.'), message: err.message }]);
    }
    throw err;
  }
}
