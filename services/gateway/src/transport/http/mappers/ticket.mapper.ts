// REST ↔ TicketService: proto3 has no null, so '' and unset messages become null here, and REST's null becomes ''.
import { ticketV1 } from '@helpdesk/contracts';
import { toPageRequest, type PageQuery } from '../../../app/pagination';
import { toActor, type TenantPrincipal } from '../../../app/principal';
import { actorKind, emptyToNull, isoOrNull } from '../../../app/rest-values';
import { toTicketSlaDto } from './sla.mapper';
import type { z } from 'zod';
import type { portalMessageSchema, portalTicketSchema } from '../schemas/portal.schema';
import type {
  attachmentSchema,
  historyEntrySchema,
  messageSchema,
  ticketSchema,
  todoSchema,
  updateTicketBodySchema,
} from '../schemas/ticket.schema';

/** A ticket as the agent API shows it (docs/product/tickets.md). */
export type TicketDto = z.input<typeof ticketSchema>;

function toRatingDto(rating: ticketV1.TicketRating | undefined): TicketDto['rating'] {
  return rating
    ? { score: rating.score, comment: emptyToNull(rating.comment), ratedAt: isoOrNull(rating.ratedAt) }
    : null;
}

/** A ticket as agents see it: everything the portal shows, and who works on it, SLA, time and links. */
export function toTicketDto(ticket: ticketV1.Ticket): TicketDto {
  const kind = ticket.createdBy ? actorKind(ticket.createdBy.type) : null;
  return {
    ...toPortalTicketDto(ticket),
    source: ticket.source,
    raisedBy: ticket.raisedBy,
    clientId: emptyToNull(ticket.clientId),
    contactId: emptyToNull(ticket.contactId),
    assigneeId: emptyToNull(ticket.assigneeId),
    teamId: emptyToNull(ticket.teamId),
    tags: ticket.tags,
    links: { project: emptyToNull(ticket.links?.project ?? ''), lead: emptyToNull(ticket.links?.lead ?? '') },
    templateId: emptyToNull(ticket.templateId),
    firstRespondedAt: isoOrNull(ticket.firstRespondedAt),
    lastCustomerReplyAt: isoOrNull(ticket.lastCustomerReplyAt),
    lastAgentReplyAt: isoOrNull(ticket.lastAgentReplyAt),
    sla: ticket.sla ? toTicketSlaDto(ticket.sla) : null,
    timeSpentMinutes: ticket.timeSpentMinutes,
    mergedIntoId: emptyToNull(ticket.mergedIntoId),
    createdBy: ticket.createdBy && kind ? { type: kind, id: emptyToNull(ticket.createdBy.id) } : null,
    version: ticket.version,
  };
}

/**
 * A ticket as the customer portal shows it (docs/product/portal.md): what the customer asked and where it stands. Nothing that
 * names agents, teams, internal tags, SLA targets or billing reaches the portal.
 */
export type PortalTicketDto = z.input<typeof portalTicketSchema>;

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

export type AttachmentDto = z.input<typeof attachmentSchema>;

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
  const byCid = new Map(
    attachments.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a.url]),
  );
  if (byCid.size === 0) return html;
  return html.replace(/src="cid:([^"]+)"/gi, (whole, cid: string) => {
    const url = byCid.get(cid.toLowerCase());
    return url ? `src="${url}?inline=1"` : whole;
  });
}

export type MessageDto = z.input<typeof messageSchema>;

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
export type PortalMessageDto = z.input<typeof portalMessageSchema>;

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

export type HistoryEntryDto = z.input<typeof historyEntrySchema>;

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

export type TodoDto = z.input<typeof todoSchema>;

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

/** `assigneeId=me` is the caller (an agent), `none` is unassigned (docs/api.md). */
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

export type UpdateTicketInput = z.output<typeof updateTicketBodySchema>;

const nullAsEmpty = (v: string | null | undefined) => (v === undefined ? undefined : (v ?? ''));

/** PATCH /tickets/:id: REST null → proto3 '' on the optional fields; absent stays unset. */
export function toUpdateTicketRequest(
  principal: TenantPrincipal,
  id: string,
  expectedVersion: number | undefined,
  input: UpdateTicketInput,
): ticketV1.UpdateTicketRequest {
  return ticketV1.UpdateTicketRequest.fromPartial({
    tenantId: principal.tenantId,
    actor: toActor(principal),
    id,
    expectedVersion,
    status: input.status,
    reopen: input.reopen === true,
    priority: input.priority,
    assigneeId: nullAsEmpty(input.assigneeId),
    teamId: nullAsEmpty(input.teamId),
    type: nullAsEmpty(input.type),
    category: nullAsEmpty(input.category),
    tags: input.tags ? { tags: input.tags } : undefined,
    links: input.links
      ? { project: nullAsEmpty(input.links.project), lead: nullAsEmpty(input.links.lead) }
      : undefined,
    resolutionDetails: nullAsEmpty(input.resolutionDetails),
    title: input.title,
    cc: input.cc ? { addresses: input.cc } : undefined,
    clientId: nullAsEmpty(input.clientId),
    contactId: input.contactId,
  });
}
