import { z } from 'zod';
import { ACTOR_KINDS, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from '../../../app/rest-values';
import {
  displayNameSchema,
  emailSchema,
  isoDateTime,
  listFilter,
  pageOf,
  pageQueryShape,
} from './common.schema';

// .strict: an unknown field (e.g. `status`, `number`, `tenantId`) is refused, never silently mass-assigned.
export const createTicketBodySchema = z
  .strictObject({
    title: z.string().trim().min(1).max(255),
    description: z
      .string()
      .max(100_000)
      .optional()
      .meta({ description: 'HTML (sanitized by the service) or plain text' }),
    priority: z.enum(TICKET_PRIORITIES).optional().meta({ description: 'medium when absent' }),
    source: z
      .enum(TICKET_SOURCES)
      .optional()
      .meta({ description: 'agent for users, api for API keys when absent' }),
    requester: z
      .strictObject({ email: emailSchema, name: displayNameSchema.optional() })
      .optional()
      .meta({ description: 'Who raised it; the calling agent when absent (required for API keys)' }),
  })
  .meta({ id: 'CreateTicketRequest' });

export const ticketSchema = z
  .object({
    id: z.guid(),
    number: z.number().int().meta({ description: 'Per-tenant number, shown as #1042' }),
    title: z.string(),
    description: z.string().meta({ description: 'Sanitized HTML' }),
    descriptionText: z.string().meta({ description: 'Plain-text copy of the description' }),
    status: z.enum(TICKET_STATUSES).or(z.string()),
    priority: z.enum(TICKET_PRIORITIES).or(z.string()),
    source: z.enum(TICKET_SOURCES).or(z.string()),
    raisedBy: z.string().meta({ description: 'E-mail of the requester' }),
    requester: z.object({ email: z.string(), name: z.string().nullable() }).nullable(),
    createdBy: z.object({ type: z.enum(ACTOR_KINDS), id: z.string().nullable() }).nullable(),
    openedAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int().meta({ description: 'Optimistic-concurrency version' }),
  })
  .meta({ id: 'Ticket' });

export const ticketPageSchema = pageOf(ticketSchema, 'TicketPage');

export const listTicketsQuerySchema = z.strictObject({
  ...pageQueryShape,
  status: listFilter(TICKET_STATUSES, 'statuses'),
  priority: listFilter(TICKET_PRIORITIES, 'priorities'),
});
