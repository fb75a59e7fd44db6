import { GatewayError } from '../../../app/errors';
import { toUpdateUserRequest, toUserDto } from '../mappers/identity.mapper';
import { toPage, toPageRequest } from '../../../app/pagination';
import { defineRoute, type AnyRoute } from '../route';
import { idParamsSchema, pageQuerySchema } from '../schemas/common.schema';
import {
  createUserBodySchema,
  updateUserBodySchema,
  userPageSchema,
  userSchema,
} from '../schemas/user.schema';
import type { RouteDeps } from './route-deps';

const noUser = () => new GatewayError('INTERNAL', 'Identity service returned no user');

export function userRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users',
      operationId: 'listUsers',
      summary:
        "Lists the tenant's users, for assigning and @mentions (any signed-in agent; not API keys; ADR 50)",
      tag: 'people',
      access: 'user',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of users', schema: userPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.identity.listUsers({ tenantId: principal.tenantId, page: toPageRequest(query) }),
          toUserDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/users',
      operationId: 'createUser',
      summary: 'Adds a user to the tenant (admin)',
      tag: 'people',
      access: 'admin',
      body: createUserBodySchema,
      response: { status: 201, description: 'Created', schema: userSchema },
      errors: [409],
      handle: async ({ principal, body }) => {
        const { user } = await deps.identity.createUser({
          tenantId: principal.tenantId,
          email: body.email,
          name: body.name,
          role: body.role,
          handle: body.handle ?? '',
          timezone: body.timezone ?? '',
          password: body.password,
        });
        if (!user) throw noUser();
        return toUserDto(user);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/users/:id',
      operationId: 'updateUser',
      summary: "Changes a user's name, role, handle, time zone, active flag or password (admin)",
      tag: 'people',
      access: 'admin',
      params: idParamsSchema,
      body: updateUserBodySchema,
      response: { status: 200, description: 'The user after the change', schema: userSchema },
      errors: [404, 409],
      handle: async ({ principal, params, body }) => {
        const { user } = await deps.identity.updateUser(
          toUpdateUserRequest(principal.tenantId, params.id, body),
        );
        if (!user) throw noUser();
        return toUserDto(user);
      },
    }),
  ];
}
