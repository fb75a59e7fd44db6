// Status vocabulary of docs/product/tickets.md and the two questions other modules ask about a status.
import { isTicketStatus, TICKET_STATUSES, type TicketStatus } from '../ticket';

// One definition of the enum (domain/ticket.ts); re-exported so the workflow module is self-contained.
export { isTicketStatus, TICKET_STATUSES, type TicketStatus };

/** Statuses in which work is still owed: everything before `resolved`. */
export const OPEN_STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** The SLA clock pauses in these unless a policy names others (docs/product/sla.md). */
export const DEFAULT_SLA_PAUSE_STATUSES: readonly TicketStatus[] = [
  'waiting_on_customer',
  'waiting_on_third_party',
];

/** True while the ticket is unresolved (Zendesk's "unsolved"); `resolved` and `closed` are not open. */
export function isOpenStatus(status: TicketStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly TicketStatus[]).includes(status);
}

/**
 * Whether a ticket in `status` has its SLA clock paused under a policy's pause list.
 * Only open statuses can pause: a resolved or closed ticket's clocks are stopped (met or breached), not paused,
 * even if a policy lists them.
 */
export function pausesSla(
  status: TicketStatus,
  pauseStatuses: readonly TicketStatus[] = DEFAULT_SLA_PAUSE_STATUSES,
): boolean {
  return isOpenStatus(status) && pauseStatuses.includes(status);
}
