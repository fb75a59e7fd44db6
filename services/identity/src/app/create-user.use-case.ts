import { z } from 'zod';
import { notFound } from '@helpdesk/platform';
import { addUser, retryOnDerivedHandleRace } from './add-user';
import type { Clock, PasswordHasher, UnitOfWork, User } from './ports';
import {
  displayNameSchema,
  emailSchema,
  handleSchema,
  idSchema,
  parseCommand,
  passwordSchema,
  roleSchema,
  timezoneSchema,
} from './validation';

const commandSchema = z.object({
  tenantId: idSchema,
  email: emailSchema,
  name: displayNameSchema,
  role: roleSchema,
  handle: handleSchema.optional(),
  timezone: timezoneSchema.optional(),
  password: passwordSchema,
});

export type CreateUserCommand = z.input<typeof commandSchema>;

/** Adds an agent or admin to a tenant. */
export class CreateUserUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; hasher: PasswordHasher; clock: Clock }) {}

  async execute(input: CreateUserCommand): Promise<User> {
    const command = parseCommand(commandSchema, input);
    const passwordHash = await this.deps.hasher.hash(command.password);
    return retryOnDerivedHandleRace(command.handle === undefined, () =>
      this.deps.uow.run(async (scope) => {
        const tenant = await scope.tenants.findById(command.tenantId);
        if (!tenant) throw notFound('tenant');
        return addUser(scope, {
          tenantId: tenant.id,
          email: command.email,
          name: command.name,
          role: command.role,
          handle: command.handle,
          timezone: command.timezone ?? tenant.timezone,
          passwordHash,
          createdAt: this.deps.clock.now(),
        });
      }),
    );
  }
}
