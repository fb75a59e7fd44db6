// Keeps timekeeping's copies of tickets (number, title, client) from the ticket events: every ticket event
// carries the whole ticket after the change, and the copy with the highest ticket version wins.
import {
  catalogHandler,
  startConsumer,
  type Bus,
  type CatalogEnvelope,
  type RunningConsumer,
  type PgPool,
  IN_TRANSACTION_BATCH,
} from '@helpdesk/bus';
import { ticketsOfEvent, type EventType } from '@helpdesk/contracts';
import { isUuid, type Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { TicketInfo } from '../../domain/entry';
import { recordTicket } from '../../infra/ticket-catalog';

// The ticket events that carry a ticket; client and contact events are not fetched.
export const TICKET_EVENT_SUBJECTS = [
  'helpdesk.ticket.created',
  'helpdesk.ticket.updated',
  'helpdesk.ticket.status_changed',
  'helpdesk.ticket.assigned',
  'helpdesk.ticket.message_added',
  'helpdesk.ticket.merged',
] satisfies EventType[];

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
export function ticketsOf(envelope: CatalogEnvelope): TicketInfo[] {
  const tickets = ticketsOfEvent(envelope).map((t) => ticketSchema.parse(t));
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
  pool: PgPool;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    pool: options.pool,
    domain: 'ticket',
    consumer: 'timekeeping',
    purpose: 'ticket-copies',
    subjects: TICKET_EVENT_SUBJECTS,
    batchSize: IN_TRANSACTION_BATCH,
    logger: options.logger,
    handler: catalogHandler(async (event, tx) => {
      for (const ticket of ticketsOf(event)) await recordTicket(tx, ticket);
    }, options.logger),
  });
}
