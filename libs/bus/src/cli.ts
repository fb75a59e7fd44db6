// Composition root of the bus CLI: `node --import tsx libs/bus/src/cli.ts replay [--since <ISO instant>]`
// re-drives a service's outbox into JetStream. Reads DATABASE_URL, NATS_URL and BUS_PREFIX.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { connectBus } from './connection';
import { errorFields } from './logger';
import { replayOutbox } from './replay';

const envSchema = z.object({
  DATABASE_URL: z.string().min(1),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  BUS_PREFIX: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
});

const argsSchema = z.object({
  command: z.literal('replay'),
  since: z.iso.datetime({ offset: true }).optional(),
});

const USAGE = 'usage: cli.ts replay [--since <ISO-8601 instant>]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { since: { type: 'string' } },
    allowPositionals: true,
  });
  const args = argsSchema.safeParse({ command: positionals[0], since: values.since });
  const env = envSchema.safeParse(process.env);
  const logger = pino({ name: 'bus-cli', level: env.success ? env.data.LOG_LEVEL : 'info' });
  if (!args.success || positionals.length !== 1) {
    logger.error({ usage: USAGE }, 'invalid arguments');
    return 2;
  }
  if (!env.success) {
    // names and reasons only, never values
    const issues = env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    logger.error({ issues }, 'invalid environment');
    return 2;
  }
  const bus = await connectBus({
    servers: env.data.NATS_URL,
    prefix: env.data.BUS_PREFIX || undefined,
    name: 'bus-cli',
    logger,
  });
  try {
    const since = args.data.since ? new Date(args.data.since) : undefined;
    const count = await replayOutbox({ databaseUrl: env.data.DATABASE_URL, bus, since, logger });
    process.stdout.write(`${JSON.stringify({ replayed: count })}\n`);
    return 0;
  } finally {
    await bus.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    pino({ name: 'bus-cli' }).error(errorFields(err), 'replay failed');
    process.exitCode = 1;
  },
);
