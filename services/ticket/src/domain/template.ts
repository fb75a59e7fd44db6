// Ticket templates (docs/product/tickets.md "Templates"): named presets of title,
// description, type, category, priority and tags.
import type { TicketPriority } from './ticket';

export interface TicketTemplate {
  id: string;
  tenantId: string;
  name: string;
  title: string;
  descriptionHtml: string;
  descriptionText: string;
  type: string | null;
  category: string | null;
  priority: TicketPriority | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** What a create asks for, field by field; `undefined` means "not given", so the template's value applies. */
export interface TemplatedFields {
  title?: string;
  description?: string;
  type?: string | null;
  category?: string | null;
  priority?: TicketPriority;
  tags?: readonly string[];
}

/**
 * Pre-fills a create from a template; explicit fields win (docs/product/tickets.md "Templates"). An empty title or
 * description counts as not given, so a caller can send only what differs. The
 * description is the template's sanitized HTML.
 */
export function prefill(template: TicketTemplate | null, given: TemplatedFields): TemplatedFields {
  if (!template) return given;
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  return {
    title: blank(given.title) ? template.title : given.title,
    description: blank(given.description) ? template.descriptionHtml : given.description,
    type: given.type === undefined ? template.type : given.type,
    category: given.category === undefined ? template.category : given.category,
    priority: given.priority ?? template.priority ?? undefined,
    tags: given.tags ?? template.tags,
  };
}
