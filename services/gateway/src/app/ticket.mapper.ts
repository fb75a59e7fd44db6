// REST ↔ TicketService: proto3 has no null, so '' and unset messages become null here, and REST's null becomes ''.
import type { ticketV1 } from '@helpdesk/contracts';
import { toPageRequest, type PageQuery } from './pagination';
import { actorKind, emptyToNull, isoOrNull, type ActorKind } from './rest-values';
import { toTicketSlaDto, type TicketSlaDto } from './sla.mapper';

/** A ticket as the agent API shows it (docs/product/tickets.md). */
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
  type: string | null;
  category: string | null;
  source: string;
  raisedBy: string;
  requester: { email: string; name: string | null } | null;
  clientId: string | null;
  contactId: string | null;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  cc: string[];
  links: { project: string | null; lead: string | null };
  templateId: string | null;
  openedAt: string | null;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  resolutionDetails: string | null;
  closedAt: string | null;
  lastCustomerReplyAt: string | null;
  lastAgentReplyAt: string | null;
  sla: TicketSlaDto | null;
  timeSpentMinutes: number;
  mergedIntoId: string | null;
  followUpOfId: string | null;
  rating: { score: number; comment: string | null; ratedAt: string | null } | null;
  createdBy: { type: ActorKind; id: string | null } | null;
  updatedAt: string | null;
  version: number;
}

function toRatingDto(rating: ticketV1.TicketRating | undefined): TicketDto['rating'] {
  return rating ? { score: rating.score, comment: emptyToNull(rating.comment), ratedAt: isoOrNull(rating.ratedAt) } : null;
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
    type: emptyToNull(ticket.type),
    category: emptyToNull(ticket.category),
    source: ticket.source,
    raisedBy: ticket.raisedBy,
    requester: ticket.requester
      ? { email: ticket.requester.email, name: emptyToNull(ticket.requester.name) }
      : null,
    clientId: emptyToNull(ticket.clientId),
    contactId: emptyToNull(ticket.contactId),
    assigneeId: emptyToNull(ticket.assigneeId),
    teamId: emptyToNull(ticket.teamId),
    tags: ticket.tags,
    cc: ticket.cc,
    links: { project: emptyToNull(ticket.links?.project ?? ''), lead: emptyToNull(ticket.links?.lead ?? '') },
    templateId: emptyToNull(ticket.templateId),
    openedAt: isoOrNull(ticket.openedAt),
    firstRespondedAt: isoOrNull(ticket.firstRespondedAt),
    resolvedAt: isoOrNull(ticket.resolvedAt),
    resolutionDetails: emptyToNull(ticket.resolutionDetails),
    closedAt: isoOrNull(ticket.closedAt),
    lastCustomerReplyAt: isoOrNull(ticket.lastCustomerReplyAt),
    lastAgentReplyAt: isoOrNull(ticket.lastAgentReplyAt),
    sla: ticket.sla ? toTicketSlaDto(ticket.sla) : null,
    timeSpentMinutes: ticket.timeSpentMinutes,
    mergedIntoId: emptyToNull(ticket.mergedIntoId),
    followUpOfId: emptyToNull(ticket.followUpOfId),
    rating: toRatingDto(ticket.rating),
    createdBy: ticket.createdBy && kind ? { type: kind, id: emptyToNull(ticket.createdBy.id) } : null,
    updatedAt: isoOrNull(ticket.updatedAt),
    version: ticket.version,
  };
}

/**
 * A ticket as the customer portal shows it (docs/product/portal.md): what the customer asked and where it stands.
 * Nothing that names agents, teams, internal tags, SLA targets or billing reaches the portal.
 */
export interface PortalTicketDto {
  id: string;
  number: number;
  title: string;
  description: string;
  descriptionText: string;
  status: string;
  priority: string;
  type: string | null;
  category: string | null;
  requester: { email: string; name: string | null } | null;
  cc: string[];
  openedAt: string | null;
  resolvedAt: string | null;
  resolutionDetails: string | null;
  closedAt: string | null;
  updatedAt: string | null;
  followUpOfId: string | null;
  rating: TicketDto['rating'];
}

export function toPortalTicketDto(ticket: ticketV1.Ticket): PortalTicketDto {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    description: ticket.descriptionHtml,
    descriptionText: ticket.descriptionText,
    status: ticket.status,
    priority: ticket.priority,
    type: emptyToNull(ticket.type),
    category: emptyToNull(ticket.category),
    requester: ticket.requester
      ? { email: ticket.requester.email, name: emptyToNull(ticket.requester.name) }
      : null,
    cc: ticket.cc,
    openedAt: isoOrNull(ticket.openedAt),
    resolvedAt: isoOrNull(ticket.resolvedAt),
    resolutionDetails: emptyToNull(ticket.resolutionDetails),
    closedAt: isoOrNull(ticket.closedAt),
    updatedAt: isoOrNull(ticket.updatedAt),
    followUpOfId: emptyToNull(ticket.followUpOfId),
    rating: toRatingDto(ticket.rating),
  };
}

export interface AttachmentDto {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  inline: boolean;
  /** Where to download it (checks that the caller may see the ticket). */
  url: string;
  createdAt: string | null;
}

export function toAttachmentDto(a: ticketV1.Attachment, urlBase: string): AttachmentDto {
  return {
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    contentId: emptyToNull(a.contentId),
    inline: a.inline,
    url: `${urlBase}/${a.id}`,
    createdAt: isoOrNull(a.createdAt),
  };
}

/** `cid:` images of an e-mail point at their attachments' download URLs, so inline images keep working. */
export function linkInlineImages(html: string, attachments: AttachmentDto[]): string {
  const byCid = new Map(attachments.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a.url]));
  if (byCid.size === 0) return html;
  return html.replace(/src="cid:([^"]+)"/gi, (whole, cid: string) => {
    const url = byCid.get(cid.toLowerCase());
    return url ? `src="${url}?inline=1"` : whole;
  });
}

export interface MessageDto {
  id: string;
  ticketId: string;
  kind: string;
  author: { type: ActorKind | null; id: string | null; name: string | null };
  bodyHtml: string;
  bodyText: string;
  attachments: AttachmentDto[];
  mentions: string[];
  email: {
    messageId: string | null;
    inReplyTo: string | null;
    references: string[];
    from: string | null;
    to: string[];
    cc: string[];
    subject: string | null;
    mailboxId: string | null;
    hasRaw: boolean;
  } | null;
  threadingRule: string | null;
  createdAt: string | null;
}

export const AGENT_ATTACHMENT_URL = '/api/v1/attachments';
export const PORTAL_ATTACHMENT_URL = '/api/v1/portal/attachments';

export function toMessageDto(m: ticketV1.TicketMessage): MessageDto {
  const attachments = m.attachments.map((a) => toAttachmentDto(a, AGENT_ATTACHMENT_URL));
  return {
    id: m.id,
    ticketId: m.ticketId,
    kind: m.kind,
    author: {
      type: m.author ? actorKind(m.author.type) : null,
      id: emptyToNull(m.author?.id ?? ''),
      name: emptyToNull(m.authorName),
    },
    bodyHtml: linkInlineImages(m.bodyHtml, attachments),
    bodyText: m.bodyText,
    attachments,
    mentions: m.mentions,
    email: m.email
      ? {
          messageId: emptyToNull(m.email.messageId),
          inReplyTo: emptyToNull(m.email.inReplyTo),
          references: m.email.references,
          from: emptyToNull(m.email.from),
          to: m.email.to,
          cc: m.email.cc,
          subject: emptyToNull(m.email.subject),
          mailboxId: emptyToNull(m.email.mailboxId),
          hasRaw: m.email.rawRef !== '',
        }
      : null,
    threadingRule: emptyToNull(m.threadingRule),
    createdAt: isoOrNull(m.createdAt),
  };
}

/**
 * A message as the portal shows it: no internal notes reach here (the ticket service leaves them out for
 * contacts), and no addresses or ids of agents — an agent is a name.
 */
export interface PortalMessageDto {
  id: string;
  kind: string;
  author: { type: 'agent' | 'customer' | 'system'; name: string | null };
  bodyHtml: string;
  bodyText: string;
  attachments: AttachmentDto[];
  createdAt: string | null;
}

export function toPortalMessageDto(m: ticketV1.TicketMessage): PortalMessageDto {
  const attachments = m.attachments.map((a) => toAttachmentDto(a, PORTAL_ATTACHMENT_URL));
  const kind = m.author ? actorKind(m.author.type) : null;
  const fromCustomer = kind === 'contact' || m.kind === 'email_in';
  const type = fromCustomer ? 'customer' : kind === 'user' || kind === 'api_key' ? 'agent' : 'system';
  return {
    id: m.id,
    kind: m.kind === 'email_in' || m.kind === 'email_out' ? 'email' : m.kind,
    author: { type, name: type === 'system' ? null : emptyToNull(m.authorName) },
    bodyHtml: linkInlineImages(m.bodyHtml, attachments),
    bodyText: m.bodyText,
    attachments,
    createdAt: isoOrNull(m.createdAt),
  };
}

export interface HistoryEntryDto {
  id: string;
  actor: { type: ActorKind | null; id: string | null };
  cause: string;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  at: string | null;
}

export function toHistoryDto(e: ticketV1.HistoryEntry): HistoryEntryDto {
  const parse = (json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch {
      return null;
    }
  };
  return {
    id: e.id,
    actor: { type: e.actor ? actorKind(e.actor.type) : null, id: emptyToNull(e.actor?.id ?? '') },
    cause: e.cause,
    changes: e.changes.map((c) => ({ field: c.field, from: parse(c.fromJson), to: parse(c.toJson) })),
    at: isoOrNull(e.at),
  };
}

export interface TodoDto {
  id: string;
  ticketId: string;
  ticketNumber: number;
  ticketTitle: string;
  state: string;
  createdAt: string | null;
  doneAt: string | null;
}

export function toTodoDto(t: ticketV1.Todo): TodoDto {
  return {
    id: t.id,
    ticketId: t.ticketId,
    ticketNumber: t.ticketNumber,
    ticketTitle: t.ticketTitle,
    state: t.state,
    createdAt: isoOrNull(t.createdAt),
    doneAt: isoOrNull(t.doneAt),
  };
}

export interface TicketListFilters {
  status?: string[] | undefined;
  priority?: string[] | undefined;
  clientId?: string[] | undefined;
  /** user ids, `me` and `none`. */
  assigneeId?: string[] | undefined;
  teamId?: string[] | undefined;
  category?: string[] | undefined;
  type?: string[] | undefined;
  tag?: string[] | undefined;
  contactId?: string | undefined;
  q?: string | undefined;
  slaState?: string | undefined;
  sort?: string | undefined;
}

/** `assigneeId=me` is the caller (an agent), `none` is unassigned (docs/product/tickets.md "Search and lists"). */
export function toListTicketsRequest(
  tenantId: string,
  filters: TicketListFilters,
  page: PageQuery,
  me: string | undefined,
): ticketV1.ListTicketsRequest {
  const assignees = filters.assigneeId ?? [];
  return {
    tenantId,
    page: toPageRequest(page),
    status: filters.status ?? [],
    priority: filters.priority ?? [],
    clientId: filters.clientId ?? [],
    assigneeId: assignees.flatMap((a) => (a === 'none' ? [] : a === 'me' ? (me ? [me] : []) : [a])),
    unassigned: assignees.includes('none'),
    teamId: filters.teamId ?? [],
    category: filters.category ?? [],
    type: filters.type ?? [],
    tag: filters.tag ?? [],
    q: filters.q ?? '',
    slaState: filters.slaState ?? '',
    sort: filters.sort ?? '',
    actor: undefined,
    contactId: filters.contactId ?? '',
  };
}
