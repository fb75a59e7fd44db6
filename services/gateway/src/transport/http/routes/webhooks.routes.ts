import { GatewayError } from '../../../app/errors';
import { toPage } from '../../../app/pagination';
import { toActor } from '../../../app/principal';
import { toWebhookDeliveryDto, toWebhookDto } from '../mappers/webhook.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { idParamsSchema, ifMatchHeadersSchema, pageQuerySchema } from '../schemas/common.schema';
import {
  createWebhookBodySchema,
  deliveryParamsSchema,
  updateWebhookBodySchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
  webhookPageSchema,
  webhookSchema,
  webhookWithSecretSchema,
} from '../schemas/webhook.schema';
import type { RouteDeps } from './route-deps';

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GatewayError('INTERNAL', `Notification service returned no ${what}`);
  return value;
}

/** Webhooks (docs/product/webhooks.md), admins only: endpoints, secret rotation, the delivery log, retries. */
export function webhookRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/webhooks',
      operationId: 'listWebhooks',
      summary: "Lists the tenant's webhook endpoints (admin), oldest first; secrets are never returned",
      tag: 'webhooks',
      access: 'admin',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of webhooks', schema: webhookPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.webhooks.listWebhooks({
            tenantId: principal.tenantId,
            page: { limit: query.limit, cursor: query.cursor ?? '' },
          }),
          toWebhookDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks',
      operationId: 'createWebhook',
      summary:
        'Creates a webhook endpoint (admin); the answer holds its signing secret, shown only this once',
      tag: 'webhooks',
      access: 'admin',
      body: createWebhookBodySchema,
      response: { status: 201, description: 'Created', schema: webhookWithSecretSchema },
      handle: async ({ principal, body }) => {
        const answer = await deps.webhooks.createWebhook({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          url: body.url,
          events: body.events,
          description: body.description ?? '',
        });
        return { ...toWebhookDto(present(answer.webhook, 'webhook')), secret: answer.secret };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/webhooks/:id',
      operationId: 'updateWebhook',
      summary: 'Changes a webhook endpoint (admin); rotateSecret answers a new secret once',
      tag: 'webhooks',
      access: 'admin',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateWebhookBodySchema,
      response: {
        status: 200,
        description: 'The webhook after the change',
        schema: webhookWithSecretSchema.partial({ secret: true }),
      },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const answer = await deps.webhooks.updateWebhook({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
          ...(headers['if-match'] !== undefined ? { expectedVersion: headers['if-match'] } : {}),
          ...(body.url !== undefined ? { url: body.url } : {}),
          events: body.events ?? [],
          setEvents: body.events !== undefined,
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          rotateSecret: body.rotateSecret ?? false,
        });
        const dto = toWebhookDto(present(answer.webhook, 'webhook'));
        return answer.secret ? { ...dto, secret: answer.secret } : dto;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/webhooks/:id',
      operationId: 'deleteWebhook',
      summary: 'Deletes a webhook endpoint and its delivery log (admin)',
      tag: 'webhooks',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'Deleted', schema: webhookSchema.pick({ id: true }) },
      errors: [404],
      handle: async ({ principal, params }) => {
        await deps.webhooks.deleteWebhook({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
        });
        return { id: params.id };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhooks/:id/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: "Lists a webhook's deliveries with every attempt (admin), newest first",
      tag: 'webhooks',
      access: 'admin',
      params: idParamsSchema,
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of deliveries', schema: webhookDeliveryPageSchema },
      errors: [404],
      handle: async ({ principal, params, query }) =>
        toPage(
          await deps.webhooks.listWebhookDeliveries({
            tenantId: principal.tenantId,
            webhookId: params.id,
            page: { limit: query.limit, cursor: query.cursor ?? '' },
          }),
          toWebhookDeliveryDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/:id/deliveries/:deliveryId/retry',
      operationId: 'retryWebhookDelivery',
      summary: 'Sends a delivery again now (admin); 409 while the webhook is disabled',
      tag: 'webhooks',
      access: 'admin',
      params: deliveryParamsSchema,
      response: { status: 200, description: 'The delivery, pending again', schema: webhookDeliverySchema },
      errors: [404, 409],
      handle: async ({ principal, params }) =>
        toWebhookDeliveryDto(
          present(
            (
              await deps.webhooks.retryWebhookDelivery({
                tenantId: principal.tenantId,
                actor: toActor(principal),
                webhookId: params.id,
                deliveryId: params.deliveryId,
              })
            ).delivery,
            'delivery',
          ),
        ),
    }),
  ];
}
