import type { PortalTokenStore } from '../app/ports';
import type { PrismaClient } from './prisma/generated/client';

export class PrismaPortalTokenStore implements PortalTokenStore {
  constructor(private readonly db: PrismaClient) {}

  async insert(token: {
    tokenHash: string;
    tenantId: string;
    contactId: string;
    expiresAt: Date;
    createdAt: Date;
  }): Promise<void> {
    await this.db.portalLoginToken.create({ data: token });
  }

  async redeem(tenantId: string, tokenHash: string, now: Date): Promise<string | null> {
    // one conditional update: two redemptions of one token cannot both succeed
    const { count } = await this.db.portalLoginToken.updateMany({
      where: { tokenHash, tenantId, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count === 0) return null;
    const row = await this.db.portalLoginToken.findUnique({
      where: { tokenHash },
      select: { contactId: true },
    });
    return row?.contactId ?? null;
  }
}
