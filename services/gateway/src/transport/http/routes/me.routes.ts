import { GatewayError } from '../../../app/errors';
import { toUserDto } from '../../../app/identity.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { meSchema } from '../schemas/user.schema';
import type { RouteDeps } from './route-deps';

export function meRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      summary: 'The caller: the signed-in user, or the API key',
      tag: 'me',
      access: 'tenant',
      response: { status: 200, description: 'The caller', schema: meSchema },
      handle: async ({ principal }) => {
        if (principal.actor === 'API_KEY') {
          return {
            type: 'api_key' as const,
            id: principal.apiKeyId,
            tenantId: principal.tenantId,
            role: 'agent' as const,
          };
        }
        const { user } = await deps.identity.getUser({ tenantId: principal.tenantId, id: principal.userId });
        if (!user) throw new GatewayError('INTERNAL', 'Identity service returned no user');
        return { type: 'user' as const, tenantId: principal.tenantId, ...toUserDto(user) };
      },
    }),
  ];
}
