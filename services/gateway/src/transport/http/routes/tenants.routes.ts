import { GatewayError } from '../../../app/errors';
import { toTenantDto, toUserDto } from '../mappers/identity.mapper';
import { defineRoute, type AnyRoute } from '../route';
import {
  createTenantBodySchema,
  createTenantResponseSchema,
  tenantSchema,
  updateTenantBodySchema,
} from '../schemas/tenant.schema';
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
          slug: body.slug,
          timezone: body.timezone ?? '',
          admin: body.admin,
        });
        if (!tenant || !admin) throw new GatewayError('INTERNAL', 'Identity service returned no tenant');
        return { tenant: toTenantDto(tenant), admin: toUserDto(admin) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tenant',
      operationId: 'getTenant',
      summary: "The caller's tenant: name, slug (its portal is /portal/<slug>) and time zone",
      tag: 'platform',
      access: 'tenant',
      response: { status: 200, description: 'The tenant', schema: tenantSchema },
      handle: async ({ principal }) => {
        const { tenant } = await deps.identity.getTenant({ id: principal.tenantId });
        if (!tenant) throw new GatewayError('INTERNAL', 'Identity service returned no tenant');
        return toTenantDto(tenant);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/tenant',
      operationId: 'updateTenant',
      summary: "Changes the caller's tenant's name, slug or time zone (admins); a taken slug is 409",
      tag: 'platform',
      access: 'admin',
      body: updateTenantBodySchema,
      response: { status: 200, description: 'The tenant after the change', schema: tenantSchema },
      errors: [409],
      handle: async ({ principal, body }) => {
        const { tenant } = await deps.identity.updateTenant({ id: principal.tenantId, ...body });
        if (!tenant) throw new GatewayError('INTERNAL', 'Identity service returned no tenant');
        return toTenantDto(tenant);
      },
    }),
  ];
}
