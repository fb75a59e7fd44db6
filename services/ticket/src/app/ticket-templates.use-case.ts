import { checkVersion, invalidArgument, notFound, staleWrite } from '@helpdesk/platform';
import { encodeNameCursor, normalizeName } from '../domain/directory';
import { pickFromList } from '../domain/settings';
import type { TicketTemplate } from '../domain/template';
import {
  DESCRIPTION_MAX_LENGTH,
  normalizeTags,
  TITLE_MAX_LENGTH,
  type TicketPriority,
} from '../domain/ticket';
import { pageArgs, requireUuidOrNotFound, toPage } from './directory-support';
import type { Clock, HtmlSanitizer, IdGenerator, SettingsRepository, TemplateRepository } from './ports';
import { ruled } from './rule-errors';

export interface TemplateFields {
  name?: string;
  title?: string;
  /** HTML or plain text. */
  description?: string;
  type?: string | null;
  category?: string | null;
  priority?: TicketPriority | null;
  tags?: readonly string[];
}

export interface TemplateDeps {
  templates: TemplateRepository;
  settings: SettingsRepository;
  sanitizer: HtmlSanitizer;
  clock: Clock;
  ids: IdGenerator;
}

/** Ticket templates (docs/product/tickets.md "Templates"): create, read, list by name, change, delete. */
export class TicketTemplateUseCases {
  constructor(private readonly deps: TemplateDeps) {}

  async create(tenantId: string, fields: TemplateFields): Promise<TicketTemplate> {
    if (fields.name === undefined)
      throw invalidArgument('name is required', [{ path: ['name'], message: 'required' }]);
    const now = this.deps.clock.now();
    const template = await this.apply(
      tenantId,
      {
        id: this.deps.ids.newId(),
        tenantId,
        name: '',
        title: '',
        descriptionHtml: '',
        descriptionText: '',
        type: null,
        category: null,
        priority: null,
        tags: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      },
      fields,
    );
    await this.deps.templates.insert(template);
    return template;
  }

  async get(tenantId: string, id: string): Promise<TicketTemplate> {
    const template = await this.deps.templates.findById(tenantId, requireUuidOrNotFound(id, 'template'));
    if (!template) throw notFound('template');
    return template;
  }

  async list(tenantId: string, limit?: number, cursor?: string) {
    const page = pageArgs(limit, cursor);
    const rows = await this.deps.templates.list(tenantId, page.limit + 1, page.after);
    return toPage(rows, page.limit, encodeNameCursor);
  }

  async update(
    tenantId: string,
    id: string,
    fields: TemplateFields,
    expectedVersion?: number,
  ): Promise<TicketTemplate> {
    const current = await this.get(tenantId, id);
    checkVersion('the template', expectedVersion, current.version);
    const next = await this.apply(tenantId, current, fields);
    const changed = { ...next, version: current.version + 1, updatedAt: this.deps.clock.now() };
    if (!(await this.deps.templates.update(changed, current.version))) {
      throw staleWrite('the template');
    }
    return changed;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.deps.templates.delete(tenantId, requireUuidOrNotFound(id, 'template'))))
      throw notFound('template');
  }

  private async apply(
    tenantId: string,
    base: TicketTemplate,
    fields: TemplateFields,
  ): Promise<TicketTemplate> {
    const settings = await this.deps.settings.get(tenantId);
    return ruled(() => {
      const next = { ...base };
      if (fields.name !== undefined) next.name = normalizeName(fields.name);
      if (fields.title !== undefined) {
        const title = fields.title.replace(/\s+/g, ' ').trim();
        if (title.length > TITLE_MAX_LENGTH)
          throw invalidArgument(`title must be at most ${TITLE_MAX_LENGTH} characters`);
        next.title = title;
      }
      if (fields.description !== undefined) {
        if (fields.description.length > DESCRIPTION_MAX_LENGTH) {
          throw invalidArgument(`description must be at most ${DESCRIPTION_MAX_LENGTH} characters`);
        }
        const clean = this.deps.sanitizer.sanitize(fields.description);
        next.descriptionHtml = clean.html;
        next.descriptionText = clean.text;
      }
      if (fields.type !== undefined) next.type = pickFromList(settings.types, fields.type, 'type');
      if (fields.category !== undefined)
        next.category = pickFromList(settings.categories, fields.category, 'category');
      if (fields.priority !== undefined) next.priority = fields.priority;
      if (fields.tags !== undefined) next.tags = normalizeTags(fields.tags);
      return next;
    });
  }
}
