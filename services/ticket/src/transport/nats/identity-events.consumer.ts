import { catalogHandler, startConsumer, type Bus, type RunningConsumer, type PgPool } from '@helpdesk/bus';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import { ApplyUserEventUseCase } from '../../app/apply-user-event.use-case';
import { PgUserViewWriter } from '../../infra/user-view.repository';

const userSchema = z.object({
  userId: z.uuid(),
  name: z.string().max(200),
  role: z.string().max(20),
  handle: z.string().min(1).max(100),
  active: z.boolean(),
});

/** Keeps the users read model (mentions, agents' names) from identity's user_created / user_updated. */
export function startIdentityEventsConsumer(options: {
  bus: Bus;
  pool: PgPool;
  logger: Logger;
}): RunningConsumer {
  return startConsumer({
    bus: options.bus,
    pool: options.pool,
    domain: 'identity',
    consumer: 'ticket',
    purpose: 'user-views',
    subjects: ['helpdesk.identity.user_created', 'helpdesk.identity.user_updated'],
    logger: options.logger,
    handler: catalogHandler(async (envelope, tx) => {
      if (
        envelope.type !== 'helpdesk.identity.user_created' &&
        envelope.type !== 'helpdesk.identity.user_updated'
      )
        return;
      const user = userSchema.parse(envelope.data);
      await new ApplyUserEventUseCase(new PgUserViewWriter(tx)).execute({
        id: user.userId,
        tenantId: envelope.tenantId,
        handle: user.handle.toLowerCase(),
        name: user.name,
        active: user.active,
        role: user.role,
      });
    }, options.logger),
  });
}
