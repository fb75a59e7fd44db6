// What the reports keep of a ticket and of its SLA, as the events carry them (docs/product/reports.md).
import { wholeMinutesBetween } from './stats';
import type { VersionPoint } from './backlog';
import { isOpenStatus } from './backlog';

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

/** A tenant's time zone as identity's tenant event carries it. */
export interface TenantZoneFacts {
  readonly tenantId: string;
  readonly timezone: string;
  /** When identity committed it; with `eventId`, orders the tenant's events. */
  readonly occurredAt: Date;
  readonly eventId: string;
}
