// The identity composition, shared by main.ts and the integration tests:
// prisma client → bus + outbox relay → use cases → gRPC server → health server.
import { connectBus, OutboxRelay, type Bus } from '@helpdesk/bus';
import { identityV1 } from '@helpdesk/contracts';
import { startGrpcServer } from '@helpdesk/grpc';
import { grpcServerLimits, startHealthServer, type Logger, type Shutdown } from '@helpdesk/platform';
import { createIdentityUseCases, type IdentityUseCases } from './app/identity-use-cases';
import type { Clock } from './app/ports';
import type { IdentityConfig } from './config';
import { Argon2PasswordHasher } from '@helpdesk/security';
import { JwtTokenIssuer } from './infra/jwt-token-issuer';
import { createIdentityPrismaClient, type IdentityPrismaClient } from './infra/prisma-client';
import { PrismaUnitOfWork } from './infra/prisma-unit-of-work';
import { identityHandlers } from './transport/grpc/identity.handlers';

export interface RunningIdentityService {
  grpcPort: number;
  healthPort: number;
  prisma: IdentityPrismaClient;
  bus: Bus;
  relay: OutboxRelay;
  useCases: IdentityUseCases;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Starts every part of the service. Each part registers its shutdown hook as soon as it exists, so a
 * failure half-way (NATS down, port taken) still releases what was acquired when `shutdown` runs.
 */
export async function startIdentityService(
  config: IdentityConfig,
  deps: { logger: Logger; shutdown: Pick<Shutdown, 'onShutdown'> },
): Promise<RunningIdentityService> {
  const { logger, shutdown } = deps;

  const prisma = createIdentityPrismaClient(config.DATABASE_URL);
  shutdown.onShutdown('prisma', () => prisma.$disconnect());

  const bus = await connectBus({
    servers: config.NATS_URL,
    prefix: config.BUS_PREFIX,
    name: 'identity',
    logger,
  });
  shutdown.onShutdown('nats', () => bus.close());
  await bus.ensureStream('identity');

  const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
  relay.start();
  shutdown.onShutdown('outbox-relay', () => relay.stop());

  const hasher = new Argon2PasswordHasher();
  await hasher.warmUp();
  const useCases = createIdentityUseCases({
    uow: new PrismaUnitOfWork(prisma, { onEventsCommitted: () => relay.nudge() }),
    hasher,
    tokens: new JwtTokenIssuer(config.HELPDESK_JWT_SECRET, config.JWT_TTL_SECONDS, systemClock),
    clock: systemClock,
  });

  const grpcServer = await startGrpcServer({
    port: config.GRPC_PORT,
    limits: grpcServerLimits(config),
    services: [
      { definition: identityV1.IdentityServiceService, implementation: identityHandlers(useCases, logger) },
    ],
    logger,
  });
  shutdown.onShutdown('grpc', () => grpcServer.shutdown());

  const health = await startHealthServer({
    port: config.HEALTH_PORT,
    logger,
    checks: {
      db: async () => {
        await prisma.$queryRaw`SELECT 1`;
      },
      nats: () => bus.ping(),
    },
  });
  shutdown.onShutdown('health', () => health.close());

  return { grpcPort: grpcServer.port, healthPort: health.port, prisma, bus, relay, useCases };
}
