import { GatewayError } from '../../../app/errors';
import { toTenantDto, toUserDto } from '../../../app/identity.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { createTenantBodySchema, createTenantResponseSchema } from '../schemas/tenant.schema';
import type { RouteDeps } from './route-deps';

export function tenantRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/tenants',
      operationId: 'createTenant',
      summary: 'Creates a tenant and its first admin (platform operator only)',
      tag: 'platform',
      access: 'operator',
      body: createTenantBodySchema,
      response: { status: 201, description: 'Created', schema: createTenantResponseSchema },
      errors: [409],
      handle: async ({ body }) => {
        const { tenant, admin } = await deps.identity.createTenant({
          name: body.name,
          timezone: body.timezone ?? '',
          admin: body.admin,
        });
        if (!tenant || !admin) throw new GatewayError('INTERNAL', 'Identity service returned no tenant');
        return { tenant: toTenantDto(tenant), admin: toUserDto(admin) };
      },
    }),
  ];
}
