import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { templateV1, ticketSettingsV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { TemplateFields, TicketTemplateUseCases } from '../../app/ticket-templates.use-case';
import type { TicketSettingsUseCases } from '../../app/ticket-settings.use-case';
import type { TicketSettings } from '../../domain/settings';
import type { TicketTemplate } from '../../domain/template';
import { TICKET_PRIORITIES } from '../../domain/ticket';
import { optionalActor, page, tenantId, text } from './common.schemas';

const fields = z
  .object({
    name: text(1000).optional(),
    title: text(10_000).optional(),
    description: z.string().max(200_000).optional(),
    type: text(200).optional(),
    category: text(200).optional(),
    priority: z.union([z.literal(''), z.enum(TICKET_PRIORITIES)]).optional(),
    tags: z.array(text(200)).max(200),
    setTags: z.boolean(),
  })
  .optional()
  .transform((f): TemplateFields => {
    if (!f) return {};
    const none = (v: string | undefined) => (v === undefined ? undefined : v === '' ? null : v);
    return {
      ...(f.name !== undefined ? { name: f.name } : {}),
      ...(f.title !== undefined ? { title: f.title } : {}),
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.type !== undefined ? { type: none(f.type) } : {}),
      ...(f.category !== undefined ? { category: none(f.category) } : {}),
      ...(f.priority !== undefined ? { priority: f.priority === '' ? null : f.priority } : {}),
      ...(f.setTags ? { tags: f.tags } : {}),
    };
  });

const recordId = z.string().max(100);

function toProtoTemplate(t: TicketTemplate): templateV1.TicketTemplate {
  return {
    id: t.id,
    tenantId: t.tenantId,
    name: t.name,
    title: t.title,
    descriptionHtml: t.descriptionHtml,
    descriptionText: t.descriptionText,
    type: t.type ?? '',
    category: t.category ?? '',
    priority: t.priority ?? '',
    tags: [...t.tags],
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: t.version,
  };
}

/** TemplateService: ticket templates. */
export function templateHandlers(deps: {
  templates: TicketTemplateUseCases;
  logger: Logger;
}): templateV1.TemplateServiceServer & UntypedServiceImplementation {
  const { logger, templates } = deps;
  return {
    createTemplate: unary<templateV1.CreateTemplateRequest, templateV1.CreateTemplateResponse>(
      async (request) => {
        const r = z.object({ tenantId, actor: optionalActor, fields }).parse(request);
        return { template: toProtoTemplate(await templates.create(r.tenantId, r.fields)) };
      },
      logger,
    ),
    getTemplate: unary<templateV1.GetTemplateRequest, templateV1.GetTemplateResponse>(async (request) => {
      const r = z.object({ tenantId, id: recordId }).parse(request);
      return { template: toProtoTemplate(await templates.get(r.tenantId, r.id)) };
    }, logger),
    listTemplates: unary<templateV1.ListTemplatesRequest, templateV1.ListTemplatesResponse>(
      async (request) => {
        const r = z.object({ tenantId, page }).parse(request);
        const result = await templates.list(r.tenantId, r.page.limit, r.page.cursor);
        return { items: result.items.map(toProtoTemplate), nextCursor: result.nextCursor ?? '' };
      },
      logger,
    ),
    updateTemplate: unary<templateV1.UpdateTemplateRequest, templateV1.UpdateTemplateResponse>(
      async (request) => {
        const r = z
          .object({
            tenantId,
            actor: optionalActor,
            id: recordId,
            expectedVersion: z.number().int().optional(),
            fields,
          })
          .parse(request);
        return {
          template: toProtoTemplate(await templates.update(r.tenantId, r.id, r.fields, r.expectedVersion)),
        };
      },
      logger,
    ),
    deleteTemplate: unary<templateV1.DeleteTemplateRequest, templateV1.DeleteTemplateResponse>(
      async (request) => {
        const r = z.object({ tenantId, actor: optionalActor, id: recordId }).parse(request);
        await templates.delete(r.tenantId, r.id);
        return {};
      },
      logger,
    ),
  };
}

function toProtoSettings(s: TicketSettings): ticketSettingsV1.TicketSettings {
  const policy = s.closedReplyPolicy;
  return {
    types: [...s.types],
    categories: [...s.categories],
    closedReplyPolicy: typeof policy === 'string' ? policy : 'reopen_within_days',
    reopenWithinDays: typeof policy === 'string' ? 0 : policy.reopenWithinDays,
    attachmentMaxBytes: s.attachmentMaxBytes,
    version: s.version,
  };
}

const updateSettingsSchema = z.object({
  tenantId,
  actor: optionalActor,
  expectedVersion: z.number().int().optional(),
  types: z.object({ values: z.array(text(200)).max(200) }).optional(),
  categories: z.object({ values: z.array(text(200)).max(200) }).optional(),
  closedReplyPolicy: z.enum(['follow_up', 'reopen', 'reopen_within_days']).optional(),
  reopenWithinDays: z.number().int().optional(),
  attachmentMaxBytes: z.number().int().optional(),
});

/** TicketSettingsService: a tenant's ticket settings. */
export function settingsHandlers(deps: {
  settings: TicketSettingsUseCases;
  logger: Logger;
}): ticketSettingsV1.TicketSettingsServiceServer & UntypedServiceImplementation {
  const { logger, settings } = deps;
  return {
    getTicketSettings: unary<
      ticketSettingsV1.GetTicketSettingsRequest,
      ticketSettingsV1.GetTicketSettingsResponse
    >(async (request) => {
      const r = z.object({ tenantId }).parse(request);
      return { settings: toProtoSettings(await settings.get(r.tenantId)) };
    }, logger),
    updateTicketSettings: unary<
      ticketSettingsV1.UpdateTicketSettingsRequest,
      ticketSettingsV1.UpdateTicketSettingsResponse
    >(async (request) => {
      const r = updateSettingsSchema.parse(request);
      const policy =
        r.closedReplyPolicy === 'reopen_within_days'
          ? { reopenWithinDays: r.reopenWithinDays ?? 0 }
          : r.closedReplyPolicy;
      const next = await settings.update(
        r.tenantId,
        {
          ...(r.types ? { types: r.types.values } : {}),
          ...(r.categories ? { categories: r.categories.values } : {}),
          ...(policy !== undefined ? { closedReplyPolicy: policy } : {}),
          ...(r.attachmentMaxBytes !== undefined ? { attachmentMaxBytes: r.attachmentMaxBytes } : {}),
        },
        r.expectedVersion,
      );
      return { settings: toProtoSettings(next) };
    }, logger),
  };
}
