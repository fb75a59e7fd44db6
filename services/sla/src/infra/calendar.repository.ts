import type { CalendarRecord, CalendarRepository, ListQuery } from '../app/ports';
import type { BusinessCalendar } from '../domain';
import { POLICY_CHANNEL } from './policy-cache';
import type { Calendar as CalendarRow, Prisma, PrismaClient } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

/** (createdAt, id) > cursor, for creation-ordered keyset pages. */
export function afterCreated(after: ListQuery['after']) {
  return after
    ? {
        OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }],
      }
    : {};
}

export const CREATED_ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

export function calendarToDomain(row: CalendarRow): CalendarRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    timezone: row.timezone,
    // written only from a validated calendar
    hours: row.hours as unknown as BusinessCalendar['hours'],
    holidays: row.holidays,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

export function calendarData(c: CalendarRecord) {
  return {
    name: c.name,
    timezone: c.timezone,
    hours: c.hours as unknown as Prisma.InputJsonValue,
    holidays: [...c.holidays],
    updatedAt: c.updatedAt,
    version: c.version,
  };
}

/** Tells every replica's policy cache that a tenant's policies or calendars changed (on commit, in a transaction). */
export async function notifyPolicyChange(db: Db, tenantId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${POLICY_CHANNEL}, ${tenantId})`;
}

/** Tenant-scoped calendars through Prisma. */
export class PrismaCalendarRepository implements CalendarRepository {
  constructor(private readonly db: Db) {}

  async findById(tenantId: string, id: string): Promise<CalendarRecord | null> {
    const row = await this.db.calendar.findFirst({ where: { id, tenantId } });
    return row ? calendarToDomain(row) : null;
  }

  async list(query: ListQuery): Promise<CalendarRecord[]> {
    const rows = await this.db.calendar.findMany({
      where: { tenantId: query.tenantId, ...afterCreated(query.after) },
      orderBy: CREATED_ORDER,
      take: query.limit,
    });
    return rows.map(calendarToDomain);
  }

  async insert(calendar: CalendarRecord): Promise<void> {
    await this.db.calendar.create({
      data: {
        id: calendar.id,
        tenantId: calendar.tenantId,
        createdAt: calendar.createdAt,
        ...calendarData(calendar),
      },
    });
  }

  async update(calendar: CalendarRecord, previousVersion: number): Promise<boolean> {
    const { count } = await this.db.calendar.updateMany({
      where: { id: calendar.id, tenantId: calendar.tenantId, version: previousVersion },
      data: calendarData(calendar),
    });
    // other replicas drop their cached policies of this tenant (a policy carries its calendar)
    if (count > 0) await notifyPolicyChange(this.db, calendar.tenantId);
    return count > 0;
  }
}
