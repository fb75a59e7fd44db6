import { commonV1, identityV1, ticketV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { isDomainError } from '@helpdesk/platform';
import type { NotifyDirectory, UserView } from '../app/notifications/ports';
import type { TicketFacts } from '../domain/notifications';

const TEAM_CACHE_MS = 10_000;

async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (isDomainError(err) && (err.code === 'NOT_FOUND' || err.code === 'INVALID_ARGUMENT')) return null;
    throw err;
  }
}

/**
 * What the events do not tell: a team's members (identity publishes no team events), and the users and tickets
 * that predate the streams' retention. A failure here fails the event, which is retried.
 */
export class GrpcNotifyDirectory implements NotifyDirectory {
  private readonly identity: PromiseClient<identityV1.IdentityServiceClient>;
  private readonly tickets: PromiseClient<ticketV1.TicketServiceClient>;
  // a burst of events for one team asks identity once
  private readonly teams = new Map<string, { at: number; members: string[] }>();

  constructor(identityAddress: string, ticketAddress: string, deadlineMs: number) {
    this.identity = createGrpcClient(identityV1.IdentityServiceClient, identityAddress, { deadlineMs });
    this.tickets = createGrpcClient(ticketV1.TicketServiceClient, ticketAddress, { deadlineMs });
  }

  async teamMembers(tenantId: string, teamId: string): Promise<string[]> {
    const key = `${tenantId}:${teamId}`;
    const cached = this.teams.get(key);
    if (cached && Date.now() - cached.at < TEAM_CACHE_MS) return cached.members;
    const answer = await orNull(this.identity.getTeam({ tenantId, id: teamId }));
    const members = answer?.team?.tenantId === tenantId ? [...answer.team.memberIds] : [];
    if (this.teams.size > 10_000) this.teams.clear();
    this.teams.set(key, { at: Date.now(), members });
    return members;
  }

  async user(tenantId: string, id: string): Promise<UserView | null> {
    const answer = await orNull(this.identity.getUser({ tenantId, id }));
    const u = answer?.user;
    if (!u || u.tenantId !== tenantId) return null;
    return {
      id: u.id,
      tenantId,
      name: u.name,
      email: u.email,
      handle: u.handle,
      role: u.role,
      active: u.active,
    };
  }

  async ticket(tenantId: string, id: string): Promise<(TicketFacts & { version: number }) | null> {
    const answer = await orNull(
      this.tickets.getTicket({
        tenantId,
        id,
        actor: { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' },
        number: 0,
      }),
    );
    const t = answer?.ticket;
    if (!t || t.tenantId !== tenantId) return null;
    return {
      id: t.id,
      number: Number(t.number),
      title: t.title,
      assigneeId: t.assigneeId || null,
      teamId: t.teamId || null,
      version: t.version,
    };
  }

  close(): void {
    this.identity.close();
    this.tickets.close();
  }
}
