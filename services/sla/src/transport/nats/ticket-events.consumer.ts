// Durable consumer `sla--clocks` on HELPDESK_TICKET: every ticket event carries the whole ticket, which moves its
// clocks; client events carry the client's SLA policy. Applied in the inbox transaction (exactly once).
import {
  catalogHandler,
  startConsumer,
  type Bus,
  type CatalogEnvelope,
  type RunningConsumer,
  type PgPool,
  IN_TRANSACTION_BATCH,
} from '@helpdesk/bus';
import { ticketsOfEvent } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { TrackTicketsUseCase } from '../../app/track-tickets.use-case';
import type { PgClockUnitOfWork } from '../../infra/clock-store';
import { ticketFacts } from '../ticket-facts';

const clientSchema = z.object({
  id: z.guid().transform((v) => v.toLowerCase()),
  tenantId: z.guid().transform((v) => v.toLowerCase()),
  slaPolicyId: z.union([z.literal(''), z.guid()]).transform((v) => (v === '' ? null : v.toLowerCase())),
  version: z.number().int().min(1),
});

function sameTenant(envelope: CatalogEnvelope, tenantId: string): void {
  // an event never speaks for another tenant's records
  if (tenantId !== envelope.tenantId.toLowerCase()) throw new Error('event data belongs to another tenant');
}

export function startTicketEventsConsumer(deps: {
  bus: Bus;
  pool: PgPool;
  clocks: PgClockUnitOfWork;
  tracker: TrackTicketsUseCase;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: deps.bus,
    pool: deps.pool,
    domain: 'ticket',
    consumer: 'sla',
    purpose: 'clocks',
    subjects: ['helpdesk.ticket.>'],
    batchSize: IN_TRANSACTION_BATCH,
    logger: deps.logger,
    handler: catalogHandler(async (event, client) => {
      const tx = deps.clocks.on(client);
      for (const ticket of ticketsOfEvent(event)) {
        const facts = ticketFacts(ticket);
        sameTenant(event, facts.tenantId);
        await deps.tracker.applyTicket(tx, facts);
      }
      if (
        event.type === 'helpdesk.ticket.client_created' ||
        event.type === 'helpdesk.ticket.client_updated'
      ) {
        const c = clientSchema.parse(event.data.client);
        sameTenant(event, c.tenantId);
        await deps.tracker.applyClient(tx, c);
      }
      // contact events and anything newer: nothing the clocks need
    }, deps.logger),
  });
}
