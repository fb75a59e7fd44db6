// Time rules (docs/product/automation.md "Time"): the instant a rule counts from, and when it falls due. Pure;
// business time is the SLA service's to count (the caller asks it).
import { DateTime, Duration } from 'luxon';
import type { TicketFacts } from './conditions';
import type { Since } from './rule';

/** What the time rules know of a ticket beyond its fields: when it entered its status, when anything happened. */
export interface TicketClock {
  statusEnteredAt: Date;
  lastActivityAt: Date;
}

/** The instant `since` names for a ticket, or null when it has none (e.g. no customer reply yet). */
export function sinceInstant(since: Since, ticket: TicketFacts, clock: TicketClock): Date | null {
  switch (since) {
    case 'status_entered':
      return clock.statusEnteredAt;
    case 'created':
      return ticket.openedAt;
    case 'last_customer_reply':
      return ticket.lastCustomerReplyAt;
    case 'last_agent_reply':
      return ticket.lastAgentReplyAt;
    case 'last_activity':
      return clock.lastActivityAt;
  }
}

/** `after` (ISO-8601) past `from` in real time, counted in `zone` so that days keep their wall-clock time. */
export function plainDue(from: Date, after: string, zone = 'UTC'): Date {
  return DateTime.fromJSDate(from, { zone }).plus(Duration.fromISO(after)).toJSDate();
}

/** `after` in whole business minutes (the SLA calendars' unit), rounded up. */
export function businessMinutes(after: string): number {
  return Math.max(1, Math.ceil(Duration.fromISO(after).as('minutes')));
}
