// Maps IdentityService RPCs to use cases: proto → command (proto3 "" and 0 mean unset), domain → proto.
import { identityV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import type { IdentityUseCases } from '../../app/identity-use-cases';
import type { ApiKey, Page, Team, Tenant, User } from '../../app/ports';
import { encodeCursor } from '../../domain/page-cursor';

function toProtoTenant(tenant: Tenant): identityV1.Tenant {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    timezone: tenant.timezone,
    createdAt: tenant.createdAt,
  };
}

export function toProtoUser(user: User): identityV1.User {
  return {
    id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    name: user.name,
    role: user.role,
    handle: user.handle,
    timezone: user.timezone,
    active: user.active,
    createdAt: user.createdAt,
  };
}

function toProtoTeam(team: Team): identityV1.Team {
  return {
    id: team.id,
    tenantId: team.tenantId,
    name: team.name,
    memberIds: team.memberIds,
    createdAt: team.createdAt,
  };
}

function toProtoApiKey(key: ApiKey): identityV1.ApiKey {
  return {
    id: key.id,
    tenantId: key.tenantId,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt,
    revokedAt: key.revokedAt ?? undefined,
    lastUsedAt: key.lastUsedAt ?? undefined,
  };
}

function toProtoPage<T, P>(page: Page<T>, map: (item: T) => P): { items: P[]; nextCursor: string } {
  return { items: page.items.map(map), nextCursor: page.next ? encodeCursor(page.next) : '' };
}

const unset = (value: string): string | undefined => (value === '' ? undefined : value);

export function identityHandlers(
  useCases: IdentityUseCases,
  logger: Logger,
): identityV1.IdentityServiceServer {
  return {
    createTenant: unary(async (req: identityV1.CreateTenantRequest) => {
      const { tenant, admin } = await useCases.createTenant.execute({
        name: req.name,
        slug: req.slug,
        timezone: unset(req.timezone),
        admin: req.admin,
      });
      return { tenant: toProtoTenant(tenant), admin: toProtoUser(admin) };
    }, logger),

    login: unary(async (req: identityV1.LoginRequest) => {
      const { token, expiresAt, user } = await useCases.login.execute({
        email: req.email,
        password: req.password,
      });
      return { token, expiresAt, user: toProtoUser(user) };
    }, logger),

    authenticateApiKey: unary(async (req: identityV1.AuthenticateApiKeyRequest) => {
      const key = await useCases.authenticateApiKey.execute({ secret: req.secret });
      return { apiKey: toProtoApiKey(key) };
    }, logger),

    getUser: unary(async (req: identityV1.GetUserRequest) => {
      const user = await useCases.getUser.execute({ tenantId: req.tenantId, id: req.id });
      return { user: toProtoUser(user) };
    }, logger),

    getTeam: unary(async (req: identityV1.GetTeamRequest) => {
      const team = await useCases.getTeam.execute({ tenantId: req.tenantId, id: req.id });
      return { team: toProtoTeam(team) };
    }, logger),

    getTenant: unary(async (req: identityV1.GetTenantRequest) => {
      return { tenant: toProtoTenant(await useCases.getTenant.execute({ id: req.id })) };
    }, logger),

    getTenantBySlug: unary(async (req: identityV1.GetTenantBySlugRequest) => {
      return { tenant: toProtoTenant(await useCases.getTenantBySlug.execute({ slug: req.slug })) };
    }, logger),

    updateTenant: unary(async (req: identityV1.UpdateTenantRequest) => {
      // Optional fields are explicit presence in the proto, so "" here is a real (and invalid) value.
      const tenant = await useCases.updateTenant.execute({
        id: req.id,
        name: req.name,
        slug: req.slug,
        timezone: req.timezone,
      });
      return { tenant: toProtoTenant(tenant) };
    }, logger),

    listUsers: unary(async (req: identityV1.ListUsersRequest) => {
      const page = await useCases.listUsers.execute({ tenantId: req.tenantId, page: req.page });
      return toProtoPage(page, toProtoUser);
    }, logger),

    createUser: unary(async (req: identityV1.CreateUserRequest) => {
      const user = await useCases.createUser.execute({
        tenantId: req.tenantId,
        email: req.email,
        name: req.name,
        role: req.role,
        handle: unset(req.handle),
        timezone: unset(req.timezone),
        password: req.password,
      });
      return { user: toProtoUser(user) };
    }, logger),

    updateUser: unary(async (req: identityV1.UpdateUserRequest) => {
      // Optional fields are explicit presence in the proto, so "" here is a real (and invalid) value.
      const user = await useCases.updateUser.execute({
        tenantId: req.tenantId,
        id: req.id,
        name: req.name,
        role: req.role,
        handle: req.handle,
        timezone: req.timezone,
        active: req.active,
        password: req.password,
      });
      return { user: toProtoUser(user) };
    }, logger),

    listTeams: unary(async (req: identityV1.ListTeamsRequest) => {
      const page = await useCases.listTeams.execute({ tenantId: req.tenantId, page: req.page });
      return toProtoPage(page, toProtoTeam);
    }, logger),

    createTeam: unary(async (req: identityV1.CreateTeamRequest) => {
      const team = await useCases.createTeam.execute({
        tenantId: req.tenantId,
        name: req.name,
        memberIds: req.memberIds,
      });
      return { team: toProtoTeam(team) };
    }, logger),

    createApiKey: unary(async (req: identityV1.CreateApiKeyRequest) => {
      const { apiKey, secret } = await useCases.createApiKey.execute({
        tenantId: req.tenantId,
        name: req.name,
        createdBy: req.createdBy,
      });
      return { apiKey: toProtoApiKey(apiKey), secret };
    }, logger),

    listApiKeys: unary(async (req: identityV1.ListApiKeysRequest) => {
      const page = await useCases.listApiKeys.execute({ tenantId: req.tenantId, page: req.page });
      return toProtoPage(page, toProtoApiKey);
    }, logger),

    revokeApiKey: unary(async (req: identityV1.RevokeApiKeyRequest) => {
      const key = await useCases.revokeApiKey.execute({ tenantId: req.tenantId, id: req.id });
      return { apiKey: toProtoApiKey(key) };
    }, logger),
  };
}
