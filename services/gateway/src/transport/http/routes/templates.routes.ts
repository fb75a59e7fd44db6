import { toPage, toPageRequest } from '../../../app/pagination';
import { toActor } from '../../../app/principal';
import { toTemplateDto, toTemplateFields, toTicketSettingsDto } from '../mappers/template.mapper';
import { defineRoute, type AnyRoute } from '../route';
import { idParamsSchema, ifMatchHeadersSchema, pageQuerySchema } from '../schemas/common.schema';
import {
  createTemplateBodySchema,
  templatePageSchema,
  templateSchema,
  ticketSettingsSchema,
  updateTemplateBodySchema,
  updateTicketSettingsBodySchema,
} from '../schemas/template.schema';
import type { RouteDeps } from './route-deps';
import { present } from './tickets.routes';
import { z } from 'zod';

/**
 * /ticket-templates (docs/product/tickets.md "Templates"): presets for new tickets (any agent
 * reads and writes them, as in Zendesk macros).
 */
export function templateRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/ticket-templates',
      operationId: 'listTicketTemplates',
      summary: "Lists the tenant's ticket templates by name",
      tag: 'templates',
      access: 'tenant',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of templates', schema: templatePageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.templates.listTemplates({ tenantId: principal.tenantId, page: toPageRequest(query) }),
          toTemplateDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/ticket-templates',
      operationId: 'createTicketTemplate',
      summary: 'Creates a ticket template',
      tag: 'templates',
      access: 'tenant',
      body: createTemplateBodySchema,
      response: { status: 201, description: 'Created', schema: templateSchema },
      errors: [409],
      handle: async ({ principal, body }) => {
        const { template } = await deps.templates.createTemplate({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          fields: toTemplateFields(body),
        });
        return toTemplateDto(present(template, 'template'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/ticket-templates/:id',
      operationId: 'getTicketTemplate',
      summary: 'Reads one ticket template',
      tag: 'templates',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The template', schema: templateSchema },
      errors: [404],
      handle: async ({ principal, params }) =>
        toTemplateDto(
          present(
            (await deps.templates.getTemplate({ tenantId: principal.tenantId, id: params.id })).template,
            'template',
          ),
        ),
    }),
    defineRoute({
      method: 'patch',
      path: '/ticket-templates/:id',
      operationId: 'updateTicketTemplate',
      summary: 'Changes a ticket template',
      tag: 'templates',
      access: 'tenant',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateTemplateBodySchema,
      response: { status: 200, description: 'The template after the change', schema: templateSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { template } = await deps.templates.updateTemplate({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
          expectedVersion: headers['if-match'],
          fields: toTemplateFields(body),
        });
        return toTemplateDto(present(template, 'template'));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/ticket-templates/:id',
      operationId: 'deleteTicketTemplate',
      summary: 'Deletes a ticket template (tickets made from it keep their values)',
      tag: 'templates',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'Deleted', schema: z.object({ deleted: z.literal(true) }) },
      errors: [404],
      handle: async ({ principal, params }) => {
        await deps.templates.deleteTemplate({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
        });
        return { deleted: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/ticket-settings',
      operationId: 'getTicketSettings',
      summary: "The tenant's ticket types, categories, closed-reply policy and attachment limit",
      tag: 'templates',
      access: 'tenant',
      response: { status: 200, description: 'The settings', schema: ticketSettingsSchema },
      handle: async ({ principal }) =>
        toTicketSettingsDto(
          present(
            (await deps.ticketSettings.getTicketSettings({ tenantId: principal.tenantId })).settings,
            'settings',
          ),
        ),
    }),
    defineRoute({
      method: 'patch',
      path: '/ticket-settings',
      operationId: 'updateTicketSettings',
      summary: "Changes the tenant's ticket settings (admins)",
      tag: 'templates',
      access: 'admin',
      headers: ifMatchHeadersSchema,
      body: updateTicketSettingsBodySchema,
      response: { status: 200, description: 'The settings after the change', schema: ticketSettingsSchema },
      errors: [409],
      handle: async ({ principal, headers, body }) => {
        const policy = body.closedReplyPolicy;
        const { settings } = await deps.ticketSettings.updateTicketSettings({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          expectedVersion: headers['if-match'],
          types: body.types ? { values: body.types } : undefined,
          categories: body.categories ? { values: body.categories } : undefined,
          closedReplyPolicy:
            policy === undefined ? undefined : typeof policy === 'string' ? policy : 'reopen_within_days',
          reopenWithinDays: typeof policy === 'object' ? policy.reopenWithinDays : undefined,
          attachmentMaxBytes: body.attachmentMaxBytes,
        });
        return toTicketSettingsDto(present(settings, 'settings'));
      },
    }),
  ];
}
