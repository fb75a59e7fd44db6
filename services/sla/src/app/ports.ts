// What the use cases need from the outside world; adapters live in src/infra.
import type {
  BusinessCalendar,
  CreatedCursor,
  Policy,
  SlaClocks,
  SlaEventKind,
  SlaTarget,
  SlaView,
  TicketFacts,
} from '../domain';

/**
 * A stored business calendar: the `{name, timezone, hours, holidays}` of
 * docs/product/sla.md plus identity and version.
 */
export interface CalendarRecord extends BusinessCalendar {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface ListQuery {
  tenantId: string;
  limit: number;
  after?: CreatedCursor;
}

/** Calendars of a tenant; every method is scoped by tenant. Lists are ordered by (createdAt, id). */
export interface CalendarRepository {
  findById(tenantId: string, id: string): Promise<CalendarRecord | null>;
  list(query: ListQuery): Promise<CalendarRecord[]>;
  insert(calendar: CalendarRecord): Promise<void>;
  /** False when the row is no longer at `previousVersion`. */
  update(calendar: CalendarRecord, previousVersion: number): Promise<boolean>;
}

/** Policies of a tenant; every method is scoped by tenant. Lists are ordered by (createdAt, id): match order. */
export interface PolicyRepository {
  findById(tenantId: string, id: string): Promise<Policy | null>;
  list(query: ListQuery): Promise<Policy[]>;
  /** Every policy of the tenant in match order, with the calendars they name. */
  contexts(tenantId: string): Promise<{ policies: Policy[]; calendars: ReadonlyMap<string, CalendarRecord> }>;
  /** Inserts; a default policy takes the place of the tenant's previous default in the same transaction. */
  insert(policy: Policy): Promise<void>;
  /** False when the row is no longer at `previousVersion`; a new default replaces the previous one. */
  update(policy: Policy, previousVersion: number): Promise<boolean>;
}

/** The tenant defaults (docs/product/sla.md), written once per tenant. */
export interface TenantDefaultsWriter {
  /** Records the tenant and writes its calendar and policy in one transaction; false when it was known already. */
  seed(
    tenant: { tenantId: string; timezone: string },
    calendar: CalendarRecord,
    policy: Policy,
  ): Promise<boolean>;
}

/** A ticket as the SLA service keeps it: the facts of its newest event and its clocks. */
export interface TicketRow {
  readonly facts: TicketFacts;
  /** Null while no policy applies to the ticket. */
  readonly clocks: SlaClocks | null;
  /** The number of SLA events published for the ticket so far. */
  readonly sequence: number;
}

/** One SLA event to publish (docs/product/events.md): the ticket's whole SLA view after the change. */
export interface SlaDomainEvent {
  readonly kind: SlaEventKind;
  readonly target: SlaTarget | null;
  readonly tenantId: string;
  readonly ticketId: string;
  readonly ticketNumber: number;
  readonly sla: SlaView;
  readonly sequence: number;
  /** Business minutes from opening to the first agent reply, when known at this step (reports). */
  readonly firstResponseBusinessMinutes: number | null;
}

/** The clocks' storage inside one database transaction; rows read here stay locked until it ends. */
export interface ClockTransaction {
  /** Reads a ticket without locking it. */
  findTicket(tenantId: string, ticketId: string): Promise<TicketRow | null>;
  /** Reads and locks a ticket. */
  lockTicket(tenantId: string, ticketId: string): Promise<TicketRow | null>;
  insertTicket(row: TicketRow): Promise<void>;
  /**
   * Stores the row only if its SLA sequence is still `previousSequence` (the conditional "fired" transition);
   * answers whether it did.
   */
  saveTicket(row: TicketRow, previousSequence: number): Promise<boolean>;
  /** Locks up to `limit` tickets with a warning or due time at or before `now`, earliest first, skipping rows other transactions hold. */
  lockDue(now: Date, limit: number): Promise<TicketRow[]>;
  /** Locks up to `limit` of a tenant's tickets that have no clocks yet. */
  lockWithoutClocks(tenantId: string, limit: number): Promise<TicketRow[]>;
  /** Keeps a client's SLA policy, unless a newer version of the client is already known. */
  upsertClient(
    tenantId: string,
    clientId: string,
    slaPolicyId: string | null,
    version: number,
  ): Promise<void>;
  clientPolicyId(tenantId: string, clientId: string): Promise<string | null>;
  /** Writes an event to the outbox; it is published if and only if the transaction commits. */
  enqueue(event: SlaDomainEvent): Promise<void>;
  /** Tells every replica's timer, once the transaction commits, that something may be due at `at`. */
  signalDue(at: Date): Promise<void>;
}

/** One transaction over the clocks. */
export interface ClockUnitOfWork {
  run<T>(work: (tx: ClockTransaction) => Promise<T>): Promise<T>;
}

/** Tells the outbox relay that committed events are waiting. */
export interface OutboxNotifier {
  nudge(): void;
}

export interface TimeSource {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}
