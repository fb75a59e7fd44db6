import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface MigrationFile {
  name: string;
  /** sha256 of migration.sql in hex, as Prisma records it in `_prisma_migrations.checksum`. */
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

/** The migrations in `<serviceDir>/prisma/migrations`, in order (none when there is no such directory). */
export async function readMigrationFiles(serviceDir: string): Promise<MigrationFile[]> {
  const dir = path.join(serviceDir, 'prisma', 'migrations');
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash('sha256')
        .update(await readFile(path.join(dir, name, 'migration.sql')))
        .digest('hex'),
    })),
  );
}

/**
 * Whether the database already has exactly these migrations, applied and unedited. Anything else (one pending,
 * failed, edited, unknown to the directory) is left to the schema engine, which applies or reports it.
 */
export function migrationsUpToDate(
  files: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
): boolean {
  const live = applied.filter((m) => !m.rolledBack);
  if (live.some((m) => !m.finished)) return false;
  const byName = new Map(live.map((m) => [m.name, m.checksum]));
  if (byName.size !== files.length) return false;
  return files.every((f) => byName.get(f.name) === f.checksum);
}

/** `_prisma_migrations` of the database at `url`, or undefined when it has none. */
export async function readAppliedMigrations(url: string): Promise<AppliedMigration[] | undefined> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const table = await client.query<{ found: string | null }>(
      `SELECT to_regclass('_prisma_migrations')::text AS found`,
    );
    if (!table.rows[0]?.found) return undefined;
    const rows = await client.query<{
      migration_name: string;
      checksum: string;
      finished: boolean;
      rolled_back: boolean;
    }>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
         FROM _prisma_migrations`,
    );
    return rows.rows.map((r) => ({
      name: r.migration_name,
      checksum: r.checksum,
      finished: r.finished,
      rolledBack: r.rolled_back,
    }));
  } finally {
    await client.end().catch(() => undefined);
  }
}
