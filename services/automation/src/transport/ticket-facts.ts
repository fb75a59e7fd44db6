// A ticket of the contract (event data, or GetTicket's answer) → the facts rules see, checked by zod: proto3 has
// no required fields, so a ticket without id, tenant or version is refused here.
import { commonV1, type ticketV1 } from '@helpdesk/contracts';
import { z } from 'zod';
import type { EvaluationContext, FieldChange, TicketFacts } from '../domain/conditions';

const uuid = z.guid().transform((v) => v.toLowerCase());
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? null : v));
const emptyToNull = z.string().transform((v) => (v === '' ? null : v));
const date = z.date();

const ticketSchema = z.object({
  id: uuid,
  tenantId: uuid,
  number: z.number().int().min(0),
  version: z.number().int().min(1),
  title: z.string(),
  descriptionText: z.string(),
  status: z.string().min(1),
  priority: z.string(),
  type: emptyToNull,
  category: emptyToNull,
  tags: z.array(z.string()),
  source: z.string(),
  clientId: optionalUuid,
  contactId: optionalUuid,
  teamId: optionalUuid,
  assigneeId: optionalUuid,
  raisedBy: z.string(),
  requester: z.object({ email: z.string(), name: z.string() }).optional(),
  sla: z.object({ policyId: z.string() }).optional(),
  openedAt: date,
  updatedAt: date.optional(),
  lastCustomerReplyAt: date.optional(),
  lastAgentReplyAt: date.optional(),
});

/** Throws a ZodError naming the bad fields. */
export function ticketFacts(ticket: ticketV1.Ticket | undefined): TicketFacts {
  const t = ticketSchema.parse(ticket);
  return {
    id: t.id,
    tenantId: t.tenantId,
    number: t.number,
    version: t.version,
    title: t.title,
    description: t.descriptionText,
    status: t.status,
    priority: t.priority,
    type: t.type,
    category: t.category,
    tags: t.tags,
    source: t.source,
    clientId: t.clientId,
    contactId: t.contactId,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    requester: { email: t.requester?.email || t.raisedBy, name: t.requester?.name ?? '' },
    slaPolicyId: t.sla?.policyId || null,
    openedAt: t.openedAt,
    updatedAt: t.updatedAt ?? t.openedAt,
    lastCustomerReplyAt: t.lastCustomerReplyAt ?? null,
    lastAgentReplyAt: t.lastAgentReplyAt ?? null,
  };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export function fieldChanges(changes: ticketV1.FieldChange[]): FieldChange[] {
  return changes.map((c) => ({ field: c.field, from: parseJson(c.fromJson), to: parseJson(c.toJson) }));
}

/** `message.authorType` of docs/product/automation.md: a customer, an agent, or the platform. */
export function messageOf(message: ticketV1.TicketMessage | undefined): EvaluationContext['message'] {
  if (!message) return null;
  const type = message.author?.type;
  let authorType: 'customer' | 'agent' | 'system';
  if (message.kind === 'email_in' || type === commonV1.ActorType.ACTOR_TYPE_CONTACT) authorType = 'customer';
  else if (type === commonV1.ActorType.ACTOR_TYPE_USER || type === commonV1.ActorType.ACTOR_TYPE_API_KEY)
    authorType = 'agent';
  else authorType = 'system';
  return { kind: message.kind, authorType };
}
