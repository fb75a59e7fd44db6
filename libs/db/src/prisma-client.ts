import { PrismaPg } from '@prisma/adapter-pg';

/** Options of {@link createPrismaClient}. */
export interface PrismaClientOptions {
  /** Pool size of the pg driver adapter. */
  max?: number;
}

/**
 * A service's generated Prisma client on the pg driver adapter (no native query engine).
 * `PrismaClient` is the class generated into the service's `src/infra/prisma/generated`.
 */
export function createPrismaClient<C>(
  PrismaClient: new (options: { adapter: PrismaPg }) => C,
  databaseUrl: string,
  options: PrismaClientOptions = {},
): C {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}
