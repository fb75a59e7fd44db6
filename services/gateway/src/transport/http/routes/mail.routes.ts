import { isDomainError } from '@helpdesk/platform';
import { GatewayError } from '../../../app/errors';
import { isoOrNull } from '../../../app/rest-values';
import { toPage } from '../../../app/pagination';
import { toActor } from '../../../app/principal';
import { toCheckDto, toImapInput, toInboundDto, toMailboxDto, toSmtpInput } from '../mappers/mail.mapper';
import { defineRoute, MediaResponse, type AnyRoute } from '../route';
import { idParamsSchema, ifMatchHeadersSchema, pageQuerySchema } from '../schemas/common.schema';
import {
  bearerHeadersSchema,
  createMailboxBodySchema,
  inboundAcceptedSchema,
  inboundMailSchema,
  inboundPageSchema,
  inboundParamsSchema,
  mailboxPageSchema,
  mailboxSchema,
  mailboxTestSchema,
  mailboxWithTokenSchema,
  oauthCallbackPageSchema,
  oauthCallbackQuerySchema,
  rawMessageSchema,
  startOAuthBodySchema,
  startOAuthResponseSchema,
  updateMailboxBodySchema,
} from '../schemas/mail.schema';
import type { RouteDeps } from './route-deps';

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GatewayError('INTERNAL', `Mail service returned no ${what}`);
  return value;
}

/**
 * E-mail (docs/product/email.md): mailboxes (admin), push intake (intake token),
 * raw sources (agents), quarantine (admin).
 */
export function mailRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/mailboxes',
      operationId: 'listMailboxes',
      summary: "Lists the tenant's mailboxes (admin); secrets are never returned",
      tag: 'mail',
      access: 'admin',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of mailboxes', schema: mailboxPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.mail.listMailboxes({
            tenantId: principal.tenantId,
            page: { limit: query.limit, cursor: query.cursor ?? '' },
          }),
          toMailboxDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/mailboxes',
      operationId: 'createMailbox',
      summary: 'Creates a mailbox (admin); the answer holds its intake token, shown only this once',
      tag: 'mail',
      access: 'admin',
      body: createMailboxBodySchema,
      response: { status: 201, description: 'Created', schema: mailboxWithTokenSchema },
      handle: async ({ principal, body }) => {
        const answer = await deps.mail.createMailbox({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          name: body.name,
          address: body.address,
          ...(body.imap ? { imap: toImapInput(body.imap) } : {}),
          smtp: toSmtpInput(body.smtp),
          pollIntervalSeconds: body.pollIntervalSeconds ?? 0,
        });
        return { ...toMailboxDto(present(answer.mailbox, 'mailbox')), intakeToken: answer.intakeToken };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/mailboxes/:id',
      operationId: 'getMailbox',
      summary: 'Reads one mailbox (admin)',
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'The mailbox', schema: mailboxSchema },
      errors: [404],
      handle: async ({ principal, params }) =>
        toMailboxDto(
          present(
            (await deps.mail.getMailbox({ tenantId: principal.tenantId, id: params.id })).mailbox,
            'mailbox',
          ),
        ),
    }),
    defineRoute({
      method: 'patch',
      path: '/mailboxes/:id',
      operationId: 'updateMailbox',
      summary: 'Changes a mailbox (admin); rotateIntakeToken answers a new token once',
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateMailboxBodySchema,
      response: {
        status: 200,
        description: 'The mailbox after the change',
        schema: mailboxWithTokenSchema.partial({ intakeToken: true }),
      },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const answer = await deps.mail.updateMailbox({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
          ...(headers['if-match'] !== undefined ? { expectedVersion: headers['if-match'] } : {}),
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.address !== undefined ? { address: body.address } : {}),
          ...(body.imap ? { imap: toImapInput(body.imap) } : {}),
          ...(body.smtp ? { smtp: toSmtpInput(body.smtp) } : {}),
          ...(body.pollIntervalSeconds !== undefined
            ? { pollIntervalSeconds: body.pollIntervalSeconds }
            : {}),
          rotateIntakeToken: body.rotateIntakeToken ?? false,
        });
        const dto = toMailboxDto(present(answer.mailbox, 'mailbox'));
        return answer.intakeToken ? { ...dto, intakeToken: answer.intakeToken } : dto;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/mailboxes/:id',
      operationId: 'deleteMailbox',
      summary: 'Deletes a mailbox (admin): intake stops, mail already taken stays',
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'Deleted', schema: mailboxSchema.pick({ id: true }) },
      errors: [404],
      handle: async ({ principal, params }) => {
        await deps.mail.deleteMailbox({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
        });
        return { id: params.id };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/mailboxes/:id/test',
      operationId: 'testMailbox',
      summary: "Checks the mailbox's IMAP login and folder and its SMTP server (admin), and says what failed",
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'What worked and what failed', schema: mailboxTestSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        // connecting and logging in to two servers may take their connection timeouts (15 s each)
        const answer = await deps.mail.testMailbox(
          { tenantId: principal.tenantId, id: params.id },
          { deadlineMs: 45_000 },
        );
        return {
          ok: answer.ok,
          failedStep: toFailedStep(answer.failedStep),
          token: toCheckDto(answer.token),
          imapLogin: toCheckDto(answer.imapLogin),
          imapFolder: toCheckDto(answer.imapFolder),
          smtp: toCheckDto(answer.smtp),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/mailboxes/:id/oauth/start',
      operationId: 'startMailboxOAuth',
      summary:
        "Starts the mailbox's OAuth2 sign-in (admin): answers the provider's authorization URL to open in the admin's browser",
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      body: startOAuthBodySchema,
      response: { status: 200, description: 'Where to sign in', schema: startOAuthResponseSchema },
      errors: [404, 409],
      handle: async ({ principal, params, body }) => {
        const answer = await deps.mail.startMailboxOAuth(
          {
            tenantId: principal.tenantId,
            actor: toActor(principal),
            id: params.id,
            provider: body.provider,
            issuer: body.issuer ?? '',
            clientId: body.clientId ?? '',
            clientSecret: body.clientSecret ?? '',
            scopes: body.scopes ?? '',
            loginHint: body.loginHint ?? '',
          },
          { deadlineMs: 40_000 },
        );
        return { authorizationUrl: answer.authorizationUrl, expiresAt: isoOrNull(answer.expiresAt) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/oauth/callback',
      operationId: 'completeMailboxOAuth',
      summary:
        "Where Microsoft, Google or the generic provider send the admin back (no bearer: the sign-in's state authenticates it); shows the result",
      tag: 'mail',
      access: 'public',
      query: oauthCallbackQuerySchema,
      response: {
        status: 200,
        description: 'A small HTML page saying whether the mailbox is connected',
        schema: oauthCallbackPageSchema,
        media: ['text/html'],
        mediaOnly: true,
      },
      errors: [400, 404],
      handle: async ({ query }) => {
        const search = new URLSearchParams(query as Record<string, string>).toString();
        try {
          const answer = await deps.mail.completeMailboxOAuth({ query: search }, { deadlineMs: 40_000 });
          return oauthPage(200, 'Mailbox connected', [
            `The mailbox ${answer.mailboxName} is signed in with ${answer.provider}.`,
            'You can close this window.',
          ]);
        } catch (err) {
          // the sign-in's own failures (unknown or used state, a refused code) as a page; outages as usual
          const known = err instanceof GatewayError || isDomainError(err) ? err : null;
          if (!known || known.code === 'INTERNAL' || known.code === 'UNAVAILABLE') throw err;
          return oauthPage(known.code === 'NOT_FOUND' ? 404 : 400, 'Sign-in failed', [
            known.message,
            'Start the sign-in again from the mailbox settings.',
          ]);
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/inbound/mail/:mailboxId',
      operationId: 'pushInboundMail',
      summary:
        "Takes one raw RFC 822 message for a mailbox (an MTA or a provider's inbound webhook); Authorization: Bearer <intake token>",
      tag: 'mail',
      access: 'public',
      params: inboundParamsSchema,
      headers: bearerHeadersSchema,
      rawBody: { contentTypes: ['message/rfc822'], limit: deps.mailMaxBytes, description: 'The raw message' },
      response: {
        status: 202,
        description: 'Stored (and, unless it failed, processed); duplicate when taken before',
        schema: inboundAcceptedSchema,
      },
      errors: [401],
      handle: async ({ params, headers, rawBody }) => {
        const token = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
        if (!token)
          throw new GatewayError('UNAUTHENTICATED', 'Authorization: Bearer <mailbox intake token> required');
        if (!rawBody || rawBody.length === 0)
          throw new GatewayError('INVALID_ARGUMENT', 'The body must be the raw message');
        const answer = await deps.mail.pushRawMail(
          { mailboxId: params.mailboxId, intakeToken: token },
          rawBody,
        );
        return { mail: toInboundDto(present(answer.mail, 'mail')), duplicate: answer.duplicate };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/messages/:id/raw',
      operationId: 'getMessageRaw',
      summary: 'Downloads the raw RFC 822 source of an e-mail message of a ticket (agents)',
      tag: 'mail',
      access: 'tenant',
      params: idParamsSchema,
      response: {
        status: 200,
        description: 'The raw source',
        schema: rawMessageSchema,
        media: ['message/rfc822'],
        mediaOnly: true,
      },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { message } = await deps.tickets.getMessage({ tenantId: principal.tenantId, id: params.id });
        const rawRef = message?.email?.rawRef;
        if (!rawRef) throw new GatewayError('NOT_FOUND', 'this message has no raw source');
        const { size, content } = await deps.mail.streamRawMail({ tenantId: principal.tenantId, rawRef });
        return new MediaResponse('message/rfc822', content, `message-${params.id}.eml`, {
          headers: { 'Content-Length': String(size), 'X-Content-Type-Options': 'nosniff' },
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/mail/inbound/:id',
      operationId: 'getInboundMail',
      summary: "Reads an inbound mail's processing record (admin)",
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'The record', schema: inboundMailSchema },
      errors: [404],
      handle: async ({ principal, params }) =>
        toInboundDto(
          present(
            (await deps.mail.getInboundMail({ tenantId: principal.tenantId, id: params.id })).mail,
            'mail',
          ),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/mail/quarantine',
      operationId: 'listQuarantinedMail',
      summary: 'Lists mail that failed processing past the retry limit (admin), newest first',
      tag: 'mail',
      access: 'admin',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of quarantined mail', schema: inboundPageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.mail.listQuarantine({
            tenantId: principal.tenantId,
            page: { limit: query.limit, cursor: query.cursor ?? '' },
          }),
          toInboundDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/mail/quarantine/:id/retry',
      operationId: 'retryQuarantinedMail',
      summary: 'Runs a quarantined mail through the pipeline again (admin)',
      tag: 'mail',
      access: 'admin',
      params: idParamsSchema,
      response: { status: 200, description: 'The record after the attempt', schema: inboundMailSchema },
      errors: [404],
      handle: async ({ principal, params }) =>
        toInboundDto(
          present(
            (
              await deps.mail.retryQuarantined({
                tenantId: principal.tenantId,
                actor: toActor(principal),
                id: params.id,
              })
            ).mail,
            'mail',
          ),
        ),
    }),
  ];
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The page the provider's redirect ends on: no script, nothing from the query but our own messages. */
function oauthPage(status: number, title: string, lines: string[]): MediaResponse {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`;
  return new MediaResponse('text/html', body, undefined, {
    status,
    headers: {
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'",
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

const FAILED_STEPS = ['token', 'imap_login', 'imap_folder', 'smtp_login'] as const;
function toFailedStep(step: string): (typeof FAILED_STEPS)[number] | null {
  return (FAILED_STEPS as readonly string[]).includes(step) ? (step as (typeof FAILED_STEPS)[number]) : null;
}
