// Wires every use case to the same ports; the gRPC handlers and the seed CLI take this bundle.
import { AuthenticateApiKeyUseCase } from './authenticate-api-key.use-case';
import { CreateApiKeyUseCase } from './create-api-key.use-case';
import { CreateTeamUseCase } from './create-team.use-case';
import { CreateTenantUseCase } from './create-tenant.use-case';
import { CreateUserUseCase } from './create-user.use-case';
import { EnsureDemoTenantUseCase } from './ensure-demo-tenant.use-case';
import { GetTeamUseCase, GetTenantBySlugUseCase, GetTenantUseCase } from './get-team.use-case';
import { GetUserUseCase } from './get-user.use-case';
import { ListApiKeysUseCase } from './list-api-keys.use-case';
import { ListTeamsUseCase } from './list-teams.use-case';
import { ListUsersUseCase } from './list-users.use-case';
import { LoginUseCase } from './login.use-case';
import type { Clock, PasswordHasher, TokenIssuer, UnitOfWork } from './ports';
import { RevokeApiKeyUseCase } from './revoke-api-key.use-case';
import { UpdateTenantUseCase } from './update-tenant.use-case';
import { UpdateUserUseCase } from './update-user.use-case';

export interface IdentityDeps {
  uow: UnitOfWork;
  hasher: PasswordHasher;
  tokens: TokenIssuer;
  clock: Clock;
}

export function createIdentityUseCases(deps: IdentityDeps) {
  const createTenant = new CreateTenantUseCase(deps);
  const createUser = new CreateUserUseCase(deps);
  return {
    createTenant,
    login: new LoginUseCase(deps),
    authenticateApiKey: new AuthenticateApiKeyUseCase(deps),
    getUser: new GetUserUseCase(deps),
    listUsers: new ListUsersUseCase(deps),
    createUser,
    updateUser: new UpdateUserUseCase(deps),
    listTeams: new ListTeamsUseCase(deps),
    createTeam: new CreateTeamUseCase(deps),
    getTeam: new GetTeamUseCase(deps),
    getTenant: new GetTenantUseCase(deps),
    getTenantBySlug: new GetTenantBySlugUseCase(deps),
    updateTenant: new UpdateTenantUseCase(deps),
    createApiKey: new CreateApiKeyUseCase(deps),
    listApiKeys: new ListApiKeysUseCase(deps),
    revokeApiKey: new RevokeApiKeyUseCase(deps),
    ensureDemoTenant: new EnsureDemoTenantUseCase({ uow: deps.uow, createTenant, createUser }),
  };
}

export type IdentityUseCases = ReturnType<typeof createIdentityUseCases>;
