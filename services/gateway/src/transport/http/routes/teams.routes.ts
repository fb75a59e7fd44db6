import { GatewayError } from '../../../app/errors';
import { toTeamDto } from '../mappers/identity.mapper';
import { toPage, toPageRequest } from '../../../app/pagination';
import { defineRoute, type AnyRoute } from '../route';
import { pageQuerySchema } from '../schemas/common.schema';
import { createTeamBodySchema, teamPageSchema, teamSchema } from '../schemas/team.schema';
import type { RouteDeps } from './route-deps';

export function teamRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams',
      operationId: 'listTeams',
      summary: "Lists the tenant's teams with their members (any signed-in agent; not API keys; ADR 50)",
      tag: 'people',
      access: 'user',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of teams', schema: teamPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.identity.listTeams({ tenantId: principal.tenantId, page: toPageRequest(query) }),
          toTeamDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/teams',
      operationId: 'createTeam',
      summary: 'Creates a team with its members (admin)',
      tag: 'people',
      access: 'admin',
      body: createTeamBodySchema,
      response: { status: 201, description: 'Created', schema: teamSchema },
      errors: [409],
      handle: async ({ principal, body }) => {
        const { team } = await deps.identity.createTeam({
          tenantId: principal.tenantId,
          name: body.name,
          memberIds: body.memberIds,
        });
        if (!team) throw new GatewayError('INTERNAL', 'Identity service returned no team');
        return toTeamDto(team);
      },
    }),
  ];
}
