import type { ticketV1 } from '@helpdesk/contracts';
import { actorKind, emptyToNull, isoOrNull, type ActorKind } from './rest-values';
import { toPageRequest, type PageQuery } from './pagination';

/** A ticket as the REST API shows it (SPEC §2; fields not yet implemented are omitted). */
export interface TicketDto {
  id: string;
  number: number;
  title: string;
  /** Sanitized HTML. */
  description: string;
  /** Plain-text copy of the description. */
  descriptionText: string;
  status: string;
  priority: string;
  source: string;
  raisedBy: string;
  requester: { email: string; name: string | null } | null;
  createdBy: { type: ActorKind; id: string | null } | null;
  openedAt: string | null;
  updatedAt: string | null;
  version: number;
}

export function toTicketDto(ticket: ticketV1.Ticket): TicketDto {
  const kind = ticket.createdBy ? actorKind(ticket.createdBy.type) : null;
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    description: ticket.descriptionHtml,
    descriptionText: ticket.descriptionText,
    status: ticket.status,
    priority: ticket.priority,
    source: ticket.source,
    raisedBy: ticket.raisedBy,
    requester: ticket.requester
      ? { email: ticket.requester.email, name: emptyToNull(ticket.requester.name) }
      : null,
    createdBy: ticket.createdBy && kind ? { type: kind, id: emptyToNull(ticket.createdBy.id) } : null,
    openedAt: isoOrNull(ticket.openedAt),
    updatedAt: isoOrNull(ticket.updatedAt),
    version: ticket.version,
  };
}

export interface TicketListFilters {
  status?: string[] | undefined;
  priority?: string[] | undefined;
}

export function toListTicketsRequest(
  tenantId: string,
  filters: TicketListFilters,
  page: PageQuery,
): ticketV1.ListTicketsRequest {
  return {
    tenantId,
    page: toPageRequest(page),
    status: filters.status ?? [],
    priority: filters.priority ?? [],
  };
}
