export { createPrismaClient, type PrismaClientOptions } from './prisma-client';
export { databaseName, dropDatabase, ensureDatabase, withDatabase } from './database';
export { migrateDeploy, migrateDiff, migrateStatus, type MigrationStatus } from './migrate';
export { generateClient } from './generate';
