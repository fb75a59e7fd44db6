// The one way a user row comes to be (first admin of a tenant, or added later), inside the caller's transaction.
import { randomUUID } from 'node:crypto';
import { DomainError } from '@helpdesk/platform';
import { deriveHandle, firstFreeHandle } from '../domain/handle';
import type { Role } from '../domain/role';
import { userChangedEvent } from './identity-events';
import type { TransactionScope, User } from './ports';

export interface NewUser {
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  /** Explicit handle; derived from the e-mail when absent. */
  handle?: string;
  timezone: string;
  passwordHash: string;
  createdAt: Date;
}

export const EMAIL_TAKEN_MESSAGE = 'A user with this e-mail address already exists';

export async function addUser(scope: TransactionScope, input: NewUser): Promise<User> {
  // E-mail is unique across tenants: sign-in has no tenant to disambiguate (see the ADR on e-mail uniqueness).
  if (await scope.users.emailExists(input.email)) {
    throw new DomainError('ALREADY_EXISTS', EMAIL_TAKEN_MESSAGE, { field: 'email' });
  }
  let handle: string;
  if (input.handle !== undefined) {
    if (await scope.users.handleTaken(input.tenantId, input.handle)) {
      throw new DomainError('ALREADY_EXISTS', 'This handle is taken in the tenant', { field: 'handle' });
    }
    handle = input.handle;
  } else {
    const base = deriveHandle(input.email);
    handle = firstFreeHandle(base, new Set(await scope.users.handlesStartingWith(input.tenantId, base)));
  }
  const user = await scope.users.create({
    id: randomUUID(),
    tenantId: input.tenantId,
    email: input.email,
    name: input.name,
    role: input.role,
    handle,
    timezone: input.timezone,
    active: true,
    createdAt: input.createdAt,
    passwordHash: input.passwordHash,
  });
  await scope.events.add(userChangedEvent('userCreated', user));
  return user;
}

/** A derived handle can lose a race to a concurrent insert; a retry picks the next free one. */
export async function retryOnDerivedHandleRace<T>(derived: boolean, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (err) {
      const handleClash =
        err instanceof DomainError &&
        err.code === 'ALREADY_EXISTS' &&
        (err.details as { field?: string } | undefined)?.field === 'handle';
      if (!derived || !handleClash || tries >= 3) throw err;
    }
  }
}
