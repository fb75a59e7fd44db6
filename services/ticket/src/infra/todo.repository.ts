import type { TodoListQuery, TodoRepository, TodoWriter } from '../app/ports';
import type { Todo } from '../domain/todo';
import { Prisma, type PrismaClient } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaTodoRepository implements TodoRepository {
  constructor(private readonly db: Db) {}

  async list(query: TodoListQuery): Promise<Todo[]> {
    const after = query.after
      ? Prisma.sql`AND (d.created_at < ${query.after.createdAt}::timestamptz OR (d.created_at = ${query.after.createdAt}::timestamptz AND d.id < ${query.after.id}::uuid))`
      : Prisma.empty;
    const rows = await this.db.$queryRaw<
      Array<{
        id: string;
        user_id: string;
        ticket_id: string;
        state: 'open' | 'done';
        created_at: Date;
        done_at: Date | null;
        number: number;
        title: string;
      }>
    >`
      SELECT d.id, d.user_id, d.ticket_id, d.state::text AS state, d.created_at, d.done_at, t.number, t.title
      FROM todos d JOIN tickets t ON t.id = d.ticket_id AND t.tenant_id = d.tenant_id
      WHERE d.tenant_id = ${query.tenantId}::uuid AND d.user_id = ${query.userId}::uuid
        AND d.state::text = ANY(ARRAY[${Prisma.join(query.states)}]::text[]) ${after}
      ORDER BY d.created_at DESC, d.id DESC LIMIT ${query.limit}`;
    return rows.map((r) => ({
      id: r.id,
      tenantId: query.tenantId,
      userId: r.user_id,
      ticketId: r.ticket_id,
      ticketNumber: r.number,
      ticketTitle: r.title,
      state: r.state,
      createdAt: r.created_at,
      doneAt: r.done_at,
    }));
  }
}

export class PrismaTodoWriter implements TodoWriter {
  constructor(private readonly tx: Prisma.TransactionClient) {}

  async open(tenantId: string, ticketId: string, userId: string, id: string, now: Date): Promise<void> {
    // the ticket row is locked by the caller, so "none open yet" cannot change under us
    const open = await this.tx.todo.count({ where: { tenantId, ticketId, userId, state: 'open' } });
    if (open > 0) return;
    await this.tx.todo.create({ data: { id, tenantId, ticketId, userId, state: 'open', createdAt: now } });
  }

  async done(tenantId: string, ticketId: string, now: Date, userId?: string): Promise<void> {
    await this.tx.todo.updateMany({
      where: { tenantId, ticketId, state: 'open', ...(userId ? { userId } : {}) },
      data: { state: 'done', doneAt: now },
    });
  }
}
