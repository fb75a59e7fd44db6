import { enqueueCatalogEvent } from '@helpdesk/bus';
import type { EventOutbox, Repositories, TransactionScope, UnitOfWork } from '../app/ports';
import { PrismaApiKeyRepository } from './api-key.repository';
import type { Prisma, PrismaClient } from './prisma/generated/client';
import { translatePrismaError } from './prisma-errors';
import { PrismaTeamRepository } from './team.repository';
import { PrismaTenantRepository } from './tenant.repository';
import { PrismaUserRepository } from './user.repository';

function repositories(db: Prisma.TransactionClient): Repositories {
  return {
    tenants: new PrismaTenantRepository(db),
    users: new PrismaUserRepository(db),
    teams: new PrismaTeamRepository(db),
    apiKeys: new PrismaApiKeyRepository(db),
  };
}

export interface PrismaUnitOfWorkOptions {
  /** Called after a commit that wrote events (the outbox relay's `nudge`). */
  onEventsCommitted?: () => void;
}

/** Prisma interactive transactions; events go to the outbox table in the same transaction. */
export class PrismaUnitOfWork implements UnitOfWork {
  readonly read: Repositories;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: PrismaUnitOfWorkOptions = {},
  ) {
    this.read = repositories(prisma);
  }

  async run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    let enqueued = 0;
    let result: T;
    try {
      result = await this.prisma.$transaction(async (tx) => {
        const events: EventOutbox = {
          add: async (event) => {
            await enqueueCatalogEvent(tx, event.type, event.tenantId, event.data);
            enqueued += 1;
          },
        };
        return work({ ...repositories(tx), events });
      });
    } catch (err) {
      throw translatePrismaError(err);
    }
    if (enqueued > 0) this.options.onEventsCommitted?.();
    return result;
  }
}
