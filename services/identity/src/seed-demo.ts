// `npm run seed -w @helpdesk/identity`: makes sure the demo tenant and its admin exist; prints one JSON line.
import { createLogger } from '@helpdesk/platform';
import { createIdentityUseCases } from './app/identity-use-cases';
import type { EnsureDemoTenantResult } from './app/ensure-demo-tenant.use-case';
import { loadSeedDemoConfig, type SeedDemoConfig } from './config';
import { systemClock } from './identity-service';
import { Argon2PasswordHasher } from '@helpdesk/security';
import { createIdentityPrismaClient } from './infra/prisma-client';
import { PrismaUnitOfWork } from './infra/prisma-unit-of-work';

/** The seed itself, for the CLI and tests. Its events wait in the outbox for the service's relay. */
export async function seedDemo(config: SeedDemoConfig): Promise<EnsureDemoTenantResult> {
  const prisma = createIdentityPrismaClient(config.DATABASE_URL, 2);
  try {
    const useCases = createIdentityUseCases({
      uow: new PrismaUnitOfWork(prisma),
      hasher: new Argon2PasswordHasher(),
      // The seed signs nobody in.
      tokens: {
        issue: () => Promise.reject(new Error('seed-demo issues no tokens')),
      },
      clock: systemClock,
    });
    return await useCases.ensureDemoTenant.execute({
      timezone: config.HELPDESK_DEMO_TIMEZONE,
      adminEmail: config.HELPDESK_ADMIN_EMAIL,
      adminPassword: config.HELPDESK_ADMIN_PASSWORD,
    });
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const config = loadSeedDemoConfig();
  const logger = createLogger('identity-seed', config.LOG_LEVEL);
  seedDemo(config).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      logger.error({ err }, 'seed-demo failed');
      process.exit(1);
    },
  );
}
