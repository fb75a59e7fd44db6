import { z } from 'zod';
import {
  ACTOR_KINDS,
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_SOURCES,
  TICKET_STATUSES,
} from '../../../app/rest-values';
import {
  displayNameSchema,
  emailSchema,
  isoDateTime,
  listFilter,
  pageOf,
  pageQueryShape,
} from './common.schema';
import { ticketSlaSchema } from './sla.schema';

const id = z.guid();
const tagsSchema = z
  .array(z.string().trim().min(1).max(50))
  .max(50)
  .meta({ description: 'Tags (stored lower-case): letters, digits and _.:/+-' });
const ccSchema = z.array(emailSchema).max(50).meta({ description: 'Addresses copied on replies' });
const linksSchema = z
  .strictObject({
    project: z.string().trim().max(500).nullable().optional(),
    lead: z.string().trim().max(500).nullable().optional(),
  })
  .meta({ description: 'Free references to outside records (project, sales lead); null clears one' });
const listEntry = (what: string) =>
  z
    .string()
    .trim()
    .max(100)
    .nullable()
    .meta({ description: `One of the tenant's ${what}; null for none` });

// .strict: an unknown field (e.g. `number`, `tenantId`) is refused, never silently mass-assigned.
export const createTicketBodySchema = z
  .strictObject({
    title: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .optional()
      .meta({ description: 'Required unless the template has one' }),
    description: z
      .string()
      .max(100_000)
      .optional()
      .meta({ description: 'HTML (sanitized by the service) or plain text' }),
    priority: z
      .enum(TICKET_PRIORITIES)
      .optional()
      .meta({ description: "The template's, else medium, when absent" }),
    source: z
      .enum(TICKET_SOURCES)
      .optional()
      .meta({ description: 'agent for users, api for API keys when absent' }),
    requester: z.strictObject({ email: emailSchema, name: displayNameSchema.optional() }).optional().meta({
      description:
        'Who raised it: found or created as a contact (joined to the picked client, else to the client of its domain). Absent with contactId; the calling agent when both are absent (required for API keys)',
    }),
    contactId: id.optional().meta({ description: 'The requester as an existing contact' }),
    clientId: id.optional().meta({
      description:
        "The client the ticket is for (404 if the tenant has none such); absent: the requester's client. The requester must be a contact of this client or of none (else 400)",
    }),
    type: listEntry('types').optional(),
    category: listEntry('categories').optional(),
    assigneeId: id.nullable().optional().meta({ description: 'An active user of the tenant; gets a to-do' }),
    teamId: id.nullable().optional(),
    tags: tagsSchema.optional(),
    cc: ccSchema.optional(),
    links: linksSchema.optional(),
    templateId: id.optional().meta({
      description: 'Pre-fills title, description, type, category, priority and tags; explicit fields win',
    }),
  })
  .meta({ id: 'CreateTicketRequest' });

export const updateTicketBodySchema = z
  .strictObject({
    status: z.enum(TICKET_STATUSES).optional().meta({
      description: 'Through the status workflow (docs/product/tickets.md); closed is left only with reopen',
    }),
    reopen: z
      .literal(true)
      .optional()
      .meta({ description: 'Reopens a closed ticket (before any status given here)' }),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    assigneeId: id.nullable().optional().meta({ description: 'null unassigns' }),
    teamId: id.nullable().optional(),
    type: listEntry('types').optional(),
    category: listEntry('categories').optional(),
    tags: tagsSchema.optional().meta({ description: 'Replaces the whole list' }),
    links: linksSchema.optional(),
    resolutionDetails: z.string().max(10_000).nullable().optional(),
    title: z.string().trim().min(1).max(300).optional(),
    cc: ccSchema.optional().meta({ description: 'Replaces the whole list' }),
    clientId: id.nullable().optional().meta({
      description:
        "Moves the ticket to this client (404 if the tenant has none such); null for none. Without contactId the ticket's contact must belong to it or to no client (else 400)",
    }),
    contactId: id.optional().meta({
      description:
        "The new requester: a contact of the ticket's client (the new one with clientId) or of none (else 400)",
    }),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UpdateTicketRequest' });

export const ticketSchema = z
  .object({
    id: z.guid(),
    number: z.number().int().meta({ description: 'Per-tenant number, shown as #1042' }),
    title: z.string(),
    description: z.string().meta({ description: 'Sanitized HTML' }),
    descriptionText: z.string().meta({ description: 'Plain-text copy of the description' }),
    status: z.enum(TICKET_STATUSES).or(z.string()),
    priority: z.enum(TICKET_PRIORITIES).or(z.string()),
    type: z.string().nullable(),
    category: z.string().nullable(),
    source: z.enum(TICKET_SOURCES).or(z.string()),
    raisedBy: z.string().meta({ description: 'E-mail of the requester' }),
    requester: z.object({ email: z.string(), name: z.string().nullable() }).nullable(),
    clientId: z.guid().nullable(),
    contactId: z.guid().nullable(),
    assigneeId: z.guid().nullable(),
    teamId: z.guid().nullable(),
    tags: z.array(z.string()),
    cc: z.array(z.string()),
    links: z.object({ project: z.string().nullable(), lead: z.string().nullable() }),
    templateId: z.guid().nullable(),
    openedAt: isoDateTime().nullable(),
    firstRespondedAt: isoDateTime().nullable(),
    resolvedAt: isoDateTime().nullable(),
    resolutionDetails: z.string().nullable(),
    closedAt: isoDateTime().nullable(),
    lastCustomerReplyAt: isoDateTime().nullable(),
    lastAgentReplyAt: isoDateTime().nullable(),
    sla: ticketSlaSchema.nullable().meta({
      description: 'SLA state (docs/product/sla.md); null until the SLA service has reported on the ticket',
    }),
    timeSpentMinutes: z.number().int(),
    mergedIntoId: z.guid().nullable(),
    followUpOfId: z.guid().nullable(),
    rating: z
      .object({ score: z.number().int(), comment: z.string().nullable(), ratedAt: isoDateTime().nullable() })
      .nullable(),
    createdBy: z.object({ type: z.enum(ACTOR_KINDS), id: z.string().nullable() }).nullable(),
    updatedAt: isoDateTime().nullable(),
    version: z.number().int().meta({ description: 'Optimistic-concurrency version (If-Match on PATCH)' }),
  })
  .meta({ id: 'Ticket' });

export const ticketPageSchema = pageOf(ticketSchema, 'TicketPage');

const idList = (name: string, extra: readonly string[] = []) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw : [raw])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim().toLowerCase())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(z.union([z.guid(), ...extra.map((e) => z.literal(e))])).max(100))
    .optional()
    .meta({
      description: `Only these ${name} (comma list or repeated)${extra.length ? `; also ${extra.join(', ')}` : ''}`,
    });

const textList = (name: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw : [raw])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(z.string().max(100)).max(50))
    .optional()
    .meta({ description: `Only these ${name} (comma list or repeated)` });

export const listTicketsQuerySchema = z.strictObject({
  ...pageQueryShape,
  status: listFilter(TICKET_STATUSES, 'statuses'),
  priority: listFilter(TICKET_PRIORITIES, 'priorities'),
  clientId: idList('clients'),
  assigneeId: idList('assignees', ['me', 'none']),
  teamId: idList('teams'),
  contactId: z.guid().optional().meta({ description: "Only this contact's tickets" }),
  category: textList('categories'),
  type: textList('types'),
  tag: textList('tags (a ticket must carry all of them)'),
  q: z.string().trim().min(1).max(500).optional().meta({
    description:
      'Full text over title, description and thread ("quoted phrases", -exclusions, or); #1042 finds that ticket',
  }),
  slaState: z
    .enum(['breached', 'warning'])
    .optional()
    .meta({ description: 'Only tickets whose SLA is breached, or warned and not yet breached' }),
  sort: z.enum(TICKET_SORTS).optional().meta({
    description:
      '-openedAt (default), relevance (default with q), openedAt, -updatedAt, updatedAt, -priority, priority, -number, number',
  }),
});

export const messageKindSchema = z.enum(['public_reply', 'internal_note']);

export const addMessageBodySchema = z
  .strictObject({
    kind: messageKindSchema.meta({
      description: 'public_reply (visible to the customer, e-mailed) or internal_note',
    }),
    bodyHtml: z.string().max(500_000).optional().meta({ description: 'HTML (sanitized); or give bodyText' }),
    bodyText: z.string().max(500_000).optional(),
    attachmentIds: z
      .array(id)
      .max(100)
      .optional()
      .meta({ description: 'Files uploaded with POST /tickets/:id/attachments' }),
    status: z
      .enum(TICKET_STATUSES)
      .optional()
      .meta({ description: 'Status to set with a public reply (default waiting_on_customer)' }),
    resolutionDetails: z.string().max(10_000).optional().meta({ description: 'With status resolved' }),
  })
  .meta({ id: 'AddMessageRequest' });

export const attachmentSchema = z
  .object({
    id: z.guid(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    contentId: z.string().nullable().meta({ description: 'Content-ID of an inline image (cid:)' }),
    inline: z.boolean(),
    url: z.string().meta({ description: 'Download URL; checks that the caller may see the ticket' }),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Attachment' });

export const messageSchema = z
  .object({
    id: z.guid(),
    ticketId: z.guid(),
    kind: z.string().meta({ description: 'email_in, email_out, public_reply, internal_note or system' }),
    author: z.object({
      type: z.enum(ACTOR_KINDS).nullable(),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    bodyHtml: z.string(),
    bodyText: z.string(),
    attachments: z.array(attachmentSchema),
    mentions: z.array(z.string()).meta({ description: 'Ids of the users mentioned with @handle' }),
    email: z
      .object({
        messageId: z.string().nullable(),
        inReplyTo: z.string().nullable(),
        references: z.array(z.string()),
        from: z.string().nullable(),
        to: z.array(z.string()),
        cc: z.array(z.string()),
        subject: z.string().nullable(),
        mailboxId: z.string().nullable(),
        hasRaw: z.boolean().meta({ description: 'GET /messages/:id/raw answers the raw source' }),
      })
      .nullable(),
    threadingRule: z
      .string()
      .nullable()
      .meta({ description: 'For email_in: which threading rule attached it' }),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Message' });

export const messagePageSchema = pageOf(messageSchema, 'MessagePage');

export const addMessageResponseSchema = z
  .object({
    message: messageSchema,
    ticket: ticketSchema,
    outcome: z
      .string()
      .meta({ description: 'appended, redirected (merged ticket), follow_up (closed ticket) or duplicate' }),
  })
  .meta({ id: 'AddMessageResponse' });

export const historyEntrySchema = z
  .object({
    id: z.guid(),
    actor: z.object({ type: z.enum(ACTOR_KINDS).nullable(), id: z.string().nullable() }),
    cause: z.string().meta({ description: 'update, message, merge, confirm, rating, ...' }),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    at: isoDateTime().nullable(),
  })
  .meta({ id: 'HistoryEntry' });

export const historyPageSchema = pageOf(historyEntrySchema, 'HistoryPage');

export const mergeBodySchema = z
  .strictObject({ intoTicketId: id.meta({ description: 'The ticket that stays' }) })
  .meta({ id: 'MergeTicketRequest' });

export const mergeResponseSchema = z
  .object({ ticket: ticketSchema, into: ticketSchema })
  .meta({ id: 'MergeTicketResponse' });

export const todoSchema = z
  .object({
    id: z.guid(),
    ticketId: z.guid(),
    ticketNumber: z.number().int(),
    ticketTitle: z.string(),
    state: z.string().meta({ description: 'open or done' }),
    createdAt: isoDateTime().nullable(),
    doneAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Todo' });

export const todoPageSchema = pageOf(todoSchema, 'TodoPage');

export const todosQuerySchema = z.strictObject({
  ...pageQueryShape,
  state: z.enum(['open', 'done', 'all']).optional().meta({ description: 'open (default), done or all' }),
});

export const downloadQuerySchema = z.strictObject({
  inline: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .meta({ description: 'Show an image inline rather than download it (images only)' }),
});

export const binarySchema = z.any().meta({ description: 'The file' });
