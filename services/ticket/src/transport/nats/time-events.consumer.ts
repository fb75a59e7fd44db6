import { startConsumer, type Bus, type RunningConsumer } from '@helpdesk/bus';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import { ApplyTicketReportsUseCase } from '../../app/apply-ticket-reports.use-case';
import { PgTicketReportsWriter } from '../../infra/ticket-reports.writer';

// The part every helpdesk.time.* event carries for the ticket (proto JSON: int64 as a string).
const timeTotalSchema = z.object({
  ticketId: z.uuid(),
  ticketTimeSpentMinutes: z.number().int().min(0).default(0),
  sequence: z.union([z.string().regex(/^\d+$/), z.number().int().min(0)]).transform((v) => BigInt(v)),
});

/** Keeps `timeSpentMinutes` on tickets from the timekeeping service's events. */
export function startTimeEventsConsumer(options: { bus: Bus; databaseUrl: string; logger: Logger }): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    databaseUrl: options.databaseUrl,
    domain: 'time',
    consumer: 'ticket',
    purpose: 'time-spent',
    subjects: ['helpdesk.time.>'],
    logger: options.logger,
    handler: async (envelope, tx) => {
      const total = timeTotalSchema.parse(envelope.data);
      await new ApplyTicketReportsUseCase(new PgTicketReportsWriter(tx)).timeSpent(
        envelope.tenantId,
        total.ticketId,
        total.ticketTimeSpentMinutes,
        total.sequence,
      );
    },
  });
}
