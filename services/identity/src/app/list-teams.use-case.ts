import { z } from 'zod';
import type { Page, Team, UnitOfWork } from './ports';
import { idSchema, pageSchema, parseCommand } from './validation';

const commandSchema = z.object({ tenantId: idSchema, page: pageSchema });

export type ListTeamsCommand = z.input<typeof commandSchema>;

/** A tenant's teams with their members, oldest first. */
export class ListTeamsUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: ListTeamsCommand): Promise<Page<Team>> {
    const { tenantId, page } = parseCommand(commandSchema, input);
    return this.deps.uow.read.teams.list(tenantId, page);
  }
}
