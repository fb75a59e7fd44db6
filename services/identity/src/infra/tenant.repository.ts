import type { Tenant, TenantRepository } from '../app/ports';
import type { Prisma } from './prisma/generated/client';

type Db = Prisma.TransactionClient;

export class PrismaTenantRepository implements TenantRepository {
  constructor(private readonly db: Db) {}

  async create(tenant: Tenant): Promise<Tenant> {
    const row = await this.db.tenant.create({ data: tenant });
    return toTenant(row);
  }

  async findById(id: string): Promise<Tenant | undefined> {
    const row = await this.db.tenant.findUnique({ where: { id } });
    return row ? toTenant(row) : undefined;
  }

  async findOldestByName(name: string): Promise<Tenant | undefined> {
    const row = await this.db.tenant.findFirst({
      where: { name },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return row ? toTenant(row) : undefined;
  }

  async lock(id: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<
      Array<{ id: string }>
    >`SELECT id FROM tenants WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length > 0;
  }
}

function toTenant(row: { id: string; name: string; timezone: string; createdAt: Date }): Tenant {
  return { id: row.id, name: row.name, timezone: row.timezone, createdAt: row.createdAt };
}
