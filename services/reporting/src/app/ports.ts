// What the use cases need from the read model's storage; implemented over PostgreSQL in infra/.
import type {
  Aggregates,
  BacklogDelta,
  Period,
  SlaHalf,
  StoredTicket,
  TenantZoneFacts,
  TicketRow,
  VersionPoint,
} from '../domain';

/** A tenant's stored zone and the event it came from (none yet: UTC). */
export interface StoredTenant {
  readonly timezone: string;
  readonly asOf: Date | null;
  readonly eventId: string | null;
}

/** One version of a tenant's ticket, for re-counting the tenant's days. */
export interface TicketVersionPoint extends VersionPoint {
  readonly ticketId: string;
}

/**
 * The read model inside one event's transaction (the consumer's inbox transaction). Rows read with a lock stay
 * locked until it ends: a tenant row orders zone changes against intake, a ticket row the versions of one ticket.
 */
export interface IntakeTransaction {
  /** The tenant's row locked for share (created, as UTC, when unknown): intake under one zone. */
  shareTenant(tenantId: string): Promise<StoredTenant>;
  /** The tenant's row locked for update (created, as UTC, when unknown): a zone change. */
  lockTenant(tenantId: string): Promise<StoredTenant>;
  saveTenantZone(facts: TenantZoneFacts): Promise<void>;
  /** Locks the ticket's row, creating an empty one; answers what it holds. */
  lockTicket(tenantId: string, ticketId: string): Promise<StoredTicket>;
  /** Stores a version point; null when it was stored already, else its stored neighbours. */
  insertVersion(
    tenantId: string,
    ticketId: string,
    point: VersionPoint,
  ): Promise<{ previous: VersionPoint | null; next: VersionPoint | null } | null>;
  /** Writes the ticket half of a ticket's row (the caller checked that its version is newer). */
  saveTicket(row: TicketRow): Promise<void>;
  /** Adds backlog changes (one statement, in key order). */
  addBacklog(tenantId: string, deltas: readonly BacklogDelta[]): Promise<void>;
  /** Writes the SLA half of a ticket's (locked) row. */
  saveSla(tenantId: string, ticketId: string, sla: SlaHalf): Promise<void>;
  /** Adds changes to the aggregates (one statement per table, rows in the order given: key order). */
  addAggregates(tenantId: string, change: Aggregates): Promise<void>;
  /** A page of the tenant's ticket versions in (ticket, version) order, after `after`. */
  versionsOf(
    tenantId: string,
    after: { ticketId: string; version: number } | null,
    limit: number,
  ): Promise<TicketVersionPoint[]>;
  /** Replaces all of the tenant's backlog changes. */
  replaceBacklog(tenantId: string, deltas: readonly BacklogDelta[]): Promise<void>;
  /** A page of the tenant's ticket rows in id order, after the id `after`. */
  ticketsOf(
    tenantId: string,
    after: string | null,
    limit: number,
  ): Promise<Array<StoredTicket & { id: string }>>;
  /** Replaces all of the tenant's aggregates. */
  replaceAggregates(tenantId: string, aggregates: Aggregates): Promise<void>;
}

/** What a report groups by. */
export const GROUPS = ['client', 'priority', 'assignee', 'team'] as const;
export type Group = (typeof GROUPS)[number];

/** The numbers of the tickets opened in a period, of one group (or of all: key null, group none). */
export interface CohortRow {
  readonly key: string | null;
  readonly tickets: number;
  readonly frMet: number;
  readonly frBreached: number;
  readonly resMet: number;
  readonly resBreached: number;
  readonly rated: number;
  readonly ratingSum: number;
}

/** How many tickets of a group had a first response of `value` whole minutes. */
export interface HistogramRow {
  readonly key: string | null;
  readonly kind: 'calendar' | 'business';
  readonly value: number;
  readonly count: number;
}

/** The tickets a report looks at: a tenant's, opened in the period's [from, to), optionally of one client. */
export interface Cohort {
  readonly tenantId: string;
  readonly period: Period;
  readonly clientId: string | null;
}

/** The read model's queries. Every one is scoped to one tenant. */
export interface ReportReader {
  /** The tenant's zone as identity last announced it; null when not heard of. */
  tenantZone(tenantId: string): Promise<string | null>;
  /** Tickets open now per status and priority. */
  openNow(
    tenantId: string,
    clientId: string | null,
  ): Promise<Array<{ status: string; priority: string; count: number }>>;
  cohort(cohort: Cohort, group: Group | null): Promise<CohortRow[]>;
  firstResponses(cohort: Cohort, group: Group | null): Promise<HistogramRow[]>;
  /**
   * Tickets whose opening (`opened`) or current resolution (`resolved`) falls on each local day of the period, within
   * its [from, to): day → count (days without any left out).
   */
  countsByDay(
    tenantId: string,
    field: 'opened' | 'resolved',
    period: Period,
    clientId: string | null,
  ): Promise<Map<string, number>>;
  /** The backlog changes before `firstDay`, summed, and per day from `firstDay` to `lastDay`. */
  backlogChanges(
    tenantId: string,
    firstDay: string,
    lastDay: string,
    clientId: string | null,
  ): Promise<{ before: number; byDay: Map<string, number> }>;
}

export interface TimeSource {
  now(): Date;
}
