import { createHash } from 'node:crypto';
import { ticketV1 } from '@helpdesk/contracts';
import { isDomainError } from '@helpdesk/platform';
import { GatewayError } from './errors';
import type { IdentityPort, TicketPort } from './ports';
import { principalId, toActor, type TenantPrincipal } from './principal';

export interface TicketLinksInput {
  project?: string | null | undefined;
  lead?: string | null | undefined;
}

export interface CreateTicketInput {
  title?: string | undefined;
  description?: string | undefined;
  priority?: string | undefined;
  source?: string | undefined;
  requester?: { email: string; name?: string | undefined } | undefined;
  contactId?: string | undefined;
  clientId?: string | undefined;
  type?: string | null | undefined;
  category?: string | null | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  tags?: string[] | undefined;
  cc?: string[] | undefined;
  links?: TicketLinksInput | undefined;
  templateId?: string | undefined;
}

/**
 * Creates a ticket for the caller. Without a requester or contact an agent raises it for themself (looked up in
 * identity), unless it names a client; an API key has no person behind it, so it must name one. An assignee or team must exist in the
 * caller's tenant (identity answers; another tenant's user is simply unknown).
 */
export async function createTicket(
  deps: { identity: IdentityPort; tickets: TicketPort },
  principal: TenantPrincipal,
  input: CreateTicketInput,
  idempotencyKey?: string,
): Promise<ticketV1.Ticket> {
  await checkAssignment(deps.identity, principal.tenantId, input);
  const requester = input.contactId
    ? undefined
    : await resolveRequester(deps.identity, principal, input.requester, input.clientId);
  const request = ticketV1.CreateTicketRequest.fromPartial({
    tenantId: principal.tenantId,
    actor: toActor(principal),
    title: input.title ?? '',
    description: input.description ?? '',
    // Empty lets the ticket service apply its defaults (template, medium; source from the actor).
    priority: input.priority ?? '',
    source: input.source ?? '',
    requester,
    contactId: input.contactId ?? '',
    clientId: input.clientId ?? '',
    type: input.type === undefined ? undefined : (input.type ?? ''),
    category: input.category === undefined ? undefined : (input.category ?? ''),
    assigneeId: input.assigneeId ?? '',
    teamId: input.teamId ?? '',
    tags: input.tags ? { tags: input.tags } : undefined,
    cc: input.cc ?? [],
    links: input.links ? { project: input.links.project ?? '', lead: input.links.lead ?? '' } : undefined,
    templateId: input.templateId ?? '',
    dedupeKey: idempotencyKey ? apiDedupeKey(principal, idempotencyKey) : '',
  });
  const response = await deps.tickets.createTicket(request);
  if (!response.ticket) throw new GatewayError('INTERNAL', 'Ticket service returned no ticket');
  return response.ticket;
}

/**
 * The ticket service's own record of an Idempotency-Key: a create committed after the gateway had already
 * answered 503 (its deadline passed during the commit) is found again by the retry, never made twice.
 */
function apiDedupeKey(principal: TenantPrincipal, key: string): string {
  return `api:${createHash('sha256')
    .update(`${principalId(principal)}\n${key}`)
    .digest('hex')}`;
}

/** An assignee must be an active user of the tenant, a team one of its teams; else 400 naming the field. */
export async function checkAssignment(
  identity: IdentityPort,
  tenantId: string,
  input: { assigneeId?: string | null | undefined; teamId?: string | null | undefined },
): Promise<void> {
  if (input.assigneeId) {
    const user = await unknownAs(
      identity.getUser({ tenantId, id: input.assigneeId }),
      'assigneeId',
      'no such user',
    );
    if (!user.user?.active) {
      throw new GatewayError('INVALID_ARGUMENT', 'assigneeId: this user is deactivated', [
        { path: ['assigneeId'], message: 'deactivated user' },
      ]);
    }
  }
  if (input.teamId)
    await unknownAs(identity.getTeam({ tenantId, id: input.teamId }), 'teamId', 'no such team');
}

async function unknownAs<T>(call: Promise<T>, field: string, message: string): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (isDomainError(err) && err.code === 'NOT_FOUND') {
      throw new GatewayError('INVALID_ARGUMENT', `${field}: ${message}`, [{ path: [field], message }]);
    }
    throw err;
  }
}

async function resolveRequester(
  identity: IdentityPort,
  principal: TenantPrincipal,
  given: CreateTicketInput['requester'],
  clientId: string | undefined,
): Promise<ticketV1.Requester> {
  if (given) return { email: given.email, name: given.name ?? '' };
  if (clientId) {
    // the agent is no person of the customer: making them its contact would send the client's replies to them
    throw new GatewayError(
      'INVALID_ARGUMENT',
      'requester or contactId is required with clientId: who at the client raised it',
      [{ path: ['requester'], message: 'Required with clientId' }],
    );
  }
  if (principal.actor === 'API_KEY') {
    throw new GatewayError(
      'INVALID_ARGUMENT',
      'requester or contactId is required when creating a ticket with an API key',
      [{ path: ['requester'], message: 'Required for API keys' }],
    );
  }
  const { user } = await identity.getUser({ tenantId: principal.tenantId, id: principal.userId });
  if (!user) throw new GatewayError('INTERNAL', 'Identity service returned no user');
  return { email: user.email, name: user.name };
}
