import { z } from 'zod';
import { notFound } from '@helpdesk/platform';
import type { Team, Tenant, UnitOfWork } from './ports';
import { idSchema, parseCommand, slugSchema } from './validation';

const teamSchema = z.object({ tenantId: idSchema, id: idSchema });
const tenantSchema = z.object({ id: idSchema });
const tenantBySlugSchema = z.object({ slug: slugSchema });

/** One team of a tenant; another tenant's team is NOT_FOUND. */
export class GetTeamUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: z.input<typeof teamSchema>): Promise<Team> {
    const { tenantId, id } = parseCommand(teamSchema, input);
    const team = await this.deps.uow.read.teams.findById(tenantId, id);
    if (!team) throw notFound('team');
    return team;
  }
}

/** One tenant, by id (e.g. to check that a public form names a real tenant). */
export class GetTenantUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: z.input<typeof tenantSchema>): Promise<Tenant> {
    const { id } = parseCommand(tenantSchema, input);
    const tenant = await this.deps.uow.read.tenants.findById(id);
    if (!tenant) throw notFound('tenant');
    return tenant;
  }
}

/** One tenant, by its slug (the portal's sign-in calls name the tenant so). */
export class GetTenantBySlugUseCase {
  constructor(private readonly deps: { uow: UnitOfWork }) {}

  async execute(input: z.input<typeof tenantBySlugSchema>): Promise<Tenant> {
    const { slug } = parseCommand(tenantBySlugSchema, input);
    const tenant = await this.deps.uow.read.tenants.findBySlug(slug);
    if (!tenant) throw notFound('tenant');
    return tenant;
  }
}
