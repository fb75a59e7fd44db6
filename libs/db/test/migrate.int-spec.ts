import { mkdtemp, mkdir, readdir, readFile, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  dropDatabase,
  ensureDatabase,
  migrateDeploy,
  migrateDiff,
  migrateStatus,
  withDatabase,
} from '../src';

const server = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const schemaHeader = `generator client {\n  provider = "prisma-client"\n  output = "../generated"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n`;

describe('migrate (WebAssembly schema engine)', () => {
  let dir: string;
  const url = withDatabase(server, `hd_test_migrate_${process.pid}_${Date.now()}`);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hd-migrate-'));
    await mkdir(path.join(dir, 'prisma'));
  });
  afterAll(async () => {
    await dropDatabase(url);
    await rm(dir, { recursive: true, force: true });
  });

  it('writes migrations from schema changes, applies them once and reports status', async () => {
    const schemaFile = path.join(dir, 'prisma', 'schema.prisma');
    await writeFile(
      schemaFile,
      `${schemaHeader}\nmodel Widget {\n  id String @id @db.Uuid\n  name String\n}\n`,
    );
    const first = await migrateDiff(dir, 'init', server, new Date('2026-01-01T00:00:00Z'));
    expect(first).toMatch(/20260101000000_init$/);
    expect(await readFile(path.join(first!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Widget"');

    await writeFile(
      schemaFile,
      `${schemaHeader}\nmodel Widget {\n  id String @id @db.Uuid\n  name String\n  size Int @default(0)\n}\n`,
    );
    const second = await migrateDiff(dir, 'size', server, new Date('2026-01-02T00:00:00Z'));
    const sql = await readFile(path.join(second!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ADD COLUMN     "size" INTEGER NOT NULL DEFAULT 0');
    expect(sql).not.toContain('CREATE TABLE');
    expect(await migrateDiff(dir, 'nothing', server)).toBeNull();

    await ensureDatabase(url);
    expect((await migrateStatus(dir, url)).upToDate).toBe(false);
    expect(await migrateDeploy(dir, url)).toEqual(['20260101000000_init', '20260102000000_size']);
    expect(await migrateDeploy(dir, url)).toEqual([]);
    expect(await migrateStatus(dir, url)).toMatchObject({ upToDate: true, unapplied: [] });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = await client.query(
      'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    await client.end();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(['20260101000000_init', '20260102000000_size']);
    expect(rows.rows.every((r) => r.finished_at !== null)).toBe(true);
    expect((await readdir(path.join(dir, 'prisma', 'migrations'))).sort()).toContain('migration_lock.toml');
  });

  it('runs a script whole, as the native engine does: dollar-quoted blocks and `;` in strings, all or nothing', async () => {
    const own = await mkdtemp(path.join(os.tmpdir(), 'hd-migrate-script-'));
    const ownUrl = withDatabase(server, `hd_test_migrate_script_${process.pid}_${Date.now()}`);
    const migration = async (name: string, sql: string) => {
      await mkdir(path.join(own, 'prisma', 'migrations', name), { recursive: true });
      await writeFile(path.join(own, 'prisma', 'migrations', name, 'migration.sql'), sql);
    };
    const query = async (sql: string) => {
      const client = new pg.Client({ connectionString: ownUrl });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    try {
      await mkdir(path.join(own, 'prisma'), { recursive: true });
      await writeFile(path.join(own, 'prisma', 'schema.prisma'), schemaHeader);
      await migration(
        '20260101000000_script',
        `CREATE TABLE note (body text);
INSERT INTO note VALUES ('one; two');
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
`,
      );
      await ensureDatabase(ownUrl);
      expect(await migrateDeploy(own, ownUrl)).toEqual(['20260101000000_script']);
      expect(await query('SELECT body FROM note')).toEqual([{ body: 'one; two' }]);
      expect(await query('SHOW jit')).toEqual([{ jit: 'off' }]);

      // the second statement fails: the first one is not left behind
      await migration(
        '20260102000000_broken',
        `CREATE TABLE half (id int);
SELECT no_such_function();
`,
      );
      await expect(migrateDeploy(own, ownUrl)).rejects.toThrow(/no_such_function/);
      expect(await query(`SELECT to_regclass('half') AS half`)).toEqual([{ half: null }]);
    } finally {
      await dropDatabase(ownUrl);
      await rm(own, { recursive: true, force: true });
    }
  });
});
