// The part of a ticket the status workflow (docs/product/tickets.md) owns. Absent optional fields are NULL columns.
import type { TicketStatus } from './ticket-status';

export interface WorkflowState {
  /** The ticket's own id: needed to name it in effects (follow-up source) and to refuse merging into itself. */
  readonly ticketId: string;
  readonly status: TicketStatus;
  readonly openedAt: Date;
  /** The first agent public reply; set once, never changed or cleared (SLA first response). */
  readonly firstRespondedAt?: Date;
  /** Set while `resolved` and kept once `closed`; cleared when the ticket is reopened. */
  readonly resolvedAt?: Date;
  /** Set while `closed`; cleared when the ticket is reopened. */
  readonly closedAt?: Date;
  /** Kept through reopen, so the next resolution can start from it. */
  readonly resolutionDetails?: string;
  readonly lastCustomerReplyAt?: Date;
  readonly lastAgentReplyAt?: Date;
  /** Set by a merge; a merged ticket is closed for good. */
  readonly mergedIntoId?: string;
}

/** docs/product/tickets.md "Status workflow", ticket created: `open`, `openedAt` = now. */
export function openWorkflow(ticketId: string, now: Date): WorkflowState {
  return { ticketId, status: 'open', openedAt: now };
}

/** The timestamps of a state in one list, for monotonic-clock handling. */
export function workflowTimestamps(state: WorkflowState): Date[] {
  return [
    state.openedAt,
    state.firstRespondedAt,
    state.resolvedAt,
    state.closedAt,
    state.lastCustomerReplyAt,
    state.lastAgentReplyAt,
  ].filter((d): d is Date => d !== undefined);
}
