import { createPrismaClient } from '@helpdesk/db';
import { PrismaClient } from './prisma/generated/client';

export type IdentityPrismaClient = PrismaClient;
export type { Prisma } from './prisma/generated/client';

export function createIdentityPrismaClient(databaseUrl: string, max?: number): PrismaClient {
  return createPrismaClient(PrismaClient, databaseUrl, { max });
}
