import type { templateV1, ticketSettingsV1 } from '@helpdesk/contracts';
import { emptyToNull, isoOrNull } from '../../../app/rest-values';
import type { z } from 'zod';
import type {
  createTemplateBodySchema,
  templateSchema,
  ticketSettingsSchema,
  updateTemplateBodySchema,
} from '../schemas/template.schema';

export type TemplateDto = z.input<typeof templateSchema>;

export function toTemplateDto(t: templateV1.TicketTemplate): TemplateDto {
  return {
    id: t.id,
    name: t.name,
    title: t.title,
    description: t.descriptionHtml,
    descriptionText: t.descriptionText,
    type: emptyToNull(t.type),
    category: emptyToNull(t.category),
    priority: emptyToNull(t.priority),
    tags: t.tags,
    createdAt: isoOrNull(t.createdAt),
    updatedAt: isoOrNull(t.updatedAt),
    version: t.version,
  };
}

/** The fields of a create or a change. */
export type TemplateInput =
  z.output<typeof createTemplateBodySchema> | z.output<typeof updateTemplateBodySchema>;

/** REST null → proto3 '' (none); absent stays unset. */
export function toTemplateFields(input: TemplateInput): templateV1.TemplateFields {
  const none = (v: string | null | undefined) => (v === undefined ? undefined : (v ?? ''));
  return {
    name: input.name,
    title: input.title,
    description: input.description,
    type: none(input.type),
    category: none(input.category),
    priority: none(input.priority),
    tags: input.tags ?? [],
    setTags: input.tags !== undefined,
  };
}

export type TicketSettingsDto = z.input<typeof ticketSettingsSchema>;

export function toTicketSettingsDto(s: ticketSettingsV1.TicketSettings): TicketSettingsDto {
  return {
    types: s.types,
    categories: s.categories,
    closedReplyPolicy:
      s.closedReplyPolicy === 'reopen_within_days'
        ? { reopenWithinDays: s.reopenWithinDays }
        : s.closedReplyPolicy === 'reopen'
          ? 'reopen'
          : 'follow_up',
    attachmentMaxBytes: s.attachmentMaxBytes,
    version: s.version,
  };
}
