// What can happen to a ticket's workflow, and what else must happen as a result.
import type { TicketStatus } from './ticket-status';

export type WorkflowEvent =
  /** An agent (or an automation action acting like one) picks a status. */
  | { readonly type: 'agent_set_status'; readonly to: TicketStatus; readonly resolutionDetails?: string }
  /** A reply visible to the customer; `statusWithReply` is the status chosen with it ("submit as ..."). */
  | {
      readonly type: 'agent_public_reply';
      readonly statusWithReply?: TicketStatus;
      readonly resolutionDetails?: string;
    }
  /** Never a response: changes nothing in the workflow. */
  | { readonly type: 'agent_internal_note' }
  /** An e-mail or portal reply from the customer. */
  | { readonly type: 'customer_reply' }
  /** The customer accepts the resolution (portal "confirm"). */
  | { readonly type: 'customer_confirm' }
  /** An agent reopens a closed ticket. */
  | { readonly type: 'reopen' }
  /** This ticket was merged into `ticketId`. */
  | { readonly type: 'merged_into'; readonly ticketId: string }
  /** A default auto-close rule fired; `from` is the status the rule matched, re-checked here against races. */
  | { readonly type: 'auto_close'; readonly from: AutoCloseFrom };

/**
 * docs/product/tickets.md "Status workflow": 7 days without a customer reply in
 * `waiting_on_customer`, 3 days without activity in `resolved`.
 */
export const AUTO_CLOSE_FROM = ['waiting_on_customer', 'resolved'] as const;
export type AutoCloseFrom = (typeof AUTO_CLOSE_FROM)[number];

export type WorkflowEffect =
  /** Emit `helpdesk.ticket.status_changed`; present exactly when the status changed. */
  | { readonly kind: 'status_changed'; readonly from: TicketStatus; readonly to: TicketStatus }
  /**
   * Tell the customer the ticket is resolved; they may confirm or reply
   * (docs/product/tickets.md "Status workflow", → resolved).
   */
  | { readonly kind: 'notify_customer_resolved' }
  /**
   * The assignee's to-do for this ticket is done (docs/product/tickets.md "Assignment":
   * resolved, or closed without resolving).
   */
  | { readonly kind: 'todo_done' }
  /** The ticket is back to work: the assignee, if any, gets an open to-do again. */
  | { readonly kind: 'todo_reopen' }
  /** The reply belongs on a new ticket linked as follow-up of `fromTicketId`; this ticket is unchanged. */
  | { readonly kind: 'create_follow_up'; readonly fromTicketId: string }
  /** The reply belongs on `ticketId`, the ticket this one was merged into; this ticket is unchanged. */
  | { readonly kind: 'redirect_to'; readonly ticketId: string };
