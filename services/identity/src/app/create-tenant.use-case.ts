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
  slugSchema,
  timezoneSchema,
} from './validation';
import { firstFreeSlug, slugFromName } from '../domain/slug';
import { DomainError } from '@helpdesk/platform';

const commandSchema = z.object({
  name: displayNameSchema,
  slug: slugSchema.optional(),
  timezone: timezoneSchema.optional().default('UTC'),
  admin: requiredMessage(z.object({ email: emailSchema, name: displayNameSchema, password: passwordSchema })),
});

export type CreateTenantCommand = z.input<typeof commandSchema>;

export const slugTaken = () => new DomainError('ALREADY_EXISTS', 'This slug is taken', { field: 'slug' });

const isSlugClash = (err: unknown) =>
  err instanceof DomainError &&
  err.code === 'ALREADY_EXISTS' &&
  (err.details as { field?: string } | undefined)?.field === 'slug';

/** A slug made from the name can lose a race to a concurrent create, as a derived handle can: a retry takes the next free one. */
async function retryOnDerivedRace<T>(derivedSlug: boolean, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await retryOnDerivedHandleRace(true, attempt);
    } catch (err) {
      if (!derivedSlug || !isSlugClash(err) || tries >= 3) throw err;
    }
  }
}

/** Creates a tenant with its first admin, both or neither. */
export class CreateTenantUseCase {
  constructor(private readonly deps: { uow: UnitOfWork; hasher: PasswordHasher; clock: Clock }) {}

  async execute(input: CreateTenantCommand): Promise<{ tenant: Tenant; admin: User }> {
    const command = parseCommand(commandSchema, input);
    // Hash before the transaction: argon2 is slow and must not hold a connection.
    const passwordHash = await this.deps.hasher.hash(command.admin.password);
    return retryOnDerivedRace(command.slug === undefined, () =>
      this.deps.uow.run(async (scope) => {
        const now = this.deps.clock.now();
        let slug: string;
        if (command.slug !== undefined) {
          if (await scope.tenants.slugTaken(command.slug)) throw slugTaken();
          slug = command.slug;
        } else {
          const base = slugFromName(command.name);
          slug = firstFreeSlug(base, new Set(await scope.tenants.slugsStartingWith(base)));
        }
        const tenant = await scope.tenants.create({
          id: randomUUID(),
          name: command.name,
          slug,
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
