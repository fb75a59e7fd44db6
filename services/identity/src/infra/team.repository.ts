import type { Page, PageQuery, Team, TeamRepository } from '../app/ports';
import { afterPosition, keysetOrder, toPage } from './keyset-page';
import type { Prisma } from './prisma/generated/client';

type Db = Prisma.TransactionClient;

const withMembers = {
  members: { select: { userId: true }, orderBy: [{ createdAt: 'asc' as const }, { userId: 'asc' as const }] },
};

export class PrismaTeamRepository implements TeamRepository {
  constructor(private readonly db: Db) {}

  async create(team: Team): Promise<Team> {
    await this.db.team.create({
      data: { id: team.id, tenantId: team.tenantId, name: team.name, createdAt: team.createdAt },
    });
    // The composite foreign keys (tenant_id, team_id) and (tenant_id, user_id) reject members of other tenants.
    await this.db.teamMember.createMany({
      data: team.memberIds.map((userId) => ({
        tenantId: team.tenantId,
        teamId: team.id,
        userId,
        createdAt: team.createdAt,
      })),
    });
    const row = await this.db.team.findUniqueOrThrow({ where: { id: team.id }, include: withMembers });
    return toTeam(row);
  }

  async findById(tenantId: string, id: string): Promise<Team | undefined> {
    const row = await this.db.team.findFirst({ where: { tenantId, id }, include: withMembers });
    return row ? toTeam(row) : undefined;
  }

  async nameTaken(tenantId: string, name: string): Promise<boolean> {
    return (await this.db.team.count({ where: { tenantId, name } })) > 0;
  }

  async list(tenantId: string, page: PageQuery): Promise<Page<Team>> {
    const rows = await this.db.team.findMany({
      where: { tenantId, ...afterPosition(page.after) },
      orderBy: keysetOrder,
      take: page.limit + 1,
      include: withMembers,
    });
    return toPage(rows, page, toTeam);
  }
}

function toTeam(row: {
  id: string;
  tenantId: string;
  name: string;
  createdAt: Date;
  members: Array<{ userId: string }>;
}): Team {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    memberIds: row.members.map((member) => member.userId),
    createdAt: row.createdAt,
  };
}
