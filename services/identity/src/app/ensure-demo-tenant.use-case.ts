import { normalizeEmail } from '../domain/email';
import type { CreateTenantUseCase } from './create-tenant.use-case';
import type { CreateUserUseCase } from './create-user.use-case';
import type { UnitOfWork } from './ports';

export const DEMO_TENANT_NAME = 'Demo MSP';
export const DEMO_ADMIN_NAME = 'Demo Admin';
/** The demo portal is /portal/demo (unless another tenant took the slug first). */
export const DEMO_TENANT_SLUG = 'demo';

export interface EnsureDemoTenantCommand {
  timezone: string;
  adminEmail: string;
  adminPassword: string;
}

export interface EnsureDemoTenantResult {
  tenantId: string;
  /** The tenant's slug: its portal is /portal/<slug>. */
  slug: string;
  adminEmail: string;
  /** False when the admin already existed and nothing was written. */
  created: boolean;
}

/** Makes sure the demo tenant and its admin exist; running it again changes nothing. */
export class EnsureDemoTenantUseCase {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      createTenant: CreateTenantUseCase;
      createUser: CreateUserUseCase;
    },
  ) {}

  async execute(command: EnsureDemoTenantCommand): Promise<EnsureDemoTenantResult> {
    const adminEmail = normalizeEmail(command.adminEmail);
    const existing = await this.deps.uow.read.users.findByEmailForSignIn(adminEmail);
    // An existing admin is left exactly as it is (its password may have been changed on purpose).
    if (existing) {
      const tenant = await this.deps.uow.read.tenants.findById(existing.tenantId);
      return { tenantId: existing.tenantId, slug: tenant?.slug ?? '', adminEmail, created: false };
    }

    const tenant = await this.deps.uow.read.tenants.findOldestByName(DEMO_TENANT_NAME);
    if (tenant) {
      await this.deps.createUser.execute({
        tenantId: tenant.id,
        email: adminEmail,
        name: DEMO_ADMIN_NAME,
        role: 'admin',
        password: command.adminPassword,
      });
      return { tenantId: tenant.id, slug: tenant.slug, adminEmail, created: true };
    }
    const slugFree = !(await this.deps.uow.read.tenants.slugTaken(DEMO_TENANT_SLUG));
    const { tenant: created } = await this.deps.createTenant.execute({
      name: DEMO_TENANT_NAME,
      slug: slugFree ? DEMO_TENANT_SLUG : undefined,
      timezone: command.timezone,
      admin: { email: adminEmail, name: DEMO_ADMIN_NAME, password: command.adminPassword },
    });
    return { tenantId: created.id, slug: created.slug, adminEmail, created: true };
  }
}
