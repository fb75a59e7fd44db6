// Keeps timekeeping's copies of tickets (number, title, client) from the ticket events: every ticket event
// carries the whole ticket after the change, and the copy with the highest ticket version wins.
import { startConsumer, type Bus, type EventEnvelope, type RunningConsumer } from '@helpdesk/bus';
import { ticketEventsV1, type ticketV1 } from '@helpdesk/contracts';
import { isUuid, type Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { TicketInfo } from '../../domain/entry';
import { recordTicket } from '../../infra/ticket-catalog';

// Each event type's data message and the tickets it carries (a merge names both tickets).
const TICKET_EVENTS: Record<string, (data: unknown) => Array<ticketV1.Ticket | undefined>> = {
  'helpdesk.ticket.created': (d) => [ticketEventsV1.TicketCreatedEvent.fromJSON(d).ticket],
  'helpdesk.ticket.updated': (d) => [ticketEventsV1.TicketUpdatedEvent.fromJSON(d).ticket],
  'helpdesk.ticket.status_changed': (d) => [ticketEventsV1.TicketStatusChangedEvent.fromJSON(d).ticket],
  'helpdesk.ticket.assigned': (d) => [ticketEventsV1.TicketAssignedEvent.fromJSON(d).ticket],
  'helpdesk.ticket.message_added': (d) => [ticketEventsV1.MessageAddedEvent.fromJSON(d).ticket],
  'helpdesk.ticket.merged': (d) => {
    const merged = ticketEventsV1.TicketMergedEvent.fromJSON(d);
    return [merged.ticket, merged.into];
  },
};

export const TICKET_EVENT_SUBJECTS = Object.keys(TICKET_EVENTS);

const uuid = z
  .string()
  .refine(isUuid, { message: 'must be a uuid' })
  .transform((v) => v.toLowerCase());

const ticketSchema = z.object({
  id: uuid,
  tenantId: uuid,
  number: z.number().int().min(1),
  title: z.string(),
  clientId: z.union([z.literal(''), uuid]).transform((v) => (v === '' ? null : v)),
  version: z.number().int().min(1),
});

/** The ticket copies an event carries, checked; throws (the event is retried, then dead-lettered) if invalid. */
export function ticketsOf(envelope: EventEnvelope): TicketInfo[] {
  const decode = TICKET_EVENTS[envelope.type];
  if (!decode) return [];
  const tickets = decode(envelope.data).map((t) => ticketSchema.parse(t));
  for (const ticket of tickets) {
    if (ticket.tenantId !== envelope.tenantId.toLowerCase()) {
      throw new Error('ticket event carries a ticket of another tenant');
    }
  }
  // in id order, like every other writer locks tickets
  return tickets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function startTicketEventsConsumer(options: {
  bus: Bus;
  databaseUrl: string;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    databaseUrl: options.databaseUrl,
    domain: 'ticket',
    consumer: 'timekeeping',
    purpose: 'ticket-copies',
    subjects: TICKET_EVENT_SUBJECTS,
    logger: options.logger,
    handler: async (envelope, tx) => {
      for (const ticket of ticketsOf(envelope)) await recordTicket(tx, ticket);
    },
  });
}
