// `npm run migrate -- <command> --service services/<svc>`: Prisma migrations without Prisma's native engine.
import { parseArgs } from 'node:util';
import { generateClient } from './generate';
import { migrateDeploy, migrateDiff, migrateStatus } from './migrate';

const USAGE = `usage: migrate <deploy|status|diff|generate> [--service DIR] [--name NAME]
  deploy    apply pending migrations to DATABASE_URL
  status    compare prisma/migrations with DATABASE_URL
  diff      write prisma/migrations/<timestamp>_<name> from schema changes (scratch database on DATABASE_URL's
            server, or postgresql://postgres@127.0.0.1:5432/postgres)
  generate  generate the Prisma client of the service (default: the current directory)`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { service: { type: 'string', default: '.' }, name: { type: 'string' } },
  });
  const [command] = positionals;
  const serviceDir = values.service ?? '.';
  const databaseUrl = process.env.DATABASE_URL;
  const needUrl = (): string => {
    if (!databaseUrl) throw new Error('DATABASE_URL is not set');
    return databaseUrl;
  };
  switch (command) {
    case 'generate':
      await generateClient(serviceDir);
      return 0;
    case 'deploy': {
      const applied = await migrateDeploy(serviceDir, needUrl());
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n');
      return 0;
    }
    case 'status': {
      const status = await migrateStatus(serviceDir, needUrl());
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return status.upToDate ? 0 : 1;
    }
    case 'diff': {
      if (!values.name) throw new Error('--name is required');
      const server = databaseUrl ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
      const written = await migrateDiff(serviceDir, values.name, server);
      process.stdout.write(written ? `Wrote ${written}/migration.sql\n` : 'No schema changes.\n');
      return 0;
    }
    case undefined:
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`migrate: ${err.message}\n`);
    process.exit(1);
  },
);
