import { z } from 'zod';
import type { HistoryRepository, NewHistoryEntry, StoredHistoryEntry } from '../app/ports';
import type { Prisma, PrismaClient } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

const changesSchema = z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }));

export class PrismaHistoryRepository implements HistoryRepository {
  constructor(private readonly db: Db) {}

  async list(
    tenantId: string,
    ticketId: string,
    limit: number,
    afterSeq?: bigint,
  ): Promise<StoredHistoryEntry[]> {
    const rows = await this.db.ticketHistory.findMany({
      where: { tenantId, ticketId, ...(afterSeq !== undefined ? { seq: { gt: afterSeq } } : {}) },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id,
      ticketId: row.ticketId,
      actor: { type: row.actorType, id: row.actorId },
      cause: row.cause,
      changes: changesSchema
        .parse(row.changes)
        .map((c) => ({ field: c.field, from: c.from ?? null, to: c.to ?? null })),
      at: row.at,
      seq: row.seq,
    }));
  }
}

export async function appendHistory(tx: Prisma.TransactionClient, entry: NewHistoryEntry): Promise<void> {
  await tx.ticketHistory.create({
    data: {
      id: entry.id,
      tenantId: entry.tenantId,
      ticketId: entry.ticketId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      cause: entry.cause,
      changes: entry.changes as unknown as Prisma.InputJsonValue,
      at: entry.at,
    },
  });
}
