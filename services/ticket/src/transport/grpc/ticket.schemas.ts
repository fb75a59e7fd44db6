// zod schemas of the gRPC requests: proto3 has no required fields, so every message is checked here and
// turned into the use cases' input. A ZodError thrown from a handler answers INVALID_ARGUMENT (libs/grpc).
import { z } from 'zod';
import { MESSAGE_KINDS } from '../../domain/message';
import {
  DESCRIPTION_MAX_LENGTH,
  TICKET_PRIORITIES,
  TICKET_SOURCES,
  TICKET_STATUSES,
} from '../../domain/ticket';
import { TICKET_SORTS } from '../../domain/ticket-query';
import {
  actor,
  optionalActor,
  optionalChoice,
  optionalUuid,
  page,
  tenantId,
  text as shortText,
  uuid,
} from './common.schemas';

const tagList = z.object({ tags: z.array(shortText(200)).max(200) }).transform((t) => t.tags);
const links = z.object({ project: shortText(1000), lead: shortText(1000) });
// PATCH: an absent field keeps its value
const linksPatch = z.object({ project: shortText(1000).optional(), lead: shortText(1000).optional() });

const emailHeaders = z
  .object({
    messageId: shortText(2000),
    inReplyTo: shortText(2000),
    references: z.array(shortText(2000)).max(500),
    from: shortText(2000),
    to: z.array(shortText(2000)).max(500),
    cc: z.array(shortText(2000)).max(500),
    subject: shortText(10_000),
    mailboxId: optionalUuid,
    rawRef: shortText(300),
  })
  .transform((e) => ({ ...e, mailboxId: e.mailboxId ?? null }));

export const newMessage = z.object({
  kind: z.enum(MESSAGE_KINDS),
  bodyHtml: z.string(),
  bodyText: z.string(),
  attachmentIds: z.array(uuid).max(100),
  email: emailHeaders.optional(),
  threadingRule: shortText(40),
});

const dedupeKey = shortText(300);

export const createTicketRequestSchema = z.object({
  tenantId,
  actor,
  title: shortText(10_000),
  description: z.string().max(DESCRIPTION_MAX_LENGTH),
  priority: optionalChoice(TICKET_PRIORITIES),
  source: optionalChoice(TICKET_SOURCES),
  requester: z
    .object({
      email: z.string().trim().toLowerCase().max(320).pipe(z.email()),
      name: z.string().trim().max(200),
    })
    .optional(),
  type: shortText(200).optional(),
  category: shortText(200).optional(),
  contactId: optionalUuid,
  clientId: optionalUuid,
  assigneeId: optionalUuid,
  teamId: optionalUuid,
  tags: tagList.optional(),
  cc: z.array(shortText(400)).max(100),
  links: links.optional(),
  templateId: optionalUuid,
  followUpOfId: optionalUuid,
  initialMessage: newMessage.optional(),
  dedupeKey,
});

export const getTicketRequestSchema = z.object({
  tenantId,
  // any string: an id that is no uuid is simply not found
  id: z.string().max(100),
  actor: optionalActor,
  number: z.number().int().min(0),
});

const filterList = <T extends z.ZodType>(item: T) => z.array(item).max(100);

export const listTicketsRequestSchema = z.object({
  tenantId,
  page,
  status: filterList(z.enum(TICKET_STATUSES)),
  priority: filterList(z.enum(TICKET_PRIORITIES)),
  clientId: filterList(uuid),
  assigneeId: filterList(uuid),
  unassigned: z.boolean(),
  teamId: filterList(uuid),
  category: filterList(shortText(200)),
  type: filterList(shortText(200)),
  tag: filterList(shortText(200)),
  q: shortText(1000),
  slaState: z.union([z.literal(''), z.enum(['breached', 'warning'])]),
  sort: z.union([z.literal(''), z.enum(TICKET_SORTS)]),
  actor: optionalActor,
  contactId: optionalUuid,
});

export const updateTicketRequestSchema = z.object({
  tenantId,
  actor,
  id: uuid,
  expectedVersion: z.number().int().optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  assigneeId: z.union([z.literal(''), uuid]).optional(),
  teamId: z.union([z.literal(''), uuid]).optional(),
  type: shortText(200).optional(),
  category: shortText(200).optional(),
  tags: tagList.optional(),
  links: linksPatch.optional(),
  resolutionDetails: z.string().max(100_000).optional(),
  title: shortText(10_000).optional(),
  cc: z.object({ addresses: z.array(shortText(400)).max(100) }).optional(),
  clientId: z.union([z.literal(''), uuid]).optional(),
  // a ticket always keeps a requester: a contact is replaced, never removed
  contactId: uuid.optional(),
  reopen: z.boolean(),
});

export const addMessageRequestSchema = z.object({
  tenantId,
  actor,
  ticketId: uuid,
  message: newMessage,
  status: optionalChoice(TICKET_STATUSES),
  resolutionDetails: z.string().max(100_000).optional(),
  dedupeKey,
});

export const listMessagesRequestSchema = z.object({ tenantId, ticketId: uuid, page, actor: optionalActor });
export const getMessageRequestSchema = z.object({ tenantId, id: z.string().max(100) });
export const listHistoryRequestSchema = z.object({ tenantId, ticketId: uuid, page });
export const mergeTicketRequestSchema = z.object({ tenantId, actor, ticketId: uuid, intoTicketId: uuid });
export const confirmResolutionRequestSchema = z.object({ tenantId, actor, ticketId: uuid });
export const rateTicketRequestSchema = z.object({
  tenantId,
  actor,
  ticketId: uuid,
  score: z.number().int(),
  comment: z.string().max(10_000),
});
export const listTodosRequestSchema = z.object({
  tenantId,
  userId: uuid,
  state: z.union([z.literal(''), z.enum(['open', 'done', 'all'])]),
  page,
});
export const findTicketByEmailRequestSchema = z.object({
  tenantId,
  messageIds: z.array(shortText(2000)).min(1).max(100),
});
