import { mkdtemp, mkdir, readdir, readFile, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, ensureDatabase, migrateDeploy, migrateDiff, migrateStatus, withDatabase } from '../src';

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
    await writeFile(schemaFile, `${schemaHeader}\nmodel Widget {\n  id String @id @db.Uuid\n  name String\n}\n`);
    const first = await migrateDiff(dir, 'init', server, new Date('2026-01-01T00:00:00Z'));
    expect(first).toMatch(/20260101000000_init$/);
    expect(await readFile(path.join(first!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Widget"');

    await writeFile(schemaFile, `${schemaHeader}\nmodel Widget {\n  id String @id @db.Uuid\n  name String\n  size Int @default(0)\n}\n`);
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
    const rows = await client.query('SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name');
    await client.end();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(['20260101000000_init', '20260102000000_size']);
    expect(rows.rows.every((r) => r.finished_at !== null)).toBe(true);
    expect((await readdir(path.join(dir, 'prisma', 'migrations'))).sort()).toContain('migration_lock.toml');
  });
});
