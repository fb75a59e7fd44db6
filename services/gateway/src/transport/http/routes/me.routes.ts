import { GatewayError } from '../../../app/errors';
import { toUserDto } from '../mappers/identity.mapper';
import { toPage, toPageRequest } from '../../../app/pagination';
import { toTodoDto } from '../mappers/ticket.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { todoPageSchema, todosQuerySchema } from '../schemas/ticket.schema';
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
    defineRoute({
      method: 'get',
      path: '/me/todos',
      operationId: 'getMyTodos',
      summary: "The signed-in agent's to-dos: tickets assigned to them, open until resolved or reassigned",
      tag: 'me',
      access: 'tenant',
      query: todosQuerySchema,
      response: { status: 200, description: 'A page of to-dos, newest first', schema: todoPageSchema },
      handle: async ({ principal, query }) => {
        if (principal.actor !== 'USER') {
          throw new GatewayError('INVALID_ARGUMENT', 'To-dos belong to signed-in agents, not API keys');
        }
        return toPage(
          await deps.tickets.listTodos({
            tenantId: principal.tenantId,
            userId: principal.userId,
            state: query.state ?? '',
            page: toPageRequest(query),
          }),
          toTodoDto,
        );
      },
    }),
  ];
}
