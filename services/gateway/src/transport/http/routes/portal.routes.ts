import { createHash } from 'node:crypto';
import { ticketV1, type directoryV1 } from '@helpdesk/contracts';
import { isDomainError } from '@helpdesk/platform';
import { throttledSignIn, throttleLogin, throttlePublicForm } from '../../../app/login-throttle';
import { toPage, toPageRequest } from '../../../app/pagination';
import { SYSTEM_ACTOR, toActor, type ContactPrincipal } from '../../../app/principal';
import { resolveTenant } from '../../../app/tenant-ref';
import { isoOrNull } from '../../../app/rest-values';
import {
  PORTAL_ATTACHMENT_URL,
  toAttachmentDto,
  toPortalMessageDto,
  toPortalTicketDto,
} from '../mappers/ticket.mapper';
import { ANY_FILE, defineRoute, type AnyRoute } from '../route';
import { idParamsSchema, pageQuerySchema } from '../schemas/common.schema';
import {
  portalContactSchema,
  portalCreateTicketBodySchema,
  portalListQuerySchema,
  portalLoginBodySchema,
  portalMagicLinkBodySchema,
  portalMagicLinkResponseSchema,
  portalMessagePageSchema,
  portalRatingBodySchema,
  portalReplyBodySchema,
  portalReplyResponseSchema,
  portalSessionSchema,
  portalTicketPageSchema,
  portalTicketSchema,
  portalVerifyBodySchema,
  publicContactBodySchema,
  publicContactResponseSchema,
  tenantRefOf,
} from '../schemas/portal.schema';
import { attachmentSchema, binarySchema, downloadQuerySchema } from '../schemas/ticket.schema';
import { downloadAnswer, uploadAttachment } from './attachment-transfer';
import type { RouteDeps } from './route-deps';
import { present } from './tickets.routes';

function toPortalContact(contact: directoryV1.Contact) {
  return { id: contact.id, name: contact.name, email: contact.email, portalAccess: contact.portalAccess };
}

/** /portal/* (docs/product/portal.md): a contact's own view of its (or its client's) tickets. */
export function portalRoutes(deps: RouteDeps): AnyRoute[] {
  const session = async (contact: directoryV1.Contact | undefined) => {
    const c = present(contact, 'contact');
    const { token, expiresAt } = await deps.authenticator.issueContactSession({
      tenantId: c.tenantId,
      contactId: c.id,
    });
    return { token, expiresAt: isoOrNull(expiresAt), contact: toPortalContact(c) };
  };
  const scope = (principal: ContactPrincipal) => ({
    tenantId: principal.tenantId,
    actor: toActor(principal),
  });
  const ticketOf = async (principal: ContactPrincipal, id: string) =>
    present(
      (await deps.tickets.getTicket(ticketV1.GetTicketRequest.fromPartial({ ...scope(principal), id })))
        .ticket,
      'ticket',
    );

  return [
    defineRoute({
      method: 'post',
      path: '/portal/auth/login',
      operationId: 'portalLogin',
      summary: 'Contact sign-in to the customer portal with e-mail and password',
      tag: 'portal',
      access: 'public',
      body: portalLoginBodySchema,
      response: { status: 200, description: 'Signed in', schema: portalSessionSchema },
      errors: [401, 404, 429],
      handle: async ({ body, ip }) => {
        const tenant = await resolveTenant(deps.identity, tenantRefOf(body));
        const { contact } = await throttledSignIn(
          deps.loginCounter,
          { email: body.email, ip },
          deps.loginThrottle,
          'portal-login',
          () =>
            deps.directory.authenticateContact({
              tenantId: tenant.id,
              email: body.email,
              password: body.password,
            }),
        );
        return session(contact);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/portal/auth/magic-link',
      operationId: 'portalSendMagicLink',
      summary:
        'E-mails a one-time sign-in link to a contact with portal access (answers the same whether or not there is one)',
      tag: 'portal',
      access: 'public',
      body: portalMagicLinkBodySchema,
      response: {
        status: 202,
        description: 'Sent if the address may sign in',
        schema: portalMagicLinkResponseSchema,
      },
      errors: [404, 429],
      handle: async ({ body, ip }) => {
        const tenant = await resolveTenant(deps.identity, tenantRefOf(body));
        await throttleLogin(
          deps.loginCounter,
          { email: body.email, ip },
          deps.loginThrottle,
          'portal-magic-link',
        );
        const link = await deps.directory
          .createPortalMagicLink({
            tenantId: tenant.id,
            email: body.email,
            ttlSeconds: deps.magicLinkTtlSeconds,
          })
          .catch((err: unknown) => {
            // no contact with portal access: nothing is sent, and the answer does not say so
            if (isDomainError(err) && (err.code === 'NOT_FOUND' || err.code === 'INVALID_ARGUMENT'))
              return null;
            throw err;
          });
        if (link?.contact && link.expiresAt) {
          // the link names the portal the contact knows: /portal/<slug>
          const url = new URL(`/portal/${encodeURIComponent(tenant.slug)}/verify`, deps.portalBaseUrl);
          url.searchParams.set('token', link.token);
          await deps.notification.sendPortalMagicLink({
            tenantId: tenant.id,
            email: link.contact.email,
            name: link.contact.name,
            linkUrl: url.toString(),
            expiresAt: link.expiresAt,
            dedupeKey: createHash('sha256').update(link.token).digest('hex'),
          });
        }
        return { sent: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/portal/auth/verify',
      operationId: 'portalVerifyMagicLink',
      summary: 'Exchanges the token of an e-mailed sign-in link (one use, short-lived) for a portal session',
      tag: 'portal',
      access: 'public',
      body: portalVerifyBodySchema,
      response: { status: 200, description: 'Signed in', schema: portalSessionSchema },
      errors: [401, 404, 429],
      handle: async ({ body, ip }) => {
        const tenant = await resolveTenant(deps.identity, tenantRefOf(body));
        // tokens are long and random: only wrong ones count, per tenant and address
        const { contact } = await throttledSignIn(
          deps.loginCounter,
          { email: `token:${tenant.id}`, ip },
          deps.loginThrottle,
          'portal-verify',
          () => deps.directory.redeemPortalMagicLink({ tenantId: tenant.id, token: body.token }),
        );
        return session(contact);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/portal/me',
      operationId: 'portalMe',
      summary: 'The signed-in contact',
      tag: 'portal',
      access: 'contact',
      response: { status: 200, description: 'The contact', schema: portalContactSchema },
      handle: async ({ principal }) =>
        toPortalContact(
          present(
            (await deps.directory.getContact({ tenantId: principal.tenantId, id: principal.contactId }))
              .contact,
            'contact',
          ),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/portal/tickets',
      operationId: 'portalListTickets',
      summary: "The contact's tickets (or all of its client's with portalAccess client), newest first",
      tag: 'portal',
      access: 'contact',
      query: portalListQuerySchema,
      response: { status: 200, description: 'A page of tickets', schema: portalTicketPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.tickets.listTickets(
            ticketV1.ListTicketsRequest.fromPartial({
              ...scope(principal),
              page: toPageRequest(query),
              status: query.status ?? [],
              q: query.q ?? '',
            }),
          ),
          toPortalTicketDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/portal/tickets',
      operationId: 'portalCreateTicket',
      summary: 'Opens a ticket as the signed-in contact',
      tag: 'portal',
      access: 'contact',
      body: portalCreateTicketBodySchema,
      response: { status: 201, description: 'Created', schema: portalTicketSchema },
      handle: async ({ principal, body }) => {
        const attachments = body.attachmentIds ?? [];
        const { ticket } = await deps.tickets.createTicket(
          ticketV1.CreateTicketRequest.fromPartial({
            ...scope(principal),
            title: body.title,
            description: body.description ?? '',
            priority: body.priority ?? '',
            source: 'portal',
            contactId: principal.contactId,
            type: body.type,
            category: body.category,
            cc: body.cc ?? [],
            // files come with the customer's first message; the description alone needs no message
            initialMessage:
              attachments.length > 0
                ? {
                    kind: 'public_reply',
                    bodyHtml: '',
                    bodyText: body.description ?? '',
                    attachmentIds: attachments,
                  }
                : undefined,
          }),
        );
        return toPortalTicketDto(present(ticket, 'ticket'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/portal/tickets/:id',
      operationId: 'portalGetTicket',
      summary: 'Reads one of the contact’s tickets',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      response: { status: 200, description: 'The ticket', schema: portalTicketSchema },
      errors: [404],
      handle: async ({ principal, params }) => toPortalTicketDto(await ticketOf(principal, params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/portal/tickets/:id/messages',
      operationId: 'portalListMessages',
      summary: 'The conversation of a ticket, oldest first (never internal notes)',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of messages', schema: portalMessagePageSchema },
      errors: [404],
      handle: async ({ principal, params, query }) =>
        toPage(
          await deps.tickets.listMessages({
            ...scope(principal),
            ticketId: params.id,
            page: toPageRequest(query),
          }),
          toPortalMessageDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/portal/tickets/:id/messages',
      operationId: 'portalReply',
      summary: 'Replies on a ticket; a reply to a resolved or waiting ticket reopens it',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      body: portalReplyBodySchema,
      response: {
        status: 201,
        description: 'The reply and the ticket it landed on',
        schema: portalReplyResponseSchema,
      },
      errors: [404],
      handle: async ({ principal, params, body }) => {
        const added = await deps.tickets.addMessage(
          ticketV1.AddMessageRequest.fromPartial({
            ...scope(principal),
            ticketId: params.id,
            message: {
              kind: 'public_reply',
              bodyHtml: body.bodyHtml ?? '',
              bodyText: body.bodyText ?? '',
              attachmentIds: body.attachmentIds ?? [],
            },
          }),
        );
        return {
          message: toPortalMessageDto(present(added.message, 'message')),
          ticket: toPortalTicketDto(present(added.ticket, 'ticket')),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/portal/tickets/:id/confirm',
      operationId: 'portalConfirmResolution',
      summary: 'Confirms the resolution of a resolved ticket: it closes',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      response: { status: 200, description: 'The ticket after the change', schema: portalTicketSchema },
      errors: [404, 409],
      handle: async ({ principal, params }) =>
        toPortalTicketDto(
          present(
            (await deps.tickets.confirmResolution({ ...scope(principal), ticketId: params.id })).ticket,
            'ticket',
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/portal/tickets/:id/rating',
      operationId: 'portalRateTicket',
      summary: 'Rates the resolution 1–5 with an optional comment',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      body: portalRatingBodySchema,
      response: { status: 200, description: 'The ticket after the change', schema: portalTicketSchema },
      errors: [404, 409],
      handle: async ({ principal, params, body }) =>
        toPortalTicketDto(
          present(
            (
              await deps.tickets.rateTicket({
                ...scope(principal),
                ticketId: params.id,
                score: body.score,
                comment: body.comment ?? '',
              })
            ).ticket,
            'ticket',
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/portal/tickets/:id/attachments',
      operationId: 'portalUploadTicketAttachment',
      summary: 'Uploads a file to a ticket (multipart/form-data, field "file"), to send with a reply',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      upload: { field: 'file' },
      response: { status: 201, description: 'The stored file', schema: attachmentSchema },
      errors: [404],
      handle: async ({ principal, params, file }) =>
        toAttachmentDto(
          await uploadAttachment(deps, principal.tenantId, toActor(principal), params.id, file!),
          PORTAL_ATTACHMENT_URL,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/portal/attachments',
      operationId: 'portalUploadAttachment',
      summary: 'Uploads a file for a new ticket (multipart/form-data, field "file")',
      tag: 'portal',
      access: 'contact',
      upload: { field: 'file' },
      response: { status: 201, description: 'The stored file', schema: attachmentSchema },
      handle: async ({ principal, file }) =>
        toAttachmentDto(
          await uploadAttachment(deps, principal.tenantId, toActor(principal), '', file!),
          PORTAL_ATTACHMENT_URL,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/portal/attachments/:id',
      operationId: 'portalDownloadAttachment',
      summary: 'Downloads a file of one of the contact’s tickets',
      tag: 'portal',
      access: 'contact',
      params: idParamsSchema,
      query: downloadQuerySchema,
      response: {
        status: 200,
        description: 'The file',
        schema: binarySchema,
        media: [ANY_FILE],
        mediaOnly: true,
      },
      errors: [404],
      handle: ({ principal, params, query }) =>
        downloadAnswer(deps, principal.tenantId, toActor(principal), params.id, query.inline),
    }),
  ];
}

/**
 * POST /public/contact (docs/product/email.md "Web form"): the web contact
 * form (no sign-in, rate-limited per address).
 */
export function publicRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/public/contact',
      operationId: 'publicContactForm',
      summary: 'Web contact form: opens a ticket (source web_form) for the sender',
      tag: 'public',
      access: 'public',
      body: publicContactBodySchema,
      response: { status: 201, description: 'The ticket was opened', schema: publicContactResponseSchema },
      errors: [404, 429],
      handle: async ({ body, ip }) => {
        await throttlePublicForm(deps.loginCounter, ip, deps.publicFormPerHour);
        const tenant = await resolveTenant(deps.identity, tenantRefOf(body));
        const { ticket } = await deps.tickets.createTicket(
          ticketV1.CreateTicketRequest.fromPartial({
            tenantId: tenant.id,
            actor: SYSTEM_ACTOR,
            title: body.subject,
            description: body.message,
            source: 'web_form',
            requester: { email: body.email, name: body.name },
          }),
        );
        return { number: present(ticket, 'ticket').number };
      },
    }),
  ];
}
