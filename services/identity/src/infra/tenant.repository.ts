import type { Tenant, TenantPatch, TenantRepository } from '../app/ports';
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

  async findBySlug(slug: string): Promise<Tenant | undefined> {
    const row = await this.db.tenant.findUnique({ where: { slug } });
    return row ? toTenant(row) : undefined;
  }

  async slugsStartingWith(base: string): Promise<string[]> {
    const rows = await this.db.tenant.findMany({
      where: { OR: [{ slug: base }, { slug: { startsWith: `${base}-` } }] },
      select: { slug: true },
    });
    return rows.map((r) => r.slug);
  }

  async slugTaken(slug: string, exceptTenantId?: string): Promise<boolean> {
    const row = await this.db.tenant.findUnique({ where: { slug }, select: { id: true } });
    return row !== null && row.id !== exceptTenantId;
  }

  async update(id: string, patch: TenantPatch): Promise<Tenant> {
    const row = await this.db.tenant.update({ where: { id }, data: patch });
    return toTenant(row);
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

function toTenant(row: {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  createdAt: Date;
}): Tenant {
  return { id: row.id, name: row.name, slug: row.slug, timezone: row.timezone, createdAt: row.createdAt };
}
