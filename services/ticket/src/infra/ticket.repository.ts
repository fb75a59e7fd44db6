import type { ListTicketsQuery, TicketRepository, TicketWriter } from '../app/ports';
import type { Ticket } from '../domain/ticket';
import type { Prisma, PrismaClient, Ticket as TicketRow } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

/** Tenant-scoped reads of tickets. */
export class PrismaTicketRepository implements TicketRepository {
  constructor(private readonly db: Db) {}

  async findById(tenantId: string, id: string): Promise<Ticket | null> {
    const row = await this.db.ticket.findFirst({ where: { id, tenantId } });
    return row ? toDomain(row) : null;
  }

  async list(query: ListTicketsQuery): Promise<Ticket[]> {
    const { after } = query;
    const rows = await this.db.ticket.findMany({
      where: {
        tenantId: query.tenantId,
        ...(query.statuses.length > 0 ? { status: { in: query.statuses } } : {}),
        ...(query.priorities.length > 0 ? { priority: { in: query.priorities } } : {}),
        // (opened_at, id) < (cursor): the `lte` bound lets the index scan start at the cursor
        // instead of filtering every newer row of the tenant
        ...(after
          ? {
              openedAt: { lte: after.openedAt },
              OR: [{ openedAt: { lt: after.openedAt } }, { id: { lt: after.id } }],
            }
          : {}),
      },
      orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    return rows.map(toDomain);
  }
}

/** Ticket writes through a transaction client, so they commit with whatever else the transaction does. */
export class PrismaTicketWriter implements TicketWriter {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async insert(ticket: Ticket): Promise<void> {
    await this.tx.ticket.create({
      data: {
        id: ticket.id,
        tenantId: ticket.tenantId,
        number: ticket.number,
        title: ticket.title,
        descriptionHtml: ticket.descriptionHtml,
        descriptionText: ticket.descriptionText,
        status: ticket.status,
        priority: ticket.priority,
        source: ticket.source,
        raisedBy: ticket.raisedBy,
        requesterEmail: ticket.requester.email,
        requesterName: ticket.requester.name,
        createdByType: ticket.createdBy.type,
        createdById: ticket.createdBy.id,
        openedAt: ticket.openedAt,
        updatedAt: ticket.updatedAt,
        version: ticket.version,
      },
    });
  }
}

function toDomain(row: TicketRow): Ticket {
  return {
    id: row.id,
    tenantId: row.tenantId,
    number: row.number,
    title: row.title,
    descriptionHtml: row.descriptionHtml,
    descriptionText: row.descriptionText,
    status: row.status,
    priority: row.priority,
    source: row.source,
    raisedBy: row.raisedBy,
    requester: { email: row.requesterEmail, name: row.requesterName },
    createdBy: { type: row.createdByType, id: row.createdById },
    openedAt: row.openedAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}
