// A ticket of the contract (event data, or the ticket the gateway read) → the facts the clocks use, checked by zod:
// proto3 has no required fields, so a ticket without id, tenant, version or opening is refused here.
import type { ticketV1 } from '@helpdesk/contracts';
import { z } from 'zod';
import type { TicketFacts } from '../domain';

const uuid = z.guid().transform((v) => v.toLowerCase());
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? null : v));
const date = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a valid instant');
const maybeDate = date.optional().transform((d) => d ?? null);

const ticketSchema = z.object({
  id: uuid,
  tenantId: uuid,
  number: z.number().int().min(0),
  version: z.number().int().min(1),
  status: z.string().min(1).max(40),
  priority: z.string().max(20),
  type: z
    .string()
    .max(100)
    .transform((v) => v || null),
  clientId: optionalUuid,
  openedAt: date,
  updatedAt: date.optional(),
  firstRespondedAt: maybeDate,
  lastAgentReplyAt: maybeDate,
  resolvedAt: maybeDate,
  closedAt: maybeDate,
});

/** Throws a ZodError naming the bad fields. */
export function ticketFacts(ticket: ticketV1.Ticket | undefined): TicketFacts {
  const t = ticketSchema.parse(ticket);
  return {
    id: t.id,
    tenantId: t.tenantId,
    number: t.number,
    version: t.version,
    status: t.status,
    priority: t.priority,
    type: t.type,
    clientId: t.clientId,
    openedAt: t.openedAt,
    // a ticket never changed since it was opened
    updatedAt: t.updatedAt ?? t.openedAt,
    firstRespondedAt: t.firstRespondedAt,
    lastAgentReplyAt: t.lastAgentReplyAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
  };
}
