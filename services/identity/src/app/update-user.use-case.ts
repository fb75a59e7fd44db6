import { z } from 'zod';
import { DomainError, failedPrecondition, notFound } from '@helpdesk/platform';
import { userChangedEvent } from './identity-events';
import type { PasswordHasher, UnitOfWork, User, UserPatch } from './ports';
import {
  displayNameSchema,
  handleSchema,
  idSchema,
  parseCommand,
  passwordSchema,
  roleSchema,
  timezoneSchema,
} from './validation';

const commandSchema = z.object({
  tenantId: idSchema,
  id: idSchema,
  name: displayNameSchema.optional(),
  role: roleSchema.optional(),
  handle: handleSchema.optional(),
  timezone: timezoneSchema.optional(),
  active: z.boolean().optional(),
  password: passwordSchema.optional(),
});

export type UpdateUserCommand = z.input<typeof commandSchema>;

/** Changes a user's profile, role, active flag or password; a tenant always keeps an active admin. */
export class UpdateUserUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; hasher: PasswordHasher }) {}

  async execute(input: UpdateUserCommand): Promise<User> {
    const command = parseCommand(commandSchema, input);
    const passwordHash =
      command.password === undefined ? undefined : await this.deps.hasher.hash(command.password);
    return this.deps.uow.run(async (scope) => {
      const affectsAdmins = command.role !== undefined || command.active !== undefined;
      // The tenant row lock serializes concurrent demotions, so two admins cannot demote each other at once.
      if (affectsAdmins && !(await scope.tenants.lock(command.tenantId))) throw notFound('user');
      const current = await scope.users.findById(command.tenantId, command.id);
      if (!current) throw notFound('user');

      const patch: UserPatch = {};
      if (command.name !== undefined && command.name !== current.name) patch.name = command.name;
      if (command.role !== undefined && command.role !== current.role) patch.role = command.role;
      if (command.timezone !== undefined && command.timezone !== current.timezone)
        patch.timezone = command.timezone;
      if (command.active !== undefined && command.active !== current.active) patch.active = command.active;
      if (command.handle !== undefined && command.handle !== current.handle) {
        if (await scope.users.handleTaken(command.tenantId, command.handle, current.id)) {
          throw new DomainError('ALREADY_EXISTS', 'This handle is taken in the tenant', { field: 'handle' });
        }
        patch.handle = command.handle;
      }
      const losesAdmin =
        current.role === 'admin' && current.active && (patch.role === 'agent' || patch.active === false);
      if (losesAdmin && (await scope.users.countActiveAdmins(command.tenantId)) <= 1) {
        throw failedPrecondition('A tenant must keep at least one active admin');
      }
      const visibleChange = Object.keys(patch).length > 0;
      if (passwordHash !== undefined) patch.passwordHash = passwordHash;
      if (Object.keys(patch).length === 0) return current;

      const updated = await scope.users.update(command.tenantId, command.id, patch);
      if (visibleChange) await scope.events.add(userChangedEvent('userUpdated', updated));
      return updated;
    });
  }
}
