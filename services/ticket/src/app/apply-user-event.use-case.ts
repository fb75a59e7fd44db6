import type { UserView, UserViewRepository } from './ports';

/** Keeps this service's copy of identity's users (mentions, agents' names in the portal) from identity's events. */
export class ApplyUserEventUseCase {
  constructor(private readonly users: Pick<UserViewRepository, 'upsert'>) {}

  execute(user: UserView): Promise<void> {
    return this.users.upsert(user);
  }
}
