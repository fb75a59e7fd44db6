import { z } from 'zod';
import type { Page, UnitOfWork, User } from './ports';
import { idSchema, pageSchema, parseCommand } from './validation';

const commandSchema = z.object({ tenantId: idSchema, page: pageSchema });

export type ListUsersCommand = z.input<typeof commandSchema>;

/** A tenant's users, oldest first, a page at a time. */
export class ListUsersUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: ListUsersCommand): Promise<Page<User>> {
    const { tenantId, page } = parseCommand(commandSchema, input);
    return this.deps.uow.read.users.list(tenantId, page);
  }
}
