import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dropDatabase, ensureDatabase, withDatabase } from './database';
import { openSchemaEngine, readMigrations } from './schema-engine';

const NO_FILTERS = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'provider = "postgresql"\n';

function migrationsDir(serviceDir: string): string {
  return path.join(path.resolve(serviceDir), 'prisma', 'migrations');
}

async function readSchema(serviceDir: string): Promise<{ path: string; content: string }> {
  const file = path.join(path.resolve(serviceDir), 'prisma', 'schema.prisma');
  return { path: file, content: await readFile(file, 'utf8') };
}

/** Applies the service's pending migrations, exactly as `prisma migrate deploy` would; answers their names. */
export async function migrateDeploy(serviceDir: string, databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const result = await engine.applyMigrations({
      migrationsList: await readMigrations(migrationsDir(serviceDir)),
      filters: NO_FILTERS,
    });
    return result.appliedMigrationNames;
  } finally {
    await close();
  }
}

/** What `prisma migrate status` reports: migrations not yet applied, failed or edited. */
export interface MigrationStatus {
  upToDate: boolean;
  unapplied: string[];
  failed: string[];
  edited: string[];
  missingFromDirectory: string[];
}

/** Compares the service's migrations directory with the database's `_prisma_migrations`. */
export async function migrateStatus(serviceDir: string, databaseUrl: string): Promise<MigrationStatus> {
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const out = await engine.diagnoseMigrationHistory({
      migrationsList: await readMigrations(migrationsDir(serviceDir)),
      optInToShadowDatabase: false,
      filters: NO_FILTERS,
    });
    const history = out.history;
    const unapplied = history && 'unappliedMigrationNames' in history ? history.unappliedMigrationNames : [];
    const missing =
      history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : [];
    const status = {
      unapplied,
      failed: out.failedMigrationNames,
      edited: out.editedMigrationNames,
      missingFromDirectory: missing,
    };
    return {
      ...status,
      upToDate: Object.values(status).every((list) => list.length === 0) && out.hasMigrationsTable,
    };
  } finally {
    await close();
  }
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Writes a new migration holding the SQL that takes the existing migrations to the current schema.
 * The engine replays the migrations into a scratch ("shadow") database it is connected to, so one is
 * created for the run and dropped after. Answers the new migration's directory, or null when nothing changed.
 */
export async function migrateDiff(
  serviceDir: string,
  name: string,
  serverUrl: string,
  now = new Date(),
): Promise<string | null> {
  if (!/^[a-z0-9_]{1,60}$/.test(name))
    throw new Error('Migration name must be lower-case letters, digits and _');
  const dir = migrationsDir(serviceDir);
  await mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, 'migration_lock.toml');
  await readFile(lockPath).catch(() => writeFile(lockPath, LOCKFILE));

  const shadowUrl = withDatabase(serverUrl, `hd_shadow_${randomBytes(6).toString('hex')}`);
  await ensureDatabase(shadowUrl);
  const schema = await readSchema(serviceDir);
  const { engine, close } = await openSchemaEngine(shadowUrl, schema);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrations(dir)) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = result.stdout ?? '';
    if (!sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim())) return null;
    const target = path.join(dir, `${timestamp(now)}_${name}`);
    await mkdir(target, { recursive: true });
    await writeFile(path.join(target, 'migration.sql'), sql);
    return target;
  } finally {
    await close();
    await dropDatabase(shadowUrl);
  }
}
