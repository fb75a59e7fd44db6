// What the use cases need from the outside world; adapters live in src/infra.
import type { Ticket, TicketPriority, TicketStatus } from '../domain/ticket';
import type { TicketCursor } from '../domain/cursor';

export interface ListTicketsQuery {
  tenantId: string;
  limit: number;
  after?: TicketCursor;
  statuses: TicketStatus[];
  priorities: TicketPriority[];
}

/** Reads of tickets; every method is scoped by tenant. */
export interface TicketRepository {
  findById(tenantId: string, id: string): Promise<Ticket | null>;
  /** Newest first (openedAt desc, id desc), at most `limit` items strictly after `after`. */
  list(query: ListTicketsQuery): Promise<Ticket[]>;
}

/** Writes of tickets inside a unit of work. */
export interface TicketWriter {
  insert(ticket: Ticket): Promise<void>;
}

export interface TicketCreatedEvent {
  type: 'helpdesk.ticket.created';
  tenantId: string;
  ticket: Ticket;
}
export type TicketDomainEvent = TicketCreatedEvent;

/** Stores events for the relay; only usable inside a unit of work, so an event commits with its change. */
export interface EventOutbox {
  enqueue(event: TicketDomainEvent): Promise<void>;
}

export interface TransactionContext {
  tickets: TicketWriter;
  outbox: EventOutbox;
}

/** One database transaction: everything done through the context commits or rolls back together. */
export interface UnitOfWork {
  run<T>(work: (ctx: TransactionContext) => Promise<T>): Promise<T>;
}

/** Tells the outbox relay that committed events are waiting, so it need not wait for its next poll. */
export interface OutboxNotifier {
  nudge(): void;
}

/** Hands out per-tenant ticket numbers from 1001 up; a number may be skipped, never reused. */
export interface TicketNumberAllocator {
  next(tenantId: string): Promise<number>;
}

export interface SanitizedDescription {
  html: string;
  text: string;
}

/** Turns caller-supplied HTML or plain text into safe HTML plus a plain-text copy. */
export interface HtmlSanitizer {
  sanitize(input: string): SanitizedDescription;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}
