import { z } from 'zod';
import { notFound } from '@helpdesk/platform';
import type { UnitOfWork, User } from './ports';
import { idSchema, parseCommand } from './validation';

const commandSchema = z.object({ tenantId: idSchema, id: idSchema });

export type GetUserCommand = z.input<typeof commandSchema>;

/** One user of a tenant; another tenant's user is NOT_FOUND. */
export class GetUserUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: GetUserCommand): Promise<User> {
    const { tenantId, id } = parseCommand(commandSchema, input);
    const user = await this.deps.uow.read.users.findById(tenantId, id);
    if (!user) throw notFound('user');
    return user;
  }
}
