import {
  catalogHandler,
  startConsumer,
  type Bus,
  type CatalogEnvelope,
  type RunningConsumer,
  type PgPool,
  IN_TRANSACTION_BATCH,
} from '@helpdesk/bus';
import type { EventType, EventTypeOf, slaEventsV1 } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import { ApplyTicketReportsUseCase } from '../../app/apply-ticket-reports.use-case';
import { SLA_TARGET_STATES, type TicketSla } from '../../domain/ticket';
import { PgTicketReportsWriter } from '../../infra/ticket-reports.writer';

const target = z.object({
  state: z.enum(SLA_TARGET_STATES),
  breachedAt: z.date().optional(),
  metAt: z.date().optional(),
});

const eventSchema = z.object({
  ticketId: z.uuid(),
  sequence: z.number().int().min(1),
  sla: z.object({
    policyId: z.string(),
    firstResponseDueAt: z.date().optional(),
    resolutionDueAt: z.date().optional(),
    firstResponse: target,
    resolution: target,
    warning: z.boolean(),
  }),
});

/** The SLA state every SLA event carries; a new helpdesk.sla.* type fails to compile until it is listed here. */
function slaDataOf(event: CatalogEnvelope): slaEventsV1.TicketSlaEvent | undefined {
  // The default takes every other domain's event; the Exclude check in it keeps the helpdesk.sla.* cases complete.
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check
  switch (event.type) {
    case 'helpdesk.sla.warning':
    case 'helpdesk.sla.breached':
    case 'helpdesk.sla.met':
    case 'helpdesk.sla.updated':
      return event.data;
    default: {
      const _other: Exclude<EventType, EventTypeOf<'sla'>> = event.type;
      return undefined;
    }
  }
}

/** Keeps `sla` (and the `slaState` filter) on tickets from the SLA service's events (docs/product/sla.md). */
export function startSlaEventsConsumer(options: { bus: Bus; pool: PgPool; logger: Logger }): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    pool: options.pool,
    domain: 'sla',
    consumer: 'ticket',
    purpose: 'ticket-sla',
    subjects: ['helpdesk.sla.>'],
    batchSize: IN_TRANSACTION_BATCH,
    logger: options.logger,
    handler: catalogHandler(async (envelope, tx) => {
      const data = slaDataOf(envelope);
      if (!data) return;
      const event = eventSchema.parse(data);
      const t = (s: z.infer<typeof target>) => ({
        state: s.state,
        breachedAt: s.breachedAt ?? null,
        metAt: s.metAt ?? null,
      });
      const sla: TicketSla = {
        policyId: event.sla.policyId,
        firstResponseDueAt: event.sla.firstResponseDueAt ?? null,
        resolutionDueAt: event.sla.resolutionDueAt ?? null,
        firstResponse: t(event.sla.firstResponse),
        resolution: t(event.sla.resolution),
        warning: event.sla.warning,
      };
      await new ApplyTicketReportsUseCase(new PgTicketReportsWriter(tx)).sla(
        envelope.tenantId,
        event.ticketId,
        sla,
        BigInt(event.sequence),
      );
    }, options.logger),
  });
}
