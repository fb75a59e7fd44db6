// The identity composition, shared by main.ts and the integration tests; the runtime starts and stops the rest.
import { identityV1 } from '@helpdesk/contracts';
import { runService, type RunningService, type RuntimeOptions } from '@helpdesk/runtime';
import { Argon2PasswordHasher } from '@helpdesk/security';
import { createIdentityUseCases, type IdentityUseCases } from './app/identity-use-cases';
import type { Clock } from './app/ports';
import type { IdentityConfig } from './config';
import { JwtTokenIssuer } from './infra/jwt-token-issuer';
import { createIdentityPrismaClient, type IdentityPrismaClient } from './infra/prisma-client';
import { PrismaUnitOfWork } from './infra/prisma-unit-of-work';
import { identityHandlers } from './transport/grpc/identity.handlers';

export type RunningIdentityService = RunningService<IdentityPrismaClient, { useCases: IdentityUseCases }>;

export const systemClock: Clock = { now: () => new Date() };

export function startIdentityService(
  config: IdentityConfig,
  options: RuntimeOptions = {},
): Promise<RunningIdentityService> {
  return runService(
    {
      name: 'identity',
      config,
      prisma: (url) => createIdentityPrismaClient(url),
      streams: ['identity'],
      async compose({ prisma, outbox, logger }) {
        const hasher = new Argon2PasswordHasher();
        await hasher.warmUp();
        const useCases = createIdentityUseCases({
          uow: new PrismaUnitOfWork(prisma, { onEventsCommitted: () => outbox.nudge() }),
          hasher,
          tokens: new JwtTokenIssuer(config.HELPDESK_JWT_SECRET, config.JWT_TTL_SECONDS, systemClock),
          clock: systemClock,
        });
        return {
          grpc: [
            {
              definition: identityV1.IdentityServiceService,
              implementation: identityHandlers(useCases, logger),
            },
          ],
          expose: { useCases },
        };
      },
    },
    options,
  );
}
