// Event data → the facts the read model keeps, checked by zod: proto3 has no required fields, so a ticket without
// id, tenant, version or opening, or an SLA event without ticket or sequence, is refused here (retried, then
// dead-lettered), and data of another tenant than the envelope's never lands.
import { announcedTenant, type CatalogEnvelope } from '@helpdesk/bus';
import { assertNever, ticketsOfEvent } from '@helpdesk/contracts';
import { isUuid } from '@helpdesk/platform';
import { z } from 'zod';
import { SLA_STATES, type SlaFacts, type TenantZoneFacts, type TicketFacts } from '../domain';

const uuid = z
  .string()
  .refine(isUuid, { message: 'must be a uuid' })
  .transform((v) => v.toLowerCase());
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? null : v));
const date = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid instant');
const maybeDate = date.optional().transform((d) => d ?? null);
const slaState = z.enum(SLA_STATES);

const ticketSchema = z.object({
  id: uuid,
  tenantId: uuid,
  number: z.number().int().min(0),
  version: z.number().int().min(1),
  status: z.string().min(1).max(40),
  priority: z.string().max(20),
  clientId: optionalUuid,
  assigneeId: optionalUuid,
  teamId: optionalUuid,
  openedAt: date,
  updatedAt: date.optional(),
  firstRespondedAt: maybeDate,
  resolvedAt: maybeDate,
  closedAt: maybeDate,
  mergedIntoId: optionalUuid,
  rating: z
    .object({ score: z.number().int().min(1).max(5), ratedAt: date })
    .optional()
    .transform((r) => r ?? null),
});

const slaEventSchema = z.object({
  ticketId: uuid,
  sequence: z.number().int().min(1),
  sla: z.object({
    policyId: optionalUuid,
    firstResponse: z.object({ state: slaState }),
    resolution: z.object({ state: slaState }),
  }),
  firstResponseBusinessMinutes: z
    .number()
    .int()
    .min(0)
    .optional()
    .transform((m) => m ?? null),
});

function sameTenant(envelope: CatalogEnvelope, tenantId: string): void {
  if (tenantId !== envelope.tenantId.toLowerCase()) throw new Error('event data belongs to another tenant');
}

/** What one event tells the read model. */
export type ReadModelFact =
  | { kind: 'tickets'; tenantId: string; tickets: TicketFacts[] }
  | { kind: 'sla'; facts: SlaFacts }
  | { kind: 'tenant'; facts: TenantZoneFacts }
  | { kind: 'none' };

/** The facts of a catalog event; `none` for the events the reports have no use for. */
export function factOf(event: CatalogEnvelope): ReadModelFact {
  const tenantId = event.tenantId.toLowerCase();
  switch (event.type) {
    case 'helpdesk.ticket.created':
    case 'helpdesk.ticket.updated':
    case 'helpdesk.ticket.status_changed':
    case 'helpdesk.ticket.assigned':
    case 'helpdesk.ticket.message_added':
    case 'helpdesk.ticket.merged': {
      const tickets = ticketsOfEvent(event).map((raw) => {
        const t = ticketSchema.parse(raw);
        sameTenant(event, t.tenantId);
        // a ticket never changed since it was opened
        return { ...t, updatedAt: t.updatedAt ?? t.openedAt };
      });
      return { kind: 'tickets', tenantId, tickets };
    }
    case 'helpdesk.sla.warning':
    case 'helpdesk.sla.breached':
    case 'helpdesk.sla.met':
    case 'helpdesk.sla.updated': {
      const e = slaEventSchema.parse(event.data);
      return {
        kind: 'sla',
        facts: {
          tenantId,
          ticketId: e.ticketId,
          sequence: e.sequence,
          policyId: e.sla.policyId,
          firstResponse: e.sla.firstResponse.state,
          resolution: e.sla.resolution.state,
          firstResponseBusinessMinutes: e.firstResponseBusinessMinutes,
        },
      };
    }
    case 'helpdesk.identity.tenant_created':
    case 'helpdesk.identity.tenant_updated': {
      const t = announcedTenant(event);
      return {
        kind: 'tenant',
        facts: {
          tenantId: t.tenantId,
          timezone: t.timezone,
          occurredAt: new Date(event.occurredAt),
          eventId: event.id.toLowerCase(),
        },
      };
    }
    case 'helpdesk.ticket.client_created':
    case 'helpdesk.ticket.client_updated':
    case 'helpdesk.ticket.contact_created':
    case 'helpdesk.ticket.contact_updated':
    case 'helpdesk.identity.user_created':
    case 'helpdesk.identity.user_updated':
    case 'helpdesk.mail.received':
    case 'helpdesk.mail.mailbox_needs_reauthorization':
    case 'helpdesk.time.timer_started':
    case 'helpdesk.time.timer_stopped':
    case 'helpdesk.time.entry_created':
    case 'helpdesk.time.entry_updated':
    case 'helpdesk.time.entry_deleted':
    case 'helpdesk.automation.notify_requested':
    case 'helpdesk.automation.rule_fired':
    case 'helpdesk.automation.run_completed':
    case 'helpdesk.notify.created':
      return { kind: 'none' };
    default:
      return assertNever(event, 'event');
  }
}
