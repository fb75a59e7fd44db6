import { notFound } from '@helpdesk/platform';
import type { ApiKey, ApiKeyRepository, Page, PageQuery } from '../app/ports';
import { afterPosition, keysetOrder, toPage } from './keyset-page';
import type { ApiKey as ApiKeyRow, Prisma } from './prisma/generated/client';

type Db = Prisma.TransactionClient;

export class PrismaApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async create(key: ApiKey, secretHash: string): Promise<ApiKey> {
    return toApiKey(await this.db.apiKey.create({ data: { ...key, secretHash } }));
  }

  async findById(tenantId: string, id: string): Promise<ApiKey | undefined> {
    const row = await this.db.apiKey.findFirst({ where: { tenantId, id } });
    return row ? toApiKey(row) : undefined;
  }

  async findBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    const row = await this.db.apiKey.findUnique({ where: { secretHash } });
    return row ? toApiKey(row) : undefined;
  }

  async revoke(tenantId: string, id: string, at: Date): Promise<ApiKey> {
    // Only the first revocation sets the time, also when two revocations race.
    await this.db.apiKey.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: at } });
    const key = await this.findById(tenantId, id);
    if (!key) throw notFound('API key');
    return key;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
  }

  async list(tenantId: string, page: PageQuery): Promise<Page<ApiKey>> {
    const rows = await this.db.apiKey.findMany({
      where: { tenantId, ...afterPosition(page.after) },
      orderBy: keysetOrder,
      take: page.limit + 1,
    });
    return toPage(rows, page, toApiKey);
  }
}

// The secret hash stays in the database layer.
function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
