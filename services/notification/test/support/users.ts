// The agents and admins a notification test knows: published as identity publishes them, then waited for in the
// service's users read model (where recipients and admins are looked up).
import type { EventData } from '@helpdesk/contracts';
import { waitFor } from '@helpdesk/testing';
import type { Pool } from 'pg';

export interface TestUser {
  id: string;
  name: string;
  handle: string;
  role: string;
}

type PublishUser = (
  type: 'helpdesk.identity.user_created',
  tenantId: string,
  data: EventData<'helpdesk.identity.user_created'>,
) => Promise<unknown>;

/** Publishes each `[tenantId, user, active]` and waits until the read model holds them all. */
export async function knowUsers(
  publish: PublishUser,
  pool: Pool,
  users: readonly (readonly [string, TestUser, boolean])[],
): Promise<void> {
  for (const [tenantId, u, active] of users) {
    await publish('helpdesk.identity.user_created', tenantId, {
      userId: u.id,
      email: `${u.handle}@msp.example`,
      name: u.name,
      role: u.role,
      handle: u.handle,
      active,
    });
  }
  await waitFor('the users read model', async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notify_users');
    return rows[0]!.n === users.length;
  });
}
