// What the use cases need from the outside world; adapters live in src/infra.
import type { Ticket, TicketPriority, TicketStatus } from '../domain/ticket';
import type { TicketCursor } from '../domain/cursor';
import type { Client, Contact, NameCursor } from '../domain/directory';

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

// --- directory: clients and contacts ---

export interface ClientListQuery {
  tenantId: string;
  limit: number;
  after?: NameCursor;
  /** Name contains, case-insensitive. */
  nameContains?: string;
}

export interface ContactListQuery {
  tenantId: string;
  limit: number;
  after?: NameCursor;
  clientId?: string;
  email?: string;
  /** Name or e-mail contains, case-insensitive. */
  text?: string;
}

/** Reads of the directory; every method is scoped by tenant. Lists are ordered by (name, id). */
export interface DirectoryReader {
  findClient(tenantId: string, id: string): Promise<Client | null>;
  listClients(query: ClientListQuery): Promise<Client[]>;
  /** The client whose domains contain `domain` (normalized), if any. */
  findClientIdByDomain(tenantId: string, domain: string): Promise<string | null>;
  findContact(tenantId: string, id: string): Promise<Contact | null>;
  findContactByEmail(tenantId: string, email: string): Promise<Contact | null>;
  listContacts(query: ContactListQuery): Promise<Contact[]>;
}

/** A change of the stored password hash: set a new one or remove it. */
export type PasswordChange = { hash: string } | { hash: null };

/**
 * Directory writes inside a unit of work. A duplicate domain or e-mail rejects with ALREADY_EXISTS; an update
 * answers false when the row is no longer at `previousVersion` (someone else changed it first).
 */
export interface DirectoryWriter {
  insertClient(client: Client): Promise<void>;
  updateClient(client: Client, previousVersion: number): Promise<boolean>;
  insertContact(contact: Contact, passwordHash: string | null): Promise<void>;
  updateContact(contact: Contact, previousVersion: number, password?: PasswordChange): Promise<boolean>;
}

export type DirectoryEvent =
  | { type: 'helpdesk.ticket.client_created' | 'helpdesk.ticket.client_updated'; client: Client }
  | { type: 'helpdesk.ticket.contact_created' | 'helpdesk.ticket.contact_updated'; contact: Contact };

export interface DirectoryEventOutbox {
  enqueue(event: DirectoryEvent): Promise<void>;
}

export interface DirectoryTransaction {
  reader: DirectoryReader;
  writer: DirectoryWriter;
  outbox: DirectoryEventOutbox;
}

/** One database transaction over the directory: reads, writes and events commit or roll back together. */
export interface DirectoryUnitOfWork {
  run<T>(work: (tx: DirectoryTransaction) => Promise<T>): Promise<T>;
}

/** One-way hashing of portal passwords (argon2id in production). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
}
