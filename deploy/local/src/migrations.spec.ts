import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrationsUpToDate, readMigrationFiles, type AppliedMigration } from './migrations';

const applied = (name: string, checksum: string, more: Partial<AppliedMigration> = {}): AppliedMigration => ({
  name,
  checksum,
  finished: true,
  rolledBack: false,
  ...more,
});

describe('migrations up to date without the schema engine', () => {
  const files = [
    { name: '20260101000000_init', checksum: 'a1' },
    { name: '20260102000000_more', checksum: 'b2' },
  ];

  it('holds when exactly these migrations are applied, unedited', () => {
    expect(
      migrationsUpToDate(files, [applied('20260101000000_init', 'a1'), applied('20260102000000_more', 'b2')]),
    ).toBe(true);
    // one rolled back and applied again
    expect(
      migrationsUpToDate(files, [
        applied('20260101000000_init', 'a1'),
        applied('20260102000000_more', 'b2', { rolledBack: true, finished: false }),
        applied('20260102000000_more', 'b2'),
      ]),
    ).toBe(true);
  });

  it('leaves a pending, edited, failed or unknown migration to the engine', () => {
    expect(migrationsUpToDate(files, [applied('20260101000000_init', 'a1')])).toBe(false);
    expect(
      migrationsUpToDate(files, [
        applied('20260101000000_init', 'a1'),
        applied('20260102000000_more', 'edited'),
      ]),
    ).toBe(false);
    expect(
      migrationsUpToDate(files, [
        applied('20260101000000_init', 'a1'),
        applied('20260102000000_more', 'b2', { finished: false }),
      ]),
    ).toBe(false);
    expect(
      migrationsUpToDate(files, [
        applied('20260101000000_init', 'a1'),
        applied('20260102000000_more', 'b2'),
        applied('20260103000000_gone', 'c3'),
      ]),
    ).toBe(false);
    expect(migrationsUpToDate(files, [])).toBe(false);
  });

  it("reads the directory's migrations in order with Prisma's checksum (sha256 of migration.sql)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hd-migrations-'));
    try {
      for (const name of ['20260102000000_b', '20260101000000_a']) {
        await mkdir(path.join(dir, 'prisma', 'migrations', name), { recursive: true });
        await writeFile(path.join(dir, 'prisma', 'migrations', name, 'migration.sql'), 'SELECT 1;\n');
      }
      await writeFile(
        path.join(dir, 'prisma', 'migrations', 'migration_lock.toml'),
        'provider = "postgresql"\n',
      );
      expect(await readMigrationFiles(dir)).toEqual([
        {
          name: '20260101000000_a',
          checksum: 'b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd',
        },
        {
          name: '20260102000000_b',
          checksum: 'b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd',
        },
      ]);
      expect(await readMigrationFiles(path.join(dir, 'nowhere'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
