import type { ticketV1 } from '@helpdesk/contracts';
import { GatewayError } from './errors';
import type { IdentityPort, TicketPort } from './ports';
import { toActor, type TenantPrincipal } from './principal';
import { toTicketDto, type TicketDto } from './ticket.mapper';

export interface CreateTicketInput {
  title: string;
  description?: string | undefined;
  priority?: string | undefined;
  source?: string | undefined;
  requester?: { email: string; name?: string | undefined } | undefined;
}

/**
 * Creates a ticket for the caller. Without an explicit requester an agent raises it for themself
 * (looked up in identity); an API key has no person behind it, so it must name one.
 */
export async function createTicket(
  deps: { identity: IdentityPort; tickets: TicketPort },
  principal: TenantPrincipal,
  input: CreateTicketInput,
): Promise<TicketDto> {
  const requester = await resolveRequester(deps.identity, principal, input.requester);
  const request: ticketV1.CreateTicketRequest = {
    tenantId: principal.tenantId,
    actor: toActor(principal),
    title: input.title,
    description: input.description ?? '',
    // Empty lets the ticket service apply its defaults (medium; source from the actor).
    priority: input.priority ?? '',
    source: input.source ?? '',
    requester,
  };
  const response = await deps.tickets.createTicket(request);
  if (!response.ticket) throw new GatewayError('INTERNAL', 'Ticket service returned no ticket');
  return toTicketDto(response.ticket);
}

async function resolveRequester(
  identity: IdentityPort,
  principal: TenantPrincipal,
  given: CreateTicketInput['requester'],
): Promise<ticketV1.Requester> {
  if (given) return { email: given.email, name: given.name ?? '' };
  if (principal.actor === 'API_KEY') {
    throw new GatewayError(
      'INVALID_ARGUMENT',
      'requester is required when creating a ticket with an API key',
      [{ path: ['requester'], message: 'Required for API keys' }],
    );
  }
  const { user } = await identity.getUser({ tenantId: principal.tenantId, id: principal.userId });
  if (!user) throw new GatewayError('INTERNAL', 'Identity service returned no user');
  return { email: user.email, name: user.name };
}
