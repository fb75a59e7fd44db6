// What the reports keep of a ticket and of its SLA, as the events carry them (docs/product/reports.md).
import { wholeMinutesBetween } from './stats';
import type { VersionPoint } from './backlog';
import { isOpenStatus } from './backlog';
import type { CountedTicket } from './aggregates';

/** A ticket as one of its events carries it (the whole ticket after the change). */
export interface TicketFacts {
  readonly tenantId: string;
  readonly id: string;
  readonly version: number;
  readonly number: number;
  readonly status: string;
  readonly priority: string;
  readonly clientId: string | null;
  readonly assigneeId: string | null;
  readonly teamId: string | null;
  readonly openedAt: Date;
  readonly updatedAt: Date;
  readonly firstRespondedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
  readonly mergedIntoId: string | null;
  readonly rating: { readonly score: number; readonly ratedAt: Date } | null;
}

/** The ticket's row of the read model: its facts and the derived first response in calendar minutes. */
export interface TicketRow extends TicketFacts {
  /** Whole calendar minutes from opening to the first agent public reply; null without one. */
  readonly firstResponseMinutes: number | null;
}

export function ticketRow(facts: TicketFacts): TicketRow {
  return { ...facts, firstResponseMinutes: wholeMinutesBetween(facts.openedAt, facts.firstRespondedAt) };
}

/** The version of a ticket as the backlog sees it. */
export function versionPoint(facts: TicketFacts): VersionPoint {
  return {
    version: facts.version,
    at: facts.updatedAt,
    open: isOpenStatus(facts.status),
    clientId: facts.clientId,
  };
}

export const SLA_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type SlaTargetState = (typeof SLA_STATES)[number];

/** A ticket's SLA as one SLA event carries it (the whole state after the event). */
export interface SlaFacts {
  readonly tenantId: string;
  readonly ticketId: string;
  /** Grows by one with every SLA event of the ticket; the highest wins. */
  readonly sequence: number;
  readonly policyId: string | null;
  readonly firstResponse: SlaTargetState;
  readonly resolution: SlaTargetState;
  /** The first response in business minutes of the ticket's SLA calendar, when the event carries it. */
  readonly firstResponseBusinessMinutes: number | null;
}

/** The SLA half of a ticket's row: the state of the SLA event with the highest sequence, and the business minutes
 * of the highest-sequence event that carried them. */
export interface SlaHalf {
  readonly sequence: number;
  readonly policyId: string | null;
  /** null before the first SLA event */
  readonly firstResponse: SlaTargetState | null;
  readonly resolution: SlaTargetState | null;
  readonly businessMinutes: number | null;
  readonly businessSequence: number;
}

export const NO_SLA: SlaHalf = {
  sequence: 0,
  policyId: null,
  firstResponse: null,
  resolution: null,
  businessMinutes: null,
  businessSequence: 0,
};

/** A ticket's row as the read model holds it: the ticket half (null before its first ticket event) and the SLA half. */
export interface StoredTicket {
  readonly ticket: TicketRow | null;
  readonly sla: SlaHalf;
}

/**
 * The SLA half after an SLA event: its state when its sequence is higher than the stored one, its business minutes
 * when it carries them and its sequence is higher than the stored minutes'. Null when the event changes nothing
 * (an older or a repeated one).
 */
export function nextSla(stored: SlaHalf, facts: SlaFacts): SlaHalf | null {
  const state = facts.sequence > stored.sequence;
  const business = facts.firstResponseBusinessMinutes !== null && facts.sequence > stored.businessSequence;
  if (!state && !business) return null;
  return {
    sequence: state ? facts.sequence : stored.sequence,
    policyId: state ? facts.policyId : stored.policyId,
    firstResponse: state ? facts.firstResponse : stored.firstResponse,
    resolution: state ? facts.resolution : stored.resolution,
    businessMinutes: business ? facts.firstResponseBusinessMinutes : stored.businessMinutes,
    businessSequence: business ? facts.sequence : stored.businessSequence,
  };
}

/** What a row counts for in the aggregates; null without a ticket half (an SLA state that came first). */
export function countedTicket(row: StoredTicket): CountedTicket | null {
  const t = row.ticket;
  if (!t) return null;
  return {
    status: t.status,
    priority: t.priority,
    clientId: t.clientId,
    openedAt: t.openedAt,
    firstRespondedAt: t.firstRespondedAt,
    resolvedAt: t.resolvedAt,
    ratingScore: t.rating?.score ?? null,
    firstResponseMinutes: t.firstResponseMinutes,
    frState: row.sla.firstResponse,
    resState: row.sla.resolution,
    frBusinessMinutes: row.sla.businessMinutes,
  };
}

/** A tenant's time zone as identity's tenant event carries it. */
export interface TenantZoneFacts {
  readonly tenantId: string;
  readonly timezone: string;
  /** When identity committed it; with `eventId`, orders the tenant's events. */
  readonly occurredAt: Date;
  readonly eventId: string;
}
