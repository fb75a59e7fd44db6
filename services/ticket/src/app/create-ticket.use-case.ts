import { invalidArgument, isDomainError, permissionDenied } from '@helpdesk/platform';
import type { Contact } from '../domain/directory';
import { isMessageKind, type TicketMessage } from '../domain/message';
import { pickFromList } from '../domain/settings';
import { prefill } from '../domain/template';
import {
  DESCRIPTION_MAX_LENGTH,
  normalizeTitle,
  openTicket,
  type Actor,
  type Requester,
  type Ticket,
  type TicketLinks,
  type TicketPriority,
  type TicketSource,
} from '../domain/ticket';
import type {
  Clock,
  DirectoryReader,
  HtmlSanitizer,
  IdGenerator,
  MessageRepository,
  OutboxNotifier,
  SettingsRepository,
  TemplateRepository,
  TicketNumberAllocator,
  TicketRepository,
  TransactionContext,
  UnitOfWork,
} from './ports';
import { viewerFor } from './portal-viewer';
import type { ResolveContactUseCase } from './resolve-contact.use-case';
import { ruled } from './rule-errors';
import { checkContactFits, requireContact, requireTicketClient } from './ticket-client';
import { prepareBody, writeMessage, type NewMessageInput, type PreparedBody } from './thread-writer';

export interface CreateTicketCommand {
  tenantId: string;
  actor: Actor;
  /** May be empty when a template gives one. */
  title?: string;
  /** HTML or plain text, as the caller sent it. */
  description?: string;
  priority?: TicketPriority;
  source?: TicketSource;
  /** The requester by address (found or created as a contact), unless `contactId` names the contact. */
  requester?: Requester;
  contactId?: string;
  /**
   * The client the agent picked (must be the tenant's); absent: the contact's. A requester created by this call
   * joins it; an existing contact of another client is refused.
   */
  clientId?: string;
  type?: string | null;
  category?: string | null;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: readonly string[];
  cc?: readonly string[];
  links?: Partial<TicketLinks>;
  templateId?: string;
  followUpOfId?: string;
  /** The first message of the thread (e-mail intake: the `email_in` the ticket came from). */
  initialMessage?: NewMessageInput;
  /** A second create with the same key answers the first ticket instead of opening another. */
  dedupeKey?: string;
}

export interface CreatedTicket {
  ticket: Ticket;
  message: TicketMessage | null;
  duplicate: boolean;
}

export interface CreateTicketDeps {
  uow: UnitOfWork;
  tickets: TicketRepository;
  messages: MessageRepository;
  numbers: TicketNumberAllocator;
  sanitizer: HtmlSanitizer;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
  settings: SettingsRepository;
  templates: TemplateRepository;
  directory: DirectoryReader;
  resolveContact: ResolveContactUseCase;
}

/** What a ticket is opened from once every input has been checked and the contact is known. */
export interface OpenTicketPlan {
  tenantId: string;
  actor: Actor;
  title: string;
  description: PreparedBody;
  priority?: TicketPriority;
  source?: TicketSource;
  contact: Contact;
  /** The ticket's client: the one picked, else the contact's. */
  clientId: string | null;
  requesterName?: string;
  type: string | null;
  category: string | null;
  assigneeId: string | null;
  teamId: string | null;
  tags: readonly string[];
  cc: readonly string[];
  links: Partial<TicketLinks>;
  templateId: string | null;
  followUpOfId: string | null;
  message?: { input: NewMessageInput; body: PreparedBody; dedupeKey?: string };
  dedupeKey?: string;
}

export class CreateTicketUseCase {
  constructor(readonly deps: CreateTicketDeps) {}

  async execute(command: CreateTicketCommand): Promise<CreatedTicket> {
    const { tenantId } = command;
    if (command.dedupeKey) {
      const earlier = await this.findEarlier(tenantId, command.dedupeKey);
      if (earlier) return earlier;
    }
    // every check that can reject runs before a number is taken, so bad input burns no number
    const template = command.templateId
      ? await this.deps.templates.findById(tenantId, command.templateId)
      : null;
    if (command.templateId && !template) {
      throw invalidArgument('templateId: no such template', [{ path: ['templateId'], message: 'not found' }]);
    }
    const fields = prefill(template, {
      title: command.title,
      description: command.description,
      type: command.type,
      category: command.category,
      priority: command.priority,
      tags: command.tags,
    });
    const title = ruled(() => normalizeTitle(fields.title ?? ''));
    const rawDescription = fields.description ?? '';
    if (rawDescription.length > DESCRIPTION_MAX_LENGTH) {
      throw invalidArgument(`description must be at most ${DESCRIPTION_MAX_LENGTH} characters`, [
        { path: ['description'], message: 'too long' },
      ]);
    }
    // the tenant's lists are read only when there is a type or category to check against them
    const settings = fields.type || fields.category ? await this.deps.settings.get(tenantId) : undefined;
    const type = ruled(() => pickFromList(settings?.types ?? [], fields.type, 'type'));
    const category = ruled(() => pickFromList(settings?.categories ?? [], fields.category, 'category'));
    if (command.followUpOfId && !(await this.deps.tickets.findById(tenantId, command.followUpOfId))) {
      throw invalidArgument('followUpOfId: no such ticket', [
        { path: ['followUpOfId'], message: 'not found' },
      ]);
    }
    // an e-mail's body is both the description and the first message: sanitized once
    const sanitizer = sanitizingEachInputOnce(this.deps.sanitizer);
    let message: OpenTicketPlan['message'];
    if (command.initialMessage) {
      if (!isMessageKind(command.initialMessage.kind))
        throw invalidArgument('initialMessage.kind is not a message kind');
      message = {
        input: command.initialMessage,
        body: prepareBody(sanitizer, command.initialMessage),
        dedupeKey: command.dedupeKey ? messageKeyOf(command.dedupeKey) : undefined,
      };
    }
    // a client the tenant does not have answers before a requester is created for it
    const pickedClientId = command.clientId
      ? await requireTicketClient(this.deps.directory, tenantId, command.clientId)
      : undefined;
    const contact = await this.contactFor(command, pickedClientId);

    const plan: OpenTicketPlan = {
      tenantId,
      actor: command.actor,
      title,
      description: sanitizer.sanitize(rawDescription),
      priority: fields.priority,
      source: command.source,
      contact,
      clientId: pickedClientId ?? contact.clientId,
      requesterName: command.requester?.name,
      type,
      category,
      assigneeId: command.assigneeId ?? null,
      teamId: command.teamId ?? null,
      tags: fields.tags ?? [],
      cc: command.cc ?? [],
      links: command.links ?? {},
      templateId: template?.id ?? null,
      followUpOfId: command.followUpOfId ?? null,
      message,
      dedupeKey: command.dedupeKey,
    };
    // validate the plan's values before the number is taken
    ruled(() => this.build(plan, 1, new Date(0), 'checking'));

    // Taken in its own short autocommitted statement, outside the transaction below: a counter row locked
    // until the create commits would serialize every create of a tenant (docs/architecture.md). A rollback after
    // this point leaves a gap in the tenant's numbers, which is acceptable; a number is never reused.
    const number = await this.deps.numbers.next(tenantId);
    try {
      const created = await this.deps.uow.run((tx) => this.openIn(tx, plan, number));
      this.deps.outbox.nudge();
      return { ...created, duplicate: false };
    } catch (err) {
      // two deliveries of one mail at once: the loser answers what the winner created
      if (command.dedupeKey && isDomainError(err) && err.code === 'ALREADY_EXISTS') {
        const earlier = await this.findEarlier(tenantId, command.dedupeKey);
        if (earlier) return earlier;
      }
      throw err;
    }
  }

  /**
   * Opens a ticket inside the caller's transaction (also used for follow-ups of closed tickets): the ticket, its
   * first message, the assignee's to-do, and `created` (+ `assigned`) events.
   */
  async openIn(
    tx: TransactionContext,
    plan: OpenTicketPlan,
    number: number,
  ): Promise<{ ticket: Ticket; message: TicketMessage | null }> {
    const now = this.deps.clock.now();
    const ticket = ruled(() => this.build(plan, number, now, this.deps.ids.newId()));
    await tx.tickets.insert(ticket, plan.dedupeKey);
    let message: TicketMessage | null = null;
    if (plan.message) {
      message = await writeMessage({
        tx,
        ids: this.deps.ids,
        ticket,
        actor: plan.actor,
        // the mail a ticket came from is the requester's own message
        author: plan.message.input.kind === 'email_in' ? { type: 'contact', id: plan.contact.id } : undefined,
        input: plan.message.input,
        body: plan.message.body,
        now,
        dedupeKey: plan.message.dedupeKey,
      });
    }
    if (ticket.assigneeId)
      await tx.todos.open(ticket.tenantId, ticket.id, ticket.assigneeId, this.deps.ids.newId(), now);
    const base = { tenantId: ticket.tenantId, ticket, actor: plan.actor };
    await tx.outbox.enqueue({ type: 'helpdesk.ticket.created', ...base, ...(message ? { message } : {}) });
    if (ticket.assigneeId || ticket.teamId) {
      await tx.outbox.enqueue({
        type: 'helpdesk.ticket.assigned',
        ...base,
        previousAssigneeId: null,
        previousTeamId: null,
      });
    }
    return { ticket, message };
  }

  /** The number allocator, for callers of openIn. */
  nextNumber(tenantId: string): Promise<number> {
    return this.deps.numbers.next(tenantId);
  }

  private build(plan: OpenTicketPlan, number: number, now: Date, id: string): Ticket {
    return openTicket({
      id,
      tenantId: plan.tenantId,
      number,
      title: plan.title,
      descriptionHtml: plan.description.html,
      descriptionText: plan.description.text,
      priority: plan.priority,
      source: plan.source,
      requester: { email: plan.contact.email, name: plan.requesterName?.trim() || plan.contact.name },
      createdBy: plan.actor,
      now,
      type: plan.type,
      category: plan.category,
      clientId: plan.clientId,
      contactId: plan.contact.id,
      assigneeId: plan.assigneeId,
      teamId: plan.teamId,
      tags: plan.tags,
      cc: plan.cc,
      links: plan.links,
      templateId: plan.templateId,
      followUpOfId: plan.followUpOfId,
    });
  }

  /** The requester as a contact; with a picked client, one that fits it (a new one joins it). */
  private async contactFor(command: CreateTicketCommand, clientId: string | undefined): Promise<Contact> {
    if (command.actor.type === 'contact') {
      // a customer opens tickets only for itself, and only while it has portal access
      const viewer = await viewerFor(this.deps.directory, command.tenantId, command.actor);
      if (command.contactId && command.contactId !== viewer!.contactId) {
        throw permissionDenied('a contact opens tickets only for itself');
      }
      if (clientId !== undefined && clientId !== viewer!.clientId) {
        throw permissionDenied('a contact opens tickets only for its own client');
      }
      return (await this.deps.directory.findContact(command.tenantId, viewer!.contactId))!;
    }
    if (command.contactId) {
      const contact = await requireContact(this.deps.directory, command.tenantId, command.contactId);
      if (clientId !== undefined) checkContactFits(contact, clientId, 'contactId');
      return contact;
    }
    if (!command.requester) {
      throw invalidArgument('requester or contactId is required', [
        { path: ['requester'], message: 'required' },
      ]);
    }
    const contact = await this.deps.resolveContact.execute(command.tenantId, {
      ...command.requester,
      ...(clientId !== undefined ? { clientId } : {}),
    });
    if (clientId !== undefined) checkContactFits(contact, clientId, 'requester');
    return contact;
  }

  private async findEarlier(tenantId: string, dedupeKey: string): Promise<CreatedTicket | null> {
    const ticket = await this.deps.tickets.findByDedupeKey(tenantId, dedupeKey);
    if (!ticket) return null;
    const message = await this.deps.messages.findByDedupeKey(tenantId, messageKeyOf(dedupeKey));
    return { ticket, message, duplicate: true };
  }
}

// The first message of a deduplicated create carries a key of its own, derived from the ticket's.
function messageKeyOf(ticketDedupeKey: string): string {
  return `ticket:${ticketDedupeKey}`;
}

/** The same sanitizer, remembering its answers for the span of one call (parsing HTML is the costly part of a create). */
function sanitizingEachInputOnce(sanitizer: HtmlSanitizer): HtmlSanitizer {
  const answers = new Map<string, ReturnType<HtmlSanitizer['sanitize']>>();
  return {
    sanitize(input) {
      let answer = answers.get(input);
      if (!answer) {
        answer = sanitizer.sanitize(input);
        answers.set(input, answer);
      }
      return answer;
    },
  };
}
