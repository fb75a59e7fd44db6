import type { TemplateRepository } from '../app/ports';
import { sortKey, type NameCursor } from '../domain/directory';
import type { TicketTemplate } from '../domain/template';
import type { Prisma, PrismaClient, TicketTemplate as TemplateRow } from './prisma/generated/client';
import { translated } from './prisma-errors';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaTemplateRepository implements TemplateRepository {
  constructor(private readonly db: Db) {}

  async findById(tenantId: string, id: string): Promise<TicketTemplate | null> {
    const row = await this.db.ticketTemplate.findFirst({ where: { tenantId, id } });
    return row ? toDomain(row) : null;
  }

  async list(tenantId: string, limit: number, after?: NameCursor): Promise<TicketTemplate[]> {
    const rows = await this.db.ticketTemplate.findMany({
      where: {
        tenantId,
        ...(after
          ? { OR: [{ sortName: { gt: after.name } }, { sortName: after.name, id: { gt: after.id } }] }
          : {}),
      },
      orderBy: [{ sortName: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toDomain);
  }

  async insert(template: TicketTemplate): Promise<void> {
    await translated(() => this.db.ticketTemplate.create({ data: toRow(template) }));
  }

  async update(template: TicketTemplate, previousVersion: number): Promise<boolean> {
    const { id: _id, tenantId: _tenant, createdAt: _created, ...data } = toRow(template);
    const { count } = await translated(() =>
      this.db.ticketTemplate.updateMany({
        where: { id: template.id, tenantId: template.tenantId, version: previousVersion },
        data,
      }),
    );
    return count > 0;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.db.ticketTemplate.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

function toRow(t: TicketTemplate) {
  return {
    id: t.id,
    tenantId: t.tenantId,
    name: t.name,
    sortName: sortKey(t.name),
    title: t.title,
    descriptionHtml: t.descriptionHtml,
    descriptionText: t.descriptionText,
    type: t.type,
    category: t.category,
    priority: t.priority,
    tags: t.tags,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: t.version,
  };
}

function toDomain(row: TemplateRow): TicketTemplate {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    title: row.title,
    descriptionHtml: row.descriptionHtml,
    descriptionText: row.descriptionText,
    type: row.type,
    category: row.category,
    priority: row.priority,
    tags: row.tags ?? [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}
