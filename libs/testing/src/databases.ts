import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dropDatabase, ensureDatabase, migrateDeploy, withDatabase } from '@helpdesk/db';
import { PG_ADMIN_URL } from './env';
import { repoRoot } from './processes';

/** A short random id for isolating a test run: database names, BUS_PREFIX, Redis key prefixes. */
export function uniquePrefix(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}`;
}

/** A migrated database of one service, private to the calling test run. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates `hd_test_<service>_<random>` and applies the service's migrations to it. */
export async function createTestDatabase(service: string): Promise<TestDatabase> {
  const name = `hd_test_${service.replace(/[^a-z0-9]/g, '_')}_${randomBytes(5).toString('hex')}`;
  const url = withDatabase(PG_ADMIN_URL, name);
  await ensureDatabase(url);
  await migrateDeploy(path.join(repoRoot, 'services', service), url);
  return { url, name, drop: () => dropDatabase(url) };
}
