import { GatewayError } from '../../../app/errors';
import { toApiKeyDto } from '../mappers/identity.mapper';
import { toPage, toPageRequest } from '../../../app/pagination';
import { defineRoute, type AnyRoute } from '../route';
import {
  apiKeyPageSchema,
  apiKeySchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
} from '../schemas/api-key.schema';
import { idParamsSchema, pageQuerySchema } from '../schemas/common.schema';
import type { RouteDeps } from './route-deps';

const noKey = () => new GatewayError('INTERNAL', 'Identity service returned no API key');

export function apiKeyRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api-keys',
      operationId: 'listApiKeys',
      summary: "Lists the tenant's API keys, never their secrets (admin)",
      tag: 'people',
      access: 'admin',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of API keys', schema: apiKeyPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.identity.listApiKeys({ tenantId: principal.tenantId, page: toPageRequest(query) }),
          toApiKeyDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/api-keys',
      operationId: 'createApiKey',
      summary: 'Creates an API key; the secret is in this response only (admin)',
      tag: 'people',
      access: 'admin',
      body: createApiKeyBodySchema,
      response: { status: 201, description: 'Created', schema: createdApiKeySchema },
      handle: async ({ principal, body }) => {
        // Admin routes are JWT-only (API keys act as agents), so the creator is a user.
        const createdBy = principal.actor === 'USER' ? principal.userId : '';
        const { apiKey, secret } = await deps.identity.createApiKey({
          tenantId: principal.tenantId,
          name: body.name,
          createdBy,
        });
        if (!apiKey || !secret) throw noKey();
        return { ...toApiKeyDto(apiKey), secret };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revokes an API key (admin)',
      tag: 'people',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'The revoked key', schema: apiKeySchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { apiKey } = await deps.identity.revokeApiKey({ tenantId: principal.tenantId, id: params.id });
        if (!apiKey) throw noKey();
        // Other replicas stop accepting it when their 30 s cache entry expires.
        deps.authenticator.forgetApiKey(principal.tenantId, apiKey.id);
        return toApiKeyDto(apiKey);
      },
    }),
  ];
}
