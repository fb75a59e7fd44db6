import { z } from 'zod';
import { PORTAL_ACCESS_LEVELS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../../app/rest-values';
import { attachmentSchema, ticketSchema } from './ticket.schema';
import {
  displayNameSchema,
  emailSchema,
  isoDateTime,
  listFilter,
  pageOf,
  pageQueryShape,
} from './common.schema';

// `tenant` names the MSP by slug or id (docs/product/portal.md); `tenantId`, the field before slugs, is still taken.
const tenantShape = {
  tenant: z
    .string()
    .trim()
    .min(1)
    .max(63)
    .optional()
    .meta({ description: 'The MSP (tenant) whose portal this is: its slug or its id' }),
  tenantId: z
    .guid()
    .optional()
    .meta({ description: 'Deprecated: the tenant id; give `tenant` instead', deprecated: true }),
};
type TenantNamed = { tenant?: string; tenantId?: string };
const namesTenant: [(body: TenantNamed) => boolean, { message: string; path: string[] }] = [
  (body) => body.tenant !== undefined || body.tenantId !== undefined,
  { message: 'is required (the slug or the id of the tenant)', path: ['tenant'] },
];

/** The tenant reference a public body gives: `tenant`, else the deprecated `tenantId`. */
export const tenantRefOf = (body: TenantNamed): string => (body.tenant ?? body.tenantId)!;

export const portalLoginBodySchema = z
  .strictObject({ ...tenantShape, email: emailSchema, password: z.string().min(1).max(256) })
  .refine(...namesTenant)
  .meta({ id: 'PortalLoginRequest' });

export const portalVerifyBodySchema = z
  .strictObject({
    ...tenantShape,
    token: z.string().min(20).max(200).meta({ description: 'The token of the sign-in link' }),
  })
  .refine(...namesTenant)
  .meta({ id: 'PortalVerifyRequest' });

export const portalMagicLinkBodySchema = z
  .strictObject({ ...tenantShape, email: z.email().max(320).meta({ description: "The contact's address" }) })
  .refine(...namesTenant)
  .meta({ id: 'PortalMagicLinkRequest' });

export const portalMagicLinkResponseSchema = z
  .object({
    sent: z
      .literal(true)
      .meta({ description: 'Always true: whether the address has portal access is not told' }),
  })
  .meta({ id: 'PortalMagicLinkAccepted' });

export const portalContactSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    email: z.string(),
    portalAccess: z.enum(PORTAL_ACCESS_LEVELS).or(z.string()),
  })
  .meta({ id: 'PortalContact' });

export const portalSessionSchema = z
  .object({ token: z.string(), expiresAt: isoDateTime().nullable(), contact: portalContactSchema })
  .meta({ id: 'PortalSession' });

export const portalTicketSchema = z
  .object({
    id: z.guid(),
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    descriptionText: z.string(),
    status: z.enum(TICKET_STATUSES).or(z.string()),
    priority: z.enum(TICKET_PRIORITIES).or(z.string()),
    type: z.string().nullable(),
    category: z.string().nullable(),
    requester: z.object({ email: z.string(), name: z.string().nullable() }).nullable(),
    cc: z.array(z.string()),
    openedAt: isoDateTime().nullable(),
    resolvedAt: isoDateTime().nullable(),
    resolutionDetails: z.string().nullable(),
    closedAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
    followUpOfId: z.guid().nullable(),
    rating: ticketSchema.shape.rating,
  })
  .meta({ id: 'PortalTicket' });

export const portalTicketPageSchema = pageOf(portalTicketSchema, 'PortalTicketPage');

export const portalListQuerySchema = z.strictObject({
  ...pageQueryShape,
  status: listFilter(TICKET_STATUSES, 'statuses'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: 'Full text over title, description and thread' }),
});

const attachmentIds = z.array(z.guid()).max(100).optional().meta({ description: 'Files uploaded first' });

export const portalCreateTicketBodySchema = z
  .strictObject({
    title: z.string().trim().min(1).max(300),
    description: z.string().max(100_000).optional().meta({ description: 'HTML (sanitized) or plain text' }),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    type: z.string().trim().max(100).optional(),
    category: z.string().trim().max(100).optional(),
    cc: z.array(emailSchema).max(50).optional(),
    attachmentIds,
  })
  .meta({ id: 'PortalCreateTicketRequest' });

export const portalMessageSchema = z
  .object({
    id: z.guid(),
    kind: z.string().meta({ description: 'public_reply, email or system' }),
    author: z.object({ type: z.enum(['agent', 'customer', 'system']), name: z.string().nullable() }),
    bodyHtml: z.string(),
    bodyText: z.string(),
    attachments: z.array(attachmentSchema),
    createdAt: isoDateTime().nullable(),
  })
  .meta({ id: 'PortalMessage' });

export const portalMessagePageSchema = pageOf(portalMessageSchema, 'PortalMessagePage');

export const portalReplyBodySchema = z
  .strictObject({
    bodyHtml: z.string().max(500_000).optional(),
    bodyText: z.string().max(500_000).optional(),
    attachmentIds,
  })
  .meta({ id: 'PortalReplyRequest' });

export const portalReplyResponseSchema = z
  .object({ message: portalMessageSchema, ticket: portalTicketSchema })
  .meta({ id: 'PortalReplyResponse' });

export const portalRatingBodySchema = z
  .strictObject({
    score: z.number().int().min(1).max(5),
    comment: z.string().max(2_000).optional(),
  })
  .meta({ id: 'PortalRatingRequest' });

export const publicContactBodySchema = z
  .strictObject({
    ...tenantShape,
    name: displayNameSchema,
    email: emailSchema,
    subject: z.string().trim().min(1).max(300),
    message: z.string().trim().min(1).max(20_000).meta({ description: 'Plain text' }),
  })
  .refine(...namesTenant)
  .meta({ id: 'PublicContactRequest' });

export const publicContactResponseSchema = z
  .object({ number: z.number().int().meta({ description: 'The ticket number to quote, e.g. 1042 (#1042)' }) })
  .meta({ id: 'PublicContactResponse' });
