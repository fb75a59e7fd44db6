// Domain ticket ↔ the published contract, shared by the gRPC handlers and the events in the outbox.
import { commonV1, ticketV1 } from '@helpdesk/contracts';
import type { Actor, ActorType, Ticket } from '../domain/ticket';

const ACTOR_TO_PROTO: Record<ActorType, commonV1.ActorType> = {
  user: commonV1.ActorType.ACTOR_TYPE_USER,
  api_key: commonV1.ActorType.ACTOR_TYPE_API_KEY,
  contact: commonV1.ActorType.ACTOR_TYPE_CONTACT,
  system: commonV1.ActorType.ACTOR_TYPE_SYSTEM,
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
};

export function actorFromProtoType(type: KnownProtoActorType): ActorType {
  return ACTOR_FROM_PROTO[type];
}

export function toProtoActor(actor: Actor): commonV1.Actor {
  return { type: ACTOR_TO_PROTO[actor.type], id: actor.id ?? '' };
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
  };
}
