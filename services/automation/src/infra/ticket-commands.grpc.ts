// The ticket and identity services over gRPC, as the automation engine uses them: every command carries the
// automation actor with its causation (docs/adr/0030).
import { commonV1, directoryV1, identityV1, ticketV1 } from '@helpdesk/contracts';
import { createGrpcClient } from '@helpdesk/grpc';
import { isDomainError } from '@helpdesk/platform';
import {
  TicketCommandError,
  type AutomationActor,
  type TeamDirectory,
  type TicketCommands,
} from '../app/ports';
import type { TicketPatch } from '../domain/actions';
import { primaryContactOf } from '../domain/schedule';
import { ticketFacts } from '../transport/ticket-facts';

export function automationActor(actor: AutomationActor): commonV1.Actor {
  return {
    type: commonV1.ActorType.ACTOR_TYPE_AUTOMATION,
    id: actor.ruleId,
    causation: { originId: actor.origin.originId, depth: actor.origin.depth },
  };
}

function commandError(err: unknown): never {
  if (isDomainError(err)) {
    switch (err.code) {
      case 'CONFLICT':
        throw new TicketCommandError(err.message, 'stale');
      case 'NOT_FOUND':
        throw new TicketCommandError(err.message, 'not_found');
      case 'UNAVAILABLE':
      case 'INTERNAL':
      case 'RATE_LIMITED':
        throw new TicketCommandError(err.message, 'unavailable');
      case 'ALREADY_EXISTS':
      case 'FAILED_PRECONDITION':
      case 'INVALID_ARGUMENT':
      case 'PAYLOAD_TOO_LARGE':
      case 'PERMISSION_DENIED':
      case 'UNAUTHENTICATED':
        throw new TicketCommandError(err.message, 'refused');
    }
  }
  throw err;
}

const tagsOf = (tags: string[] | undefined) => (tags === undefined ? undefined : { tags });

// a client's contacts read to find its primary one; past this many the longest-standing among them is taken
const CONTACT_PAGES = 5;

export class GrpcTicketCommands implements TicketCommands {
  private readonly client;
  private readonly directory;

  constructor(address: string, deadlineMs: number) {
    this.client = createGrpcClient(ticketV1.TicketServiceClient, address, { deadlineMs });
    this.directory = createGrpcClient(directoryV1.DirectoryServiceClient, address, { deadlineMs });
  }

  close(): void {
    this.client.close();
    this.directory.close();
  }

  async primaryContact(tenantId: string, clientId: string): Promise<string | null> {
    const contacts: directoryV1.Contact[] = [];
    let cursor = '';
    try {
      for (let page = 0; page < CONTACT_PAGES; page += 1) {
        const answer = await this.directory.listContacts({
          tenantId,
          clientId,
          page: { limit: 200, cursor },
          email: '',
          q: '',
        });
        contacts.push(...answer.items);
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return null;
      return commandError(err);
    }
    return primaryContactOf(
      contacts
        .filter((c) => c.clientId === clientId)
        .map((c) => ({ id: c.id, createdAt: c.createdAt ?? null, emailBouncing: c.emailBouncing })),
    );
  }

  async get(tenantId: string, ticketId: string) {
    try {
      const { ticket } = await this.client.getTicket({ tenantId, id: ticketId, number: 0 });
      return ticket ? ticketFacts(ticket) : null;
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return null;
      return commandError(err);
    }
  }

  async update(
    tenantId: string,
    ticketId: string,
    expectedVersion: number,
    patch: TicketPatch,
    actor: AutomationActor,
  ) {
    try {
      const { ticket } = await this.client.updateTicket({
        tenantId,
        id: ticketId,
        actor: automationActor(actor),
        expectedVersion,
        status: patch.status,
        priority: patch.priority,
        assigneeId: patch.assigneeId === undefined ? undefined : (patch.assigneeId ?? ''),
        teamId: patch.teamId === undefined ? undefined : (patch.teamId ?? ''),
        type: patch.type === undefined ? undefined : (patch.type ?? ''),
        category: patch.category === undefined ? undefined : (patch.category ?? ''),
        tags: tagsOf(patch.tags),
        reopen: false,
      });
      return ticketFacts(ticket);
    } catch (err) {
      return commandError(err);
    }
  }

  async addMessage(
    tenantId: string,
    ticketId: string,
    kind: 'internal_note' | 'public_reply',
    bodyText: string,
    dedupeKey: string,
    actor: AutomationActor,
    subject?: string,
  ): Promise<void> {
    try {
      await this.client.addMessage({
        tenantId,
        ticketId,
        actor: automationActor(actor),
        message: {
          kind,
          bodyHtml: '',
          bodyText,
          attachmentIds: [],
          threadingRule: '',
          email: subject ? ticketV1.EmailHeaders.fromPartial({ subject }) : undefined,
        },
        status: '',
        dedupeKey,
      });
    } catch (err) {
      commandError(err);
    }
  }

  async create(
    tenantId: string,
    input: Parameters<TicketCommands['create']>[1],
    dedupeKey: string,
    actor: AutomationActor,
  ) {
    try {
      const { ticket } = await this.client.createTicket({
        tenantId,
        actor: automationActor(actor),
        title: input.title,
        description: '',
        priority: input.priority ?? '',
        source: '',
        requester: input.requester,
        contactId: input.contactId ?? '',
        assigneeId: input.assigneeId ?? '',
        teamId: input.teamId ?? '',
        cc: [],
        templateId: input.templateId ?? '',
        followUpOfId: '',
        dedupeKey,
        clientId: input.clientId ?? '',
      });
      return { id: ticket?.id ?? '', number: Number(ticket?.number ?? 0) };
    } catch (err) {
      return commandError(err);
    }
  }
}

export class GrpcTeamDirectory implements TeamDirectory {
  private readonly client;

  constructor(address: string, deadlineMs: number) {
    this.client = createGrpcClient(identityV1.IdentityServiceClient, address, { deadlineMs });
  }

  close(): void {
    this.client.close();
  }

  async activeMembers(tenantId: string, teamId: string): Promise<string[] | null> {
    let team: identityV1.Team | undefined;
    try {
      ({ team } = await this.client.getTeam({ tenantId, id: teamId }));
    } catch (err) {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return null;
      throw err;
    }
    if (!team) return null;
    const members = await Promise.all(
      team.memberIds.map(async (id) => {
        try {
          const { user } = await this.client.getUser({ tenantId, id });
          return user?.active ? id : null;
        } catch (err) {
          if (isDomainError(err) && err.code === 'NOT_FOUND') return null;
          throw err;
        }
      }),
    );
    return members.filter((m): m is string => m !== null);
  }
}
