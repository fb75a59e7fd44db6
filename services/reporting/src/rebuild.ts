// `npm run -w services/reporting rebuild`: empties the reporting read model and replays the identity, ticket and
// SLA streams into it (docs/product/reports.md "Rebuild"). Reads DATABASE_URL, NATS_URL, BUS_PREFIX and LOG_LEVEL
// like the service; prints what it read per stream as one JSON line.
import { connectBus } from '@helpdesk/bus';
import { createLogger } from '@helpdesk/platform';
import { Pool } from 'pg';
import { IntakeUseCase } from './app/intake.use-case';
import { loadReportingConfig } from './config';
import { rebuildReadModel } from './infra/rebuild';
import { readModelHandler } from './transport/nats/read-model.consumers';

async function main(): Promise<number> {
  let config;
  try {
    config = loadReportingConfig();
  } catch (err) {
    // names and reasons only, never values
    process.stderr.write(`rebuild: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const logger = createLogger('reporting-rebuild', config.LOG_LEVEL);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 2 });
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection failed'));
  const bus = await connectBus({
    servers: config.NATS_URL,
    prefix: config.BUS_PREFIX,
    name: 'reporting-rebuild',
    logger,
  });
  try {
    const started = Date.now();
    const streams = await rebuildReadModel({
      pool,
      bus,
      handler: readModelHandler(new IntakeUseCase(), logger),
      logger,
    });
    process.stdout.write(`${JSON.stringify({ rebuilt: true, ms: Date.now() - started, streams })}\n`);
    return 0;
  } catch (err) {
    logger.error({ err }, 'rebuild failed');
    return 1;
  } finally {
    await bus.close();
    await pool.end();
  }
}

void main().then((code) => {
  process.exitCode = code;
});
