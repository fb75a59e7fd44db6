import { z } from 'zod';
import { isoDateTime, pageOf } from './common.schema';

const urlSchema = z.string().trim().min(1).max(2000).meta({
  description:
    'http or https URL; refused (400) when it resolves to a loopback, private, link-local or cloud-metadata address',
});
const eventsSchema = z.array(z.string().trim().min(1).max(100)).min(1).max(100).meta({
  description:
    'Event types without the `helpdesk.` prefix (ticket.created, ticket.updated, sla.breached, …; docs/product/webhooks.md), or ["*"] for all',
});
const descriptionSchema = z.string().trim().max(500);

export const createWebhookBodySchema = z
  .strictObject({ url: urlSchema, events: eventsSchema, description: descriptionSchema.optional() })
  .meta({ id: 'CreateWebhookRequest' });

export const updateWebhookBodySchema = z
  .strictObject({
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    description: descriptionSchema.optional(),
    active: z
      .boolean()
      .optional()
      .meta({ description: 'false pauses deliveries; true enables a disabled endpoint again' }),
    rotateSecret: z.boolean().optional().meta({
      description: 'true issues a new secret, answered once; the old one signs too for 24 hours',
    }),
  })
  .meta({ id: 'UpdateWebhookRequest' });

export const webhookSchema = z
  .object({
    id: z.guid(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string(),
    active: z.boolean(),
    disabledReason: z
      .enum(['gone', 'failing', 'admin'])
      .nullable()
      .meta({ description: 'gone: the receiver answered 410; failing: 5 days of failed deliveries; admin' }),
    disabledAt: isoDateTime().nullable(),
    previousSecretExpiresAt: isoDateTime()
      .nullable()
      .meta({ description: 'After a rotation: until when the old secret signs too' }),
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Webhook' });

export const webhookWithSecretSchema = webhookSchema
  .extend({
    secret: z.string().meta({
      description: 'Signing secret (whsec_ + base64 of 32 bytes), Standard Webhooks; shown only here',
    }),
  })
  .meta({ id: 'WebhookWithSecret' });

export const webhookPageSchema = pageOf(webhookSchema, 'WebhookPage');

export const webhookAttemptSchema = z
  .object({
    at: isoDateTime(),
    statusCode: z.number().int().nullable().meta({ description: 'null when there was no answer' }),
    durationMs: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookDeliverySchema = z
  .object({
    id: z.guid(),
    eventId: z.guid().meta({ description: 'The event id, also the webhook-id header' }),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.array(webhookAttemptSchema),
    nextAttemptAt: isoDateTime().nullable(),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveryPageSchema = pageOf(webhookDeliverySchema, 'WebhookDeliveryPage');

export const deliveryParamsSchema = z.strictObject({
  id: z.guid().meta({ description: 'Webhook id' }),
  deliveryId: z.guid().meta({ description: 'Delivery id' }),
});
