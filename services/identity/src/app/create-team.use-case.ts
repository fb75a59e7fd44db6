import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { alreadyExists, DomainError, notFound } from '@helpdesk/platform';
import type { Clock, Team, UnitOfWork } from './ports';
import { displayNameSchema, idSchema, parseCommand } from './validation';

const MAX_MEMBERS = 1000;

const commandSchema = z.object({
  tenantId: idSchema,
  name: displayNameSchema,
  memberIds: z
    .array(idSchema)
    .max(MAX_MEMBERS, { error: `must list at most ${MAX_MEMBERS} users` })
    .optional()
    .default([])
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]),
});

export type CreateTeamCommand = z.input<typeof commandSchema>;

/** Creates a team of users of the same tenant. */
export class CreateTeamUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock }) {}

  async execute(input: CreateTeamCommand): Promise<Team> {
    const command = parseCommand(commandSchema, input);
    return this.deps.uow.run(async (scope) => {
      if (!(await scope.tenants.findById(command.tenantId))) throw notFound('tenant');
      if (await scope.teams.nameTaken(command.tenantId, command.name)) {
        throw alreadyExists('A team with this name already exists');
      }
      const found = new Set(await scope.users.existingIds(command.tenantId, command.memberIds));
      const missing = command.memberIds.filter((id) => !found.has(id));
      // Users of other tenants are indistinguishable from ids that do not exist.
      if (missing.length > 0)
        throw new DomainError('NOT_FOUND', 'user not found', { missingUserIds: missing });
      return scope.teams.create({
        id: randomUUID(),
        tenantId: command.tenantId,
        name: command.name,
        memberIds: command.memberIds,
        createdAt: this.deps.clock.now(),
      });
    });
  }
}
