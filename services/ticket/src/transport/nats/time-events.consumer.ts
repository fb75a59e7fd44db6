import {
  catalogHandler,
  startConsumer,
  type Bus,
  type CatalogEnvelope,
  type RunningConsumer,
  type PgPool,
} from '@helpdesk/bus';
import type { EventType, EventTypeOf } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import { ApplyTicketReportsUseCase } from '../../app/apply-ticket-reports.use-case';
import { PgTicketReportsWriter } from '../../infra/ticket-reports.writer';

// The part every helpdesk.time.* event carries for the ticket.
const timeTotalSchema = z.object({
  ticketId: z.uuid(),
  ticketTimeSpentMinutes: z.number().int().min(0),
  sequence: z
    .number()
    .int()
    .min(0)
    .transform((v) => BigInt(v)),
});

/** The ticket's total of a time event; a new helpdesk.time.* type fails to compile until it is listed here. */
function timeTotalOf(
  event: CatalogEnvelope,
): { ticketId: string; ticketTimeSpentMinutes: number; sequence: number } | undefined {
  // The default takes every other domain's event; the Exclude check in it keeps the helpdesk.time.* cases complete.
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check
  switch (event.type) {
    case 'helpdesk.time.timer_started':
    case 'helpdesk.time.timer_stopped':
    case 'helpdesk.time.entry_created':
    case 'helpdesk.time.entry_updated':
    case 'helpdesk.time.entry_deleted':
      return event.data;
    default: {
      const _other: Exclude<EventType, EventTypeOf<'time'>> = event.type;
      return undefined;
    }
  }
}

/** Keeps `timeSpentMinutes` on tickets from the timekeeping service's events. */
export function startTimeEventsConsumer(options: {
  bus: Bus;
  pool: PgPool;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    pool: options.pool,
    domain: 'time',
    consumer: 'ticket',
    purpose: 'time-spent',
    subjects: ['helpdesk.time.>'],
    logger: options.logger,
    handler: catalogHandler(async (envelope, tx) => {
      const data = timeTotalOf(envelope);
      if (!data) return;
      const total = timeTotalSchema.parse(data);
      await new ApplyTicketReportsUseCase(new PgTicketReportsWriter(tx)).timeSpent(
        envelope.tenantId,
        total.ticketId,
        total.ticketTimeSpentMinutes,
        total.sequence,
      );
    }, options.logger),
  });
}
