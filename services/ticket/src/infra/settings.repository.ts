import type { SettingsRepository } from '../app/ports';
import { DEFAULT_TICKET_SETTINGS, type TicketSettings } from '../domain/settings';
import { closedReplyPolicySchema } from '../domain/workflow';
import type { Prisma, PrismaClient } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<TicketSettings> {
    const row = await this.db.ticketSettings.findUnique({ where: { tenantId } });
    if (!row) return DEFAULT_TICKET_SETTINGS;
    const policy = closedReplyPolicySchema.safeParse(row.closedReplyPolicy);
    return {
      types: row.types,
      categories: row.categories,
      closedReplyPolicy: policy.success ? policy.data : DEFAULT_TICKET_SETTINGS.closedReplyPolicy,
      attachmentMaxBytes: Number(row.attachmentMaxBytes),
      version: row.version,
    };
  }

  async save(
    tenantId: string,
    settings: TicketSettings,
    previousVersion: number,
    now: Date,
  ): Promise<boolean> {
    const data = {
      types: [...settings.types],
      categories: [...settings.categories],
      closedReplyPolicy: settings.closedReplyPolicy as Prisma.InputJsonValue,
      attachmentMaxBytes: BigInt(settings.attachmentMaxBytes),
      updatedAt: now,
      version: settings.version,
    };
    if (previousVersion === 0) {
      // first change: the row does not exist yet; a concurrent first change loses on the primary key
      const { count } = await this.db.ticketSettings.createMany({
        data: [{ tenantId, ...data }],
        skipDuplicates: true,
      });
      return count > 0;
    }
    const { count } = await this.db.ticketSettings.updateMany({
      where: { tenantId, version: previousVersion },
      data,
    });
    return count > 0;
  }
}
