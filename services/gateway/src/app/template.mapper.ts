import type { templateV1, ticketSettingsV1 } from '@helpdesk/contracts';
import { emptyToNull, isoOrNull } from './rest-values';

export interface TemplateDto {
  id: string;
  name: string;
  title: string;
  description: string;
  descriptionText: string;
  type: string | null;
  category: string | null;
  priority: string | null;
  tags: string[];
  createdAt: string | null;
  updatedAt: string | null;
  version: number;
}

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

export interface TemplateInput {
  name?: string | undefined;
  title?: string | undefined;
  description?: string | undefined;
  type?: string | null | undefined;
  category?: string | null | undefined;
  priority?: string | null | undefined;
  tags?: string[] | undefined;
}

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

export interface TicketSettingsDto {
  types: string[];
  categories: string[];
  closedReplyPolicy: 'follow_up' | 'reopen' | { reopenWithinDays: number };
  attachmentMaxBytes: number;
  version: number;
}

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
