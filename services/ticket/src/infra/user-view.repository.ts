import type { UserView, UserViewRepository } from '../app/ports';
import type { Prisma, PrismaClient } from './prisma/generated/client';

type Db = PrismaClient | Prisma.TransactionClient;

export class PrismaUserViewRepository implements UserViewRepository {
  constructor(private readonly db: Db) {}

  async upsert(user: UserView): Promise<void> {
    const data = {
      tenantId: user.tenantId,
      handle: user.handle,
      name: user.name,
      active: user.active,
      role: user.role,
    };
    await this.db.userView.upsert({ where: { id: user.id }, create: { id: user.id, ...data }, update: data });
  }

  async names(tenantId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.userView.findMany({
      where: { tenantId, id: { in: ids } },
      select: { id: true, name: true },
    });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

export async function activeUserIdsByHandle(db: Db, tenantId: string, handles: string[]): Promise<string[]> {
  if (handles.length === 0) return [];
  const rows = await db.userView.findMany({
    where: { tenantId, handle: { in: handles }, active: true },
    select: { id: true, handle: true },
  });
  // in the order the text mentions them
  return handles
    .map((h) => rows.find((r) => r.handle === h)?.id)
    .filter((id): id is string => id !== undefined);
}

/** The same upsert through a consumer's pg transaction (libs/bus hands handlers a pg client, inbox included). */
export class PgUserViewWriter implements Pick<UserViewRepository, 'upsert'> {
  constructor(private readonly tx: { query(text: string, values?: unknown[]): Promise<unknown> }) {}

  async upsert(user: UserView): Promise<void> {
    await this.tx.query(
      `INSERT INTO user_views (id, tenant_id, handle, name, active, role) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, handle = EXCLUDED.handle, name = EXCLUDED.name,
         active = EXCLUDED.active, role = EXCLUDED.role`,
      [user.id, user.tenantId, user.handle, user.name, user.active, user.role],
    );
  }
}
