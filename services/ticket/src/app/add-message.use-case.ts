import { failedPrecondition, invalidArgument, isDomainError, permissionDenied } from '@helpdesk/platform';
import { isMessageKind, mayWrite, workflowEventFor, type TicketMessage } from '../domain/message';
import { checkResolutionDetails, type Actor, type Ticket } from '../domain/ticket';
import { applyToTicket, contactFitsClient } from '../domain/ticket-update';
import type { TicketStatus, WorkflowEffect } from '../domain/workflow';
import type { CreateTicketUseCase } from './create-ticket.use-case';
import type {
  Clock,
  DirectoryReader,
  HtmlSanitizer,
  IdGenerator,
  MessageRepository,
  OutboxNotifier,
  SettingsRepository,
  TicketRepository,
  TransactionContext,
  UnitOfWork,
} from './ports';
import { requireVisible, viewerFor } from './portal-viewer';
import { ruled } from './rule-errors';
import { commitTicketChange, lockTicket } from './ticket-change';
import {
  fromAddress,
  prepareBody,
  requireContent,
  writeMessage,
  type NewMessageInput,
  type PreparedBody,
} from './thread-writer';

export interface AddMessageCommand {
  tenantId: string;
  actor: Actor;
  ticketId: string;
  message: NewMessageInput;
  /** Status chosen with an agent's public reply ("submit as"). */
  status?: TicketStatus;
  resolutionDetails?: string;
  /** A second add with the same key answers the first message. */
  dedupeKey?: string;
}

/** Where the message landed: on the ticket, on the ticket it was merged into, or on a new follow-up. */
export type MessageOutcome = 'appended' | 'redirected' | 'follow_up' | 'duplicate';

export interface AddedMessage {
  message: TicketMessage;
  ticket: Ticket;
  outcome: MessageOutcome;
}

export interface AddMessageDeps {
  uow: UnitOfWork;
  tickets: TicketRepository;
  messages: MessageRepository;
  directory: DirectoryReader;
  settings: SettingsRepository;
  sanitizer: HtmlSanitizer;
  outbox: OutboxNotifier;
  clock: Clock;
  ids: IdGenerator;
  createTicket: CreateTicketUseCase;
}

// A merge chain longer than this is a data error, not a reason to loop.
const MAX_REDIRECTS = 10;

/**
 * Adds a message and applies what it means to the workflow (docs/product/tickets.md): an agent's public reply
 * (first response, waiting on customer), a customer's reply (reopens; on a closed ticket a follow-up; on a merged
 * ticket the surviving one), an internal note (nothing), mail we sent or a system note (nothing).
 */
export class AddMessageUseCase {
  constructor(private readonly deps: AddMessageDeps) {}

  async execute(command: AddMessageCommand): Promise<AddedMessage> {
    const { tenantId, actor } = command;
    const kind = command.message.kind;
    if (!isMessageKind(kind)) throw invalidArgument(`unknown message kind ${JSON.stringify(kind)}`);
    if (!mayWrite(actor.type, kind)) {
      throw permissionDenied(
        `${actor.type === 'contact' ? 'a contact' : 'an agent'} cannot write ${kind} messages`,
      );
    }
    if (command.status && kind !== 'public_reply') {
      throw invalidArgument('a status can only be chosen with a public reply', [
        { path: ['status'], message: 'not allowed' },
      ]);
    }
    if (command.dedupeKey) {
      const earlier = await this.findEarlier(tenantId, command.dedupeKey);
      if (earlier) return earlier;
    }
    const details =
      command.resolutionDetails === undefined
        ? undefined
        : ruled(() => checkResolutionDetails(command.resolutionDetails!));
    const body = prepareBody(this.deps.sanitizer, command.message);
    requireContent(body, command.message);
    const viewer = await viewerFor(this.deps.directory, tenantId, actor);
    // a cheap read first, so that an invisible ticket answers 404 before anything is locked
    requireVisible(await this.deps.tickets.findById(tenantId, command.ticketId), viewer);
    const settings = await this.deps.settings.get(tenantId);

    try {
      const added = await this.deps.uow.run(async (tx) => {
        let ticket = await lockTicket(tx, tenantId, command.ticketId);
        for (let hops = 0; ; hops += 1) {
          const event = workflowEventFor(kind, actor.type, command.status, details ?? undefined);
          const transition = event
            ? applyToTicket(ticket, event, this.deps.clock.now(), settings)
            : { ticket, effects: [] as WorkflowEffect[] };
          const redirect = transition.effects.find((e) => e.kind === 'redirect_to');
          if (redirect && redirect.kind === 'redirect_to') {
            if (hops >= MAX_REDIRECTS) throw failedPrecondition('the merged ticket leads nowhere');
            ticket = await lockTicket(tx, tenantId, redirect.ticketId);
            continue;
          }
          if (transition.effects.some((e) => e.kind === 'create_follow_up')) {
            return this.followUp(tx, ticket, command, body);
          }
          const message = await this.write(tx, ticket, command, body);
          const { ticket: stored } = await commitTicketChange(
            { tx, actor, now: this.deps.clock.now(), ids: this.deps.ids, cause: 'message' },
            ticket,
            transition.ticket,
            transition.effects,
          );
          await tx.outbox.enqueue({
            type: 'helpdesk.ticket.message_added',
            tenantId,
            ticket: stored,
            actor,
            message,
          });
          return {
            message,
            ticket: stored,
            outcome: (hops > 0 ? 'redirected' : 'appended') as MessageOutcome,
          };
        }
      });
      this.deps.outbox.nudge();
      return added;
    } catch (err) {
      if (command.dedupeKey && isDomainError(err) && err.code === 'ALREADY_EXISTS') {
        const earlier = await this.findEarlier(tenantId, command.dedupeKey);
        if (earlier) return earlier;
      }
      throw err;
    }
  }

  private async write(
    tx: TransactionContext,
    ticket: Ticket,
    command: AddMessageCommand,
    body: PreparedBody,
  ) {
    return writeMessage({
      tx,
      ids: this.deps.ids,
      ticket,
      actor: command.actor,
      author: await this.mailAuthor(ticket.tenantId, command),
      input: command.message,
      body,
      now: this.deps.clock.now(),
      dedupeKey: command.dedupeKey,
    });
  }

  /**
   * A customer reply to a closed ticket (closed-reply policy `follow_up`): a new ticket for the same requester,
   * linked as a follow-up, starts with the reply; the closed ticket stays as it is.
   */
  private async followUp(
    tx: TransactionContext,
    closed: Ticket,
    command: AddMessageCommand,
    body: PreparedBody,
  ): Promise<AddedMessage> {
    const contact = closed.contactId
      ? await this.deps.directory.findContact(closed.tenantId, closed.contactId)
      : null;
    if (!contact) throw failedPrecondition('the closed ticket has no requester to follow up for');
    const number = await this.deps.createTicket.nextNumber(closed.tenantId);
    const { ticket, message } = await this.deps.createTicket.openIn(
      tx,
      {
        tenantId: closed.tenantId,
        actor: command.actor,
        title: closed.title,
        description: body,
        priority: closed.priority,
        source: command.message.kind === 'email_in' ? 'email' : 'portal',
        contact,
        // the client the closed ticket was for (an agent may have picked it), unless the contact moved elsewhere since
        clientId: contactFitsClient(contact.clientId, closed.clientId) ? closed.clientId : contact.clientId,
        requesterName: closed.requester.name,
        type: closed.type,
        category: closed.category,
        assigneeId: closed.assigneeId,
        teamId: closed.teamId,
        tags: closed.tags,
        cc: closed.cc,
        links: closed.links,
        templateId: null,
        followUpOfId: closed.id,
        message: { input: command.message, body, dedupeKey: command.dedupeKey },
      },
      number,
    );
    // the first message carries the caller's dedupe key, so that a redelivered reply finds it
    if (!message) throw new Error('a follow-up is always opened with the reply');
    return { message, ticket, outcome: 'follow_up' };
  }

  /** A mail taken in by the platform is the sender's message when the sender is a known contact. */
  private async mailAuthor(tenantId: string, command: AddMessageCommand): Promise<Actor | undefined> {
    if (command.message.kind !== 'email_in') return undefined;
    const address = fromAddress(command.message.email?.from);
    const contact = address ? await this.deps.directory.findContactByEmail(tenantId, address) : null;
    return contact ? { type: 'contact', id: contact.id } : undefined;
  }

  private async findEarlier(tenantId: string, dedupeKey: string): Promise<AddedMessage | null> {
    const message = await this.deps.messages.findByDedupeKey(tenantId, dedupeKey);
    if (!message) return null;
    const ticket = await this.deps.tickets.findById(tenantId, message.ticketId);
    if (!ticket) return null;
    return { message, ticket, outcome: 'duplicate' };
  }
}
