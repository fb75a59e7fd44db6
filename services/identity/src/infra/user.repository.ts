import type { Page, PageQuery, User, UserPatch, UserRepository, UserWithPassword } from '../app/ports';
import { afterPosition, keysetOrder, toPage } from './keyset-page';
import type { Prisma, User as UserRow } from './prisma/generated/client';

type Db = Prisma.TransactionClient;

export class PrismaUserRepository implements UserRepository {
  constructor(private readonly db: Db) {}

  async create(user: UserWithPassword): Promise<User> {
    return toUser(await this.db.user.create({ data: user }));
  }

  async findById(tenantId: string, id: string): Promise<User | undefined> {
    const row = await this.db.user.findFirst({ where: { tenantId, id } });
    return row ? toUser(row) : undefined;
  }

  async findByEmailForSignIn(email: string): Promise<UserWithPassword | undefined> {
    const row = await this.db.user.findUnique({ where: { email } });
    return row ? { ...toUser(row), passwordHash: row.passwordHash } : undefined;
  }

  async emailExists(email: string): Promise<boolean> {
    return (await this.db.user.count({ where: { email } })) > 0;
  }

  async handlesStartingWith(tenantId: string, base: string): Promise<string[]> {
    const rows = await this.db.user.findMany({
      where: { tenantId, handle: { startsWith: base } },
      select: { handle: true },
    });
    return rows.map((row) => row.handle);
  }

  async handleTaken(tenantId: string, handle: string, exceptUserId?: string): Promise<boolean> {
    const where = exceptUserId ? { tenantId, handle, NOT: { id: exceptUserId } } : { tenantId, handle };
    return (await this.db.user.count({ where })) > 0;
  }

  async update(tenantId: string, id: string, patch: UserPatch): Promise<User> {
    return toUser(await this.db.user.update({ where: { id, tenantId }, data: patch }));
  }

  async countActiveAdmins(tenantId: string): Promise<number> {
    return this.db.user.count({ where: { tenantId, role: 'admin', active: true } });
  }

  async existingIds(tenantId: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.user.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true } });
    return rows.map((row) => row.id);
  }

  async list(tenantId: string, page: PageQuery): Promise<Page<User>> {
    const rows = await this.db.user.findMany({
      where: { tenantId, ...afterPosition(page.after) },
      orderBy: keysetOrder,
      take: page.limit + 1,
    });
    return toPage(rows, page, toUser);
  }
}

// Never lets the password hash leave the repository unless asked for by sign-in.
function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    name: row.name,
    role: row.role,
    handle: row.handle,
    timezone: row.timezone,
    active: row.active,
    createdAt: row.createdAt,
  };
}
