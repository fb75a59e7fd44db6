// What the use cases need from the outside world; adapters live in src/infra.
import type { Readable } from 'node:stream';
import type { Client, Contact, NameCursor } from '../domain/directory';
import type { Attachment, TicketMessage } from '../domain/message';
import type { TicketSettings } from '../domain/settings';
import type { TicketTemplate } from '../domain/template';
import type { Actor, Ticket, TicketPriority, TicketSla, TicketStatus } from '../domain/ticket';
import type { TicketCursor, TicketSort } from '../domain/ticket-query';
import type { FieldChange } from '../domain/ticket-update';
import type { Todo, TodoState } from '../domain/todo';
import type { Viewer } from '../domain/visibility';

export interface TicketFilter {
  statuses: TicketStatus[];
  priorities: TicketPriority[];
  clientIds: string[];
  assigneeIds: string[];
  /** Unassigned tickets too (alone: only those). */
  unassigned: boolean;
  teamIds: string[];
  categories: string[];
  types: string[];
  /** Every one of these tags. */
  tags: string[];
  contactIds: string[];
  slaState?: 'breached' | 'warning';
  /** Full-text query (websearch syntax). */
  q?: string;
  /** Only what this contact may see. */
  viewer?: Viewer;
}

export interface ListTicketsQuery {
  tenantId: string;
  limit: number;
  sort: TicketSort;
  after?: TicketCursor;
  filter: TicketFilter;
}

/** A listed ticket and the key the next page continues after. */
export interface ListedTicket {
  ticket: Ticket;
  cursor: TicketCursor;
}

/** Reads of tickets; every method is scoped by tenant. */
export interface TicketRepository {
  findById(tenantId: string, id: string): Promise<Ticket | null>;
  findByNumber(tenantId: string, number: number): Promise<Ticket | null>;
  /** The ticket an earlier create with this key made, if any. */
  findByDedupeKey(tenantId: string, dedupeKey: string): Promise<Ticket | null>;
  /** At most `limit` items in `sort` order strictly after `after`. */
  list(query: ListTicketsQuery): Promise<ListedTicket[]>;
  /** The ticket of the first of `messageIds` (in the given order) that a message of the tenant carries. */
  findByEmailMessageIds(
    tenantId: string,
    messageIds: string[],
  ): Promise<{ ticket: Ticket; matchedMessageId: string } | null>;
}

export interface MessagePageQuery {
  tenantId: string;
  ticketId: string;
  limit: number;
  /** The seq of the last message of the previous page. */
  afterSeq?: bigint;
  /** Leave internal notes out (contacts). */
  customerVisibleOnly: boolean;
}

export interface StoredMessage {
  message: TicketMessage;
  seq: bigint;
}

export interface MessageRepository {
  findById(tenantId: string, id: string): Promise<TicketMessage | null>;
  findByDedupeKey(tenantId: string, dedupeKey: string): Promise<TicketMessage | null>;
  list(query: MessagePageQuery): Promise<StoredMessage[]>;
}

export interface StoredHistoryEntry {
  id: string;
  ticketId: string;
  actor: Actor;
  cause: string;
  changes: FieldChange[];
  at: Date;
  seq: bigint;
}

export interface HistoryRepository {
  list(tenantId: string, ticketId: string, limit: number, afterSeq?: bigint): Promise<StoredHistoryEntry[]>;
}

export interface TodoListQuery {
  tenantId: string;
  userId: string;
  states: TodoState[];
  limit: number;
  after?: { createdAt: Date; id: string };
}

export interface TodoRepository {
  list(query: TodoListQuery): Promise<Todo[]>;
}

export interface NewHistoryEntry {
  id: string;
  tenantId: string;
  ticketId: string;
  actor: Actor;
  cause: string;
  changes: FieldChange[];
  at: Date;
}

/** Ticket writes inside a unit of work. */
export interface TicketWriter {
  /** Reads a ticket and locks it until the transaction ends (SELECT … FOR UPDATE). */
  lock(tenantId: string, id: string): Promise<Ticket | null>;
  /** ALREADY_EXISTS when the dedupe key was taken meanwhile. */
  insert(ticket: Ticket, dedupeKey?: string): Promise<void>;
  /** Writes the ticket; false when it is no longer at `previousVersion`. */
  update(ticket: Ticket, previousVersion: number): Promise<boolean>;
  /** Adds text to the ticket's full-text document (thread messages). */
  appendSearchText(tenantId: string, ticketId: string, text: string): Promise<void>;
  /** Rebuilds the ticket's full-text document from its title, description and thread. */
  rebuildSearch(tenantId: string, ticketId: string): Promise<void>;
}

export interface MessageWriter {
  /** ALREADY_EXISTS when the dedupe key was taken meanwhile. */
  insert(message: TicketMessage, dedupeKey?: string): Promise<void>;
  /** Moves every message of one ticket to another (merge); answers how many moved. */
  moveAll(tenantId: string, fromTicketId: string, toTicketId: string): Promise<number>;
}

export interface AttachmentWriter {
  /**
   * Binds uploaded attachments to a message. Only attachments of the tenant that are not on a message yet and
   * belong to this ticket (or to no ticket yet) can be bound; answers those that were.
   */
  bind(
    tenantId: string,
    ids: string[],
    ticketId: string,
    messageId: string,
    onlyUploadedBy?: Actor,
  ): Promise<Attachment[]>;
  moveAll(tenantId: string, fromTicketId: string, toTicketId: string): Promise<void>;
}

export interface TodoWriter {
  /** Opens a to-do for the user unless one is open already. */
  open(tenantId: string, ticketId: string, userId: string, id: string, now: Date): Promise<void>;
  /** Marks every open to-do of the ticket done (optionally only one user's). */
  done(tenantId: string, ticketId: string, now: Date, userId?: string): Promise<void>;
}

export type TicketDomainEvent =
  | {
      type: 'helpdesk.ticket.created';
      tenantId: string;
      ticket: Ticket;
      actor: Actor;
      message?: TicketMessage;
    }
  | {
      type: 'helpdesk.ticket.updated';
      tenantId: string;
      ticket: Ticket;
      actor: Actor;
      changes: FieldChange[];
    }
  | {
      type: 'helpdesk.ticket.status_changed';
      tenantId: string;
      ticket: Ticket;
      actor: Actor;
      from: TicketStatus;
      to: TicketStatus;
    }
  | {
      type: 'helpdesk.ticket.assigned';
      tenantId: string;
      ticket: Ticket;
      actor: Actor;
      previousAssigneeId: string | null;
      previousTeamId: string | null;
    }
  | {
      type: 'helpdesk.ticket.message_added';
      tenantId: string;
      ticket: Ticket;
      actor: Actor;
      message: TicketMessage;
    }
  | {
      type: 'helpdesk.ticket.merged';
      tenantId: string;
      ticket: Ticket;
      actor: Actor;
      into: Ticket;
      movedMessages: number;
    };

/** Stores events for the relay; only usable inside a unit of work, so an event commits with its change. */
export interface EventOutbox {
  enqueue(event: TicketDomainEvent): Promise<void>;
}

export interface TransactionContext {
  tickets: TicketWriter;
  messages: MessageWriter;
  attachments: AttachmentWriter;
  history: { append(entry: NewHistoryEntry): Promise<void> };
  todos: TodoWriter;
  /** User ids of the tenant's active users with these handles. */
  usersByHandle(tenantId: string, handles: string[]): Promise<string[]>;
  outbox: EventOutbox;
}

/** One database transaction: everything done through the context commits or rolls back together. */
export interface UnitOfWork {
  run<T>(work: (ctx: TransactionContext) => Promise<T>): Promise<T>;
}

/** The tenant's ticket settings; the defaults for a tenant that never changed them. */
export interface SettingsRepository {
  get(tenantId: string): Promise<TicketSettings>;
  /** Stores new settings; false when they are no longer at `previousVersion`. */
  save(tenantId: string, settings: TicketSettings, previousVersion: number, now: Date): Promise<boolean>;
}

export interface TemplateRepository {
  findById(tenantId: string, id: string): Promise<TicketTemplate | null>;
  list(tenantId: string, limit: number, after?: NameCursor): Promise<TicketTemplate[]>;
  /** ALREADY_EXISTS when the name is taken. */
  insert(template: TicketTemplate): Promise<void>;
  /** false when no longer at `previousVersion`; ALREADY_EXISTS when the new name is taken. */
  update(template: TicketTemplate, previousVersion: number): Promise<boolean>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** Identity's users as far as this service needs them, kept from identity's events. */
export interface UserView {
  id: string;
  tenantId: string;
  handle: string;
  name: string;
  active: boolean;
  role: string;
}

export interface UserViewRepository {
  upsert(user: UserView): Promise<void>;
  names(tenantId: string, ids: string[]): Promise<Map<string, string>>;
}

/** Where attachment content lives: a local directory or S3-compatible storage. */
export interface BlobStore {
  /** Streams `content` into a new object; answers its size and SHA-256 (hex). Removes the partial object on failure. */
  put(
    key: string,
    content: AsyncIterable<Buffer>,
    contentType: string,
  ): Promise<{ size: number; sha256: string }>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

export interface AttachmentRepository {
  findById(tenantId: string, id: string): Promise<Attachment | null>;
  insert(attachment: Attachment): Promise<void>;
  /** Attachments of these messages, for listing a thread. */
  forMessages(tenantId: string, messageIds: string[]): Promise<Attachment[]>;
}

/** One-time portal sign-in tokens, stored hashed. */
export interface PortalTokenStore {
  insert(token: {
    tokenHash: string;
    tenantId: string;
    contactId: string;
    expiresAt: Date;
    createdAt: Date;
  }): Promise<void>;
  /** Marks an unused, unexpired token used and answers its contact; null otherwise. */
  redeem(tenantId: string, tokenHash: string, now: Date): Promise<string | null>;
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
  /** The contact of an address with its portal password hash (sign-in only; the hash never leaves the use case). */
  findPortalCredentials(
    tenantId: string,
    email: string,
  ): Promise<{ contact: Contact; passwordHash: string | null } | null>;
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
  /** `bouncedAt`: set (a date) or cleared (null) with the bouncing mark; undefined leaves it. */
  updateContact(
    contact: Contact,
    previousVersion: number,
    password?: PasswordChange,
    bouncedAt?: Date | null,
  ): Promise<boolean>;
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
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the time of a verify when there is no hash, so that unknown addresses are not told apart by timing. */
  verifyAgainstDummy(password: string): Promise<void>;
}

/**
 * What other services report about tickets, kept on them without a new version (it is not an edit an agent
 * could conflict with): time logged (timekeeping) and SLA state (sla). Each update carries the reporter's
 * per-ticket sequence; an older one than stored is ignored.
 */
export interface TicketReportsWriter {
  setTimeSpent(tenantId: string, ticketId: string, minutes: number, sequence: bigint): Promise<boolean>;
  setSla(tenantId: string, ticketId: string, sla: TicketSla, sequence: bigint): Promise<boolean>;
}
