// Durable consumer `sla--clocks` on HELPDESK_TICKET: every ticket event carries the whole ticket, which moves its
// clocks; client events carry the client's SLA policy. Applied in the inbox transaction (exactly once).
import { startConsumer, type Bus, type EventEnvelope, type RunningConsumer } from '@helpdesk/bus';
import { ticketEventsV1, type directoryV1, type ticketV1 } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { TrackTicketsUseCase } from '../../app/track-tickets.use-case';
import type { PgClockUnitOfWork } from '../../infra/clock-store';
import { ticketFacts } from '../ticket-facts';

/** Each ticket event type with the ticket(s) it carries; a merge changes both tickets. */
const TICKETS_OF: Record<string, (data: unknown) => Array<ticketV1.Ticket | undefined>> = {
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

const CLIENT_OF: Record<string, (data: unknown) => directoryV1.Client | undefined> = {
  'helpdesk.ticket.client_created': (d) => ticketEventsV1.ClientCreatedEvent.fromJSON(d).client,
  'helpdesk.ticket.client_updated': (d) => ticketEventsV1.ClientUpdatedEvent.fromJSON(d).client,
};

const clientSchema = z.object({
  id: z.guid().transform((v) => v.toLowerCase()),
  tenantId: z.guid().transform((v) => v.toLowerCase()),
  slaPolicyId: z.union([z.literal(''), z.guid()]).transform((v) => (v === '' ? null : v.toLowerCase())),
  version: z.number().int().min(1),
});

function sameTenant(envelope: EventEnvelope, tenantId: string): void {
  // an event never speaks for another tenant's records
  if (tenantId !== envelope.tenantId.toLowerCase()) throw new Error('event data belongs to another tenant');
}

export function startTicketEventsConsumer(deps: {
  bus: Bus;
  databaseUrl: string;
  clocks: PgClockUnitOfWork;
  tracker: TrackTicketsUseCase;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: deps.bus,
    databaseUrl: deps.databaseUrl,
    domain: 'ticket',
    consumer: 'sla',
    purpose: 'clocks',
    subjects: ['helpdesk.ticket.>'],
    logger: deps.logger,
    handler: async (envelope, client) => {
      const tx = deps.clocks.on(client);
      const tickets = TICKETS_OF[envelope.type];
      if (tickets) {
        for (const ticket of tickets(envelope.data)) {
          const facts = ticketFacts(ticket);
          sameTenant(envelope, facts.tenantId);
          await deps.tracker.applyTicket(tx, facts);
        }
        return;
      }
      const clientOf = CLIENT_OF[envelope.type];
      if (clientOf) {
        const c = clientSchema.parse(clientOf(envelope.data));
        sameTenant(envelope, c.tenantId);
        await deps.tracker.applyClient(tx, c);
      }
      // contact events and anything newer: nothing the clocks need
    },
  });
}
