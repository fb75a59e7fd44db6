import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addUser, retryOnDerivedHandleRace } from './add-user';
import { tenantCreatedEvent } from './identity-events';
import type { Clock, PasswordHasher, Tenant, UnitOfWork, User } from './ports';
import {
  displayNameSchema,
  emailSchema,
  parseCommand,
  passwordSchema,
  requiredMessage,
  timezoneSchema,
} from './validation';

const commandSchema = z.object({
  name: displayNameSchema,
  timezone: timezoneSchema.optional().default('UTC'),
  admin: requiredMessage(z.object({ email: emailSchema, name: displayNameSchema, password: passwordSchema })),
});

export type CreateTenantCommand = z.input<typeof commandSchema>;

/** Creates a tenant with its first admin, both or neither. */
export class CreateTenantUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; hasher: PasswordHasher; clock: Clock }) {}

  async execute(input: CreateTenantCommand): Promise<{ tenant: Tenant; admin: User }> {
    const command = parseCommand(commandSchema, input);
    // Hash before the transaction: argon2 is slow and must not hold a connection.
    const passwordHash = await this.deps.hasher.hash(command.admin.password);
    return retryOnDerivedHandleRace(true, () =>
      this.deps.uow.run(async (scope) => {
        const now = this.deps.clock.now();
        const tenant = await scope.tenants.create({
          id: randomUUID(),
          name: command.name,
          timezone: command.timezone,
          createdAt: now,
        });
        await scope.events.add(tenantCreatedEvent(tenant));
        const admin = await addUser(scope, {
          tenantId: tenant.id,
          email: command.admin.email,
          name: command.admin.name,
          role: 'admin',
          timezone: tenant.timezone,
          passwordHash,
          createdAt: now,
        });
        return { tenant, admin };
      }),
    );
  }
}
