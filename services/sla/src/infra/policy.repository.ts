import type { CalendarRecord, ListQuery, PolicyRepository, TenantDefaultsWriter } from '../app/ports';
import type { PausableStatus, Policy, PolicyMatch, PolicyTargets } from '../domain';
import {
  CREATED_ORDER,
  afterCreated,
  calendarData,
  calendarToDomain,
  notifyPolicyChange,
} from './calendar.repository';
import type { Prisma, PrismaClient, Policy as PolicyRow } from './prisma/generated/client';

function policyToDomain(row: PolicyRow): Policy {
  // written only from validated settings
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    calendarId: row.calendarId,
    targets: row.targets as unknown as PolicyTargets,
    pauseStatuses: row.pauseStatuses as PausableStatus[],
    warnAtPercent: row.warnAtPercent,
    match: row.match as unknown as PolicyMatch,
    isDefault: row.isDefault,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

function policyData(p: Policy) {
  return {
    name: p.name,
    calendarId: p.calendarId,
    targets: p.targets as unknown as Prisma.InputJsonValue,
    pauseStatuses: [...p.pauseStatuses],
    warnAtPercent: p.warnAtPercent,
    match: p.match as unknown as Prisma.InputJsonValue,
    isDefault: p.isDefault,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

// Serializes the writes of one tenant's policies, so that two concurrent "make this the default" cannot both win;
// on commit, every replica's policy cache hears of the change.
async function lockTenant(tx: Prisma.TransactionClient, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${tenantId}, 5))`;
  await notifyPolicyChange(tx, tenantId);
}

async function clearOtherDefault(tx: Prisma.TransactionClient, policy: Policy): Promise<void> {
  if (!policy.isDefault) return;
  await tx.policy.updateMany({
    where: { tenantId: policy.tenantId, isDefault: true, id: { not: policy.id } },
    data: { isDefault: false, updatedAt: policy.updatedAt, version: { increment: 1 } },
  });
}

/** Tenant-scoped policies through Prisma; also writes a new tenant's defaults. */
export class PrismaPolicyRepository implements PolicyRepository, TenantDefaultsWriter {
  constructor(private readonly prisma: PrismaClient) {}

  async findById(tenantId: string, id: string): Promise<Policy | null> {
    const row = await this.prisma.policy.findFirst({ where: { id, tenantId } });
    return row ? policyToDomain(row) : null;
  }

  async list(query: ListQuery): Promise<Policy[]> {
    const rows = await this.prisma.policy.findMany({
      where: { tenantId: query.tenantId, ...afterCreated(query.after) },
      orderBy: CREATED_ORDER,
      take: query.limit,
    });
    return rows.map(policyToDomain);
  }

  async contexts(tenantId: string): Promise<{ policies: Policy[]; calendars: Map<string, CalendarRecord> }> {
    const [policies, calendars] = await Promise.all([
      this.prisma.policy.findMany({ where: { tenantId }, orderBy: CREATED_ORDER }),
      this.prisma.calendar.findMany({ where: { tenantId, policies: { some: {} } } }),
    ]);
    return {
      policies: policies.map(policyToDomain),
      calendars: new Map(calendars.map((c) => [c.id, calendarToDomain(c)])),
    };
  }

  async insert(policy: Policy): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await lockTenant(tx, policy.tenantId);
      await clearOtherDefault(tx, policy);
      await tx.policy.create({
        data: {
          id: policy.id,
          tenantId: policy.tenantId,
          createdAt: policy.createdAt,
          ...policyData(policy),
        },
      });
    });
  }

  async update(policy: Policy, previousVersion: number): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await lockTenant(tx, policy.tenantId);
      const { count } = await tx.policy.updateMany({
        where: { id: policy.id, tenantId: policy.tenantId, version: previousVersion },
        data: policyData(policy),
      });
      if (count === 0) return false;
      await clearOtherDefault(tx, policy);
      return true;
    });
  }

  async seed(
    tenant: { tenantId: string; timezone: string },
    calendar: CalendarRecord,
    policy: Policy,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await lockTenant(tx, tenant.tenantId);
      const { count } = await tx.tenant.createMany({
        data: [{ id: tenant.tenantId, timezone: tenant.timezone, seededAt: calendar.createdAt }],
        skipDuplicates: true,
      });
      if (count === 0) return false;
      await tx.calendar.create({
        data: {
          id: calendar.id,
          tenantId: calendar.tenantId,
          createdAt: calendar.createdAt,
          ...calendarData(calendar),
        },
      });
      // an admin may have made a default before the event arrived: theirs stays the default
      const hasDefault =
        (await tx.policy.count({ where: { tenantId: tenant.tenantId, isDefault: true } })) > 0;
      const seeded = { ...policy, isDefault: !hasDefault };
      await tx.policy.create({
        data: {
          id: seeded.id,
          tenantId: seeded.tenantId,
          createdAt: seeded.createdAt,
          ...policyData(seeded),
        },
      });
      return true;
    });
  }
}
