import { z } from 'zod';
import { TICKET_PRIORITIES } from '../../../app/rest-values';
import { displayNameSchema, isoDateTime, pageOf } from './common.schema';

const fields = {
  title: z.string().trim().max(300).optional(),
  description: z.string().max(100_000).optional().meta({ description: 'HTML (sanitized) or plain text' }),
  type: z.string().trim().max(100).nullable().optional(),
  category: z.string().trim().max(100).nullable().optional(),
  priority: z.enum(TICKET_PRIORITIES).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
};

export const createTemplateBodySchema = z
  .strictObject({ name: displayNameSchema, ...fields })
  .meta({ id: 'CreateTicketTemplateRequest' });

export const updateTemplateBodySchema = z
  .strictObject({ name: displayNameSchema.optional(), ...fields })
  .meta({ id: 'UpdateTicketTemplateRequest' });

export const templateSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    title: z.string(),
    description: z.string().meta({ description: 'Sanitized HTML' }),
    descriptionText: z.string(),
    type: z.string().nullable(),
    category: z.string().nullable(),
    priority: z.string().nullable(),
    tags: z.array(z.string()),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'TicketTemplate' });

export const templatePageSchema = pageOf(templateSchema, 'TicketTemplatePage');

const closedReplyPolicy = z
  .union([
    z.enum(['follow_up', 'reopen']),
    z.strictObject({ reopenWithinDays: z.number().int().min(0).max(365) }),
  ])
  .meta({
    description:
      'What a customer reply to a closed ticket does: follow_up (new linked ticket), reopen, or reopen within N days',
  });

export const ticketSettingsSchema = z
  .object({
    types: z.array(z.string()),
    categories: z.array(z.string()),
    closedReplyPolicy,
    attachmentMaxBytes: z.number().int(),
    version: z.number().int().meta({ description: '0 while the defaults apply (If-Match on PATCH)' }),
  })
  .meta({ id: 'TicketSettings' });

const tenantList = z.array(z.string().trim().min(1).max(100)).max(100);

export const updateTicketSettingsBodySchema = z
  .strictObject({
    types: tenantList.optional(),
    categories: tenantList.optional(),
    closedReplyPolicy: closedReplyPolicy.optional(),
    attachmentMaxBytes: z
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .optional(),
  })
  .meta({ id: 'UpdateTicketSettingsRequest' });
