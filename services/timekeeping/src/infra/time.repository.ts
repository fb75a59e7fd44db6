import type { ListEntriesQuery, ReportQuery, TimeReader, TimerView } from '../app/ports';
import type { EntryView } from '../domain/entry';
import type { ReportBucket } from '../domain/report';
import { defaultTimeSettings, type TimeSettings } from '../domain/settings';
import { Prisma, type PrismaClient } from './prisma/generated/client';
import { toEntryView, toTimer } from './rows';

type Db = PrismaClient | Prisma.TransactionClient;

/** Tenant-scoped reads. */
export class PrismaTimeReader implements TimeReader {
  constructor(private readonly db: Db) {}

  async findEntry(tenantId: string, id: string): Promise<EntryView | null> {
    const row = await this.db.timeEntry.findFirst({ where: { id, tenantId }, include: { ticket: true } });
    return row ? toEntryView(row) : null;
  }

  async listEntries(query: ListEntriesQuery): Promise<EntryView[]> {
    const { after } = query;
    const rows = await this.db.timeEntry.findMany({
      where: {
        AND: [
          periodWhere(query),
          query.ticketId ? { ticketId: query.ticketId } : {},
          query.userId ? { userId: query.userId } : {},
          query.clientId ? { ticket: { clientId: query.clientId } } : {},
          query.billable === undefined ? {} : { billable: query.billable },
          // (started_at, id) < (cursor): the `lte` bound lets the index scan start at the cursor
          after
            ? {
                startedAt: { lte: after.at },
                OR: [{ startedAt: { lt: after.at } }, { id: { lt: after.id } }],
              }
            : {},
        ],
      },
      include: { ticket: true },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    return rows.map(toEntryView);
  }

  async findTimer(tenantId: string, userId: string): Promise<TimerView | null> {
    const row = await this.db.runningTimer.findUnique({
      where: { tenantId_userId: { tenantId, userId } },
      include: { ticket: true },
    });
    if (!row) return null;
    return {
      ...toTimer(row),
      clientId: row.ticket.clientId,
      ticketNumber: row.ticket.number,
      ticketTitle: row.ticket.title,
    };
  }

  async reportBuckets(query: ReportQuery): Promise<ReportBucket[]> {
    // a fixed column per grouping, never caller text
    const key = query.groupBy === 'client' ? Prisma.sql`t.client_id` : Prisma.sql`e.user_id`;
    const rows = await this.db.$queryRaw<
      Array<{ key: string | null; billable: boolean; flagged: boolean; duration: number; entries: number }>
    >`
      SELECT ${key}::text AS key, e.billable, e.flagged, e.duration_minutes AS duration, count(*)::int AS entries
      FROM time_entries e
      JOIN tickets t ON t.tenant_id = e.tenant_id AND t.id = e.ticket_id
      WHERE e.tenant_id = ${query.tenantId}::uuid
        AND (${query.from ?? null}::timestamptz IS NULL OR e.started_at >= ${query.from ?? null}::timestamptz)
        AND (${query.to ?? null}::timestamptz IS NULL OR e.started_at < ${query.to ?? null}::timestamptz)
      GROUP BY 1, 2, 3, 4`;
    return rows.map((r) => ({
      key: r.key,
      billable: r.billable,
      flagged: r.flagged,
      durationMinutes: r.duration,
      entries: r.entries,
    }));
  }

  async flaggedEntries(query: ReportQuery, limit: number): Promise<{ items: EntryView[]; count: number }> {
    const where = { AND: [periodWhere(query), { flagged: true }] };
    const [rows, count] = await Promise.all([
      this.db.timeEntry.findMany({
        where,
        include: { ticket: true },
        orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
        take: limit,
      }),
      this.db.timeEntry.count({ where }),
    ]);
    return { items: rows.map(toEntryView), count };
  }

  async settings(tenantId: string): Promise<TimeSettings> {
    const row = await this.db.timeSettings.findUnique({ where: { tenantId } });
    if (!row) return defaultTimeSettings(tenantId);
    return {
      tenantId,
      rounding: { minutes: row.roundingMinutes, mode: row.roundingMode },
      version: row.version,
      updatedAt: row.updatedAt,
    };
  }
}

function periodWhere(query: { tenantId: string; from?: Date | undefined; to?: Date | undefined }) {
  return {
    tenantId: query.tenantId,
    ...(query.from || query.to
      ? {
          startedAt: {
            ...(query.from ? { gte: query.from } : {}),
            ...(query.to ? { lt: query.to } : {}),
          },
        }
      : {}),
  };
}
