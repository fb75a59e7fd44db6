// Domain tickets and threads ↔ the published contract, shared by the gRPC handlers and the events in the outbox.
import { commonV1, ticketV1 } from '@helpdesk/contracts';
import type { Attachment, TicketMessage } from '../domain/message';
import type { Actor, ActorType, Ticket, TicketSla } from '../domain/ticket';
import type { FieldChange } from '../domain/ticket-update';
import type { Todo } from '../domain/todo';

const ACTOR_TO_PROTO: Record<ActorType, commonV1.ActorType> = {
  user: commonV1.ActorType.ACTOR_TYPE_USER,
  api_key: commonV1.ActorType.ACTOR_TYPE_API_KEY,
  contact: commonV1.ActorType.ACTOR_TYPE_CONTACT,
  system: commonV1.ActorType.ACTOR_TYPE_SYSTEM,
  automation: commonV1.ActorType.ACTOR_TYPE_AUTOMATION,
};

type KnownProtoActorType = Exclude<
  commonV1.ActorType,
  commonV1.ActorType.ACTOR_TYPE_UNSPECIFIED | commonV1.ActorType.UNRECOGNIZED
>;

const ACTOR_FROM_PROTO: Record<KnownProtoActorType, ActorType> = {
  [commonV1.ActorType.ACTOR_TYPE_USER]: 'user',
  [commonV1.ActorType.ACTOR_TYPE_API_KEY]: 'api_key',
  [commonV1.ActorType.ACTOR_TYPE_CONTACT]: 'contact',
  [commonV1.ActorType.ACTOR_TYPE_SYSTEM]: 'system',
  [commonV1.ActorType.ACTOR_TYPE_AUTOMATION]: 'automation',
};

export function actorFromProtoType(type: KnownProtoActorType): ActorType {
  return ACTOR_FROM_PROTO[type];
}

export function toProtoActor(actor: Actor): commonV1.Actor {
  const proto: commonV1.Actor = { type: ACTOR_TO_PROTO[actor.type], id: actor.id ?? '' };
  if (actor.type === 'automation' && actor.causation) proto.causation = actor.causation;
  return proto;
}

const orUndefined = (d: Date | null) => d ?? undefined;

function toProtoSla(sla: TicketSla): ticketV1.TicketSla {
  const target = (t: TicketSla['firstResponse']): ticketV1.SlaTargetState => ({
    state: t.state,
    breachedAt: orUndefined(t.breachedAt),
    metAt: orUndefined(t.metAt),
  });
  return {
    policyId: sla.policyId,
    firstResponseDueAt: orUndefined(sla.firstResponseDueAt),
    resolutionDueAt: orUndefined(sla.resolutionDueAt),
    firstResponse: target(sla.firstResponse),
    resolution: target(sla.resolution),
    warning: sla.warning,
  };
}

export function toProtoTicket(ticket: Ticket): ticketV1.Ticket {
  return {
    id: ticket.id,
    tenantId: ticket.tenantId,
    number: ticket.number,
    title: ticket.title,
    descriptionHtml: ticket.descriptionHtml,
    descriptionText: ticket.descriptionText,
    status: ticket.status,
    priority: ticket.priority,
    source: ticket.source,
    raisedBy: ticket.raisedBy,
    requester: { email: ticket.requester.email, name: ticket.requester.name },
    createdBy: toProtoActor(ticket.createdBy),
    openedAt: ticket.openedAt,
    updatedAt: ticket.updatedAt,
    version: ticket.version,
    type: ticket.type ?? '',
    category: ticket.category ?? '',
    clientId: ticket.clientId ?? '',
    contactId: ticket.contactId ?? '',
    assigneeId: ticket.assigneeId ?? '',
    teamId: ticket.teamId ?? '',
    tags: [...ticket.tags],
    cc: [...ticket.cc],
    links: { project: ticket.links.project ?? '', lead: ticket.links.lead ?? '' },
    templateId: ticket.templateId ?? '',
    firstRespondedAt: orUndefined(ticket.firstRespondedAt),
    resolvedAt: orUndefined(ticket.resolvedAt),
    resolutionDetails: ticket.resolutionDetails ?? '',
    closedAt: orUndefined(ticket.closedAt),
    lastCustomerReplyAt: orUndefined(ticket.lastCustomerReplyAt),
    lastAgentReplyAt: orUndefined(ticket.lastAgentReplyAt),
    sla: ticket.sla ? toProtoSla(ticket.sla) : undefined,
    timeSpentMinutes: ticket.timeSpentMinutes,
    mergedIntoId: ticket.mergedIntoId ?? '',
    followUpOfId: ticket.followUpOfId ?? '',
    rating: ticket.rating
      ? { score: ticket.rating.score, comment: ticket.rating.comment, ratedAt: ticket.rating.ratedAt }
      : undefined,
  };
}

export function toProtoAttachment(a: Attachment): ticketV1.Attachment {
  return {
    id: a.id,
    ticketId: a.ticketId ?? '',
    messageId: a.messageId ?? '',
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    contentId: a.contentId ?? '',
    inline: a.inline,
    createdAt: a.createdAt,
  };
}

export function toProtoMessage(m: TicketMessage, authorName = ''): ticketV1.TicketMessage {
  return {
    id: m.id,
    tenantId: m.tenantId,
    ticketId: m.ticketId,
    kind: m.kind,
    author: toProtoActor(m.author),
    bodyHtml: m.bodyHtml,
    bodyText: m.bodyText,
    attachments: m.attachments.map(toProtoAttachment),
    mentions: [...m.mentions],
    email: m.email
      ? {
          messageId: m.email.messageId ?? '',
          inReplyTo: m.email.inReplyTo ?? '',
          references: [...m.email.references],
          from: m.email.from ?? '',
          to: [...m.email.to],
          cc: [...m.email.cc],
          subject: m.email.subject ?? '',
          mailboxId: m.email.mailboxId ?? '',
          rawRef: m.email.rawRef ?? '',
        }
      : undefined,
    threadingRule: m.threadingRule ?? '',
    createdAt: m.createdAt,
    authorName,
  };
}

export function toProtoChanges(changes: FieldChange[]): ticketV1.FieldChange[] {
  return changes.map((c) => ({
    field: c.field,
    fromJson: JSON.stringify(c.from),
    toJson: JSON.stringify(c.to),
  }));
}

export function toProtoTodo(todo: Todo): ticketV1.Todo {
  return {
    id: todo.id,
    userId: todo.userId,
    ticketId: todo.ticketId,
    ticketNumber: todo.ticketNumber,
    ticketTitle: todo.ticketTitle,
    state: todo.state,
    createdAt: todo.createdAt,
    doneAt: orUndefined(todo.doneAt),
  };
}
