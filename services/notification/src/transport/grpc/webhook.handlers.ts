import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { webhookV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import {
  decodeKeysetCursor,
  decodeSeqCursor,
  encodeKeysetCursor,
  encodeSeqCursor,
  InvalidCursorError,
  invalidArgument,
  type Logger,
} from '@helpdesk/platform';
import { z } from 'zod';
import type { WebhookDelivery, WebhookEndpoint } from '../../app/webhook.ports';
import type { WebhooksUseCases } from '../../app/webhooks.use-cases';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a uuid');
const url = z.string().trim().min(1).max(2000);
const events = z.array(z.string().max(100)).max(100);
const description = z.string().trim().max(500);
const page = z
  .object({ limit: z.number().int().min(0).max(200), cursor: z.string().max(1024) })
  .optional()
  .transform((p) => ({ limit: p?.limit || 50, cursor: p?.cursor ?? '' }));

const createSchema = z.object({ tenantId: uuid, url, events, description });
const listSchema = z.object({ tenantId: uuid, page });
const updateSchema = z.object({
  tenantId: uuid,
  id: uuid,
  expectedVersion: z.number().int().optional(),
  url: url.optional(),
  events,
  setEvents: z.boolean(),
  description: description.optional(),
  active: z.boolean().optional(),
  rotateSecret: z.boolean(),
});
const byIdSchema = z.object({ tenantId: uuid, id: uuid });
const deliveriesSchema = z.object({ tenantId: uuid, webhookId: uuid, page });
const retrySchema = z.object({ tenantId: uuid, webhookId: uuid, deliveryId: uuid });
// the envelope of SPEC §10, as JSON
const envelopeSchema = z.object({
  id: uuid,
  type: z.string().min(1).max(200),
  version: z.number().int().min(1),
  tenantId: uuid,
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});
const enqueueSchema = z.object({
  tenantId: uuid,
  webhookId: uuid,
  eventJson: z
    .string()
    .max(1_000_000)
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(envelopeSchema),
});

function toProtoWebhook(e: WebhookEndpoint): webhookV1.Webhook {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    active: e.active,
    disabledReason: e.disabledReason ?? '',
    disabledAt: e.disabledAt ?? undefined,
    previousSecretExpiresAt: e.previousSecretExpiresAt ?? undefined,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}

function toProtoDelivery(d: WebhookDelivery): webhookV1.WebhookDelivery {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts.map((a) => ({
      at: a.at,
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error ?? '',
    })),
    nextAttemptAt: d.nextAttemptAt ?? undefined,
    createdAt: d.createdAt,
  };
}

function cursorOf<T>(raw: string, decode: (raw: string) => T): T | undefined {
  if (!raw) return undefined;
  try {
    return decode(raw);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw invalidArgument('cursor is not valid');
    throw err;
  }
}

/** WebhookService: proto in, zod-checked input to the use cases, proto out. */
export function webhookHandlers(deps: {
  webhooks: WebhooksUseCases;
  logger: Logger;
  /** Wakes the delivery worker after a delivery was queued. */
  wake: () => void;
}): webhookV1.WebhookServiceServer & UntypedServiceImplementation {
  const { webhooks, logger } = deps;
  return {
    createWebhook: unary(async (request: webhookV1.CreateWebhookRequest) => {
      const input = createSchema.parse(request);
      const { webhook, secret } = await webhooks.create(input);
      logger.info({ tenantId: input.tenantId, webhookId: webhook.id }, 'webhook created');
      return { webhook: toProtoWebhook(webhook), secret };
    }, logger),

    listWebhooks: unary(async (request: webhookV1.ListWebhooksRequest) => {
      const input = listSchema.parse(request);
      const after = cursorOf(input.page.cursor, decodeKeysetCursor);
      const items = await webhooks.list(input.tenantId, input.page.limit + 1, after);
      const more = items.length > input.page.limit;
      const pageItems = items.slice(0, input.page.limit);
      const last = pageItems.at(-1);
      return {
        items: pageItems.map(toProtoWebhook),
        nextCursor: more && last ? encodeKeysetCursor({ at: last.createdAt, id: last.id }) : '',
      };
    }, logger),

    updateWebhook: unary(async (request: webhookV1.UpdateWebhookRequest) => {
      const input = updateSchema.parse(request);
      const { webhook, secret } = await webhooks.update({
        tenantId: input.tenantId,
        id: input.id,
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.setEvents ? { events: input.events } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        rotateSecret: input.rotateSecret,
      });
      logger.info(
        { tenantId: input.tenantId, webhookId: webhook.id, rotated: secret !== null },
        'webhook updated',
      );
      return { webhook: toProtoWebhook(webhook), secret: secret ?? '' };
    }, logger),

    deleteWebhook: unary(async (request: webhookV1.DeleteWebhookRequest) => {
      const input = byIdSchema.parse(request);
      await webhooks.delete(input.tenantId, input.id);
      logger.info({ tenantId: input.tenantId, webhookId: input.id }, 'webhook deleted');
      return {};
    }, logger),

    listWebhookDeliveries: unary(async (request: webhookV1.ListWebhookDeliveriesRequest) => {
      const input = deliveriesSchema.parse(request);
      const before = cursorOf(input.page.cursor, decodeSeqCursor);
      const items = await webhooks.deliveries(input.tenantId, input.webhookId, input.page.limit + 1, before);
      const more = items.length > input.page.limit;
      const pageItems = items.slice(0, input.page.limit);
      const last = pageItems.at(-1);
      return {
        items: pageItems.map(toProtoDelivery),
        nextCursor: more && last ? encodeSeqCursor(last.seq) : '',
      };
    }, logger),

    retryWebhookDelivery: unary(async (request: webhookV1.RetryWebhookDeliveryRequest) => {
      const input = retrySchema.parse(request);
      const delivery = await webhooks.retry(input.tenantId, input.webhookId, input.deliveryId);
      logger.info(
        { tenantId: input.tenantId, webhookId: input.webhookId, deliveryId: delivery.id },
        'webhook delivery retried',
      );
      return { delivery: toProtoDelivery(delivery) };
    }, logger),

    getWebhook: unary(async (request: webhookV1.GetWebhookRequest) => {
      const input = byIdSchema.parse(request);
      return { webhook: toProtoWebhook(await webhooks.get(input.tenantId, input.id)) };
    }, logger),

    enqueueWebhookDelivery: unary(async (request: webhookV1.EnqueueWebhookDeliveryRequest) => {
      const input = enqueueSchema.parse(request);
      const queued = await webhooks.enqueue(input.tenantId, input.webhookId, input.eventJson);
      if (!queued.duplicate) deps.wake();
      logger.info(
        {
          tenantId: input.tenantId,
          webhookId: input.webhookId,
          deliveryId: queued.id,
          duplicate: queued.duplicate,
        },
        'webhook delivery queued',
      );
      return { deliveryId: queued.id, duplicate: queued.duplicate };
    }, logger),
  };
}
