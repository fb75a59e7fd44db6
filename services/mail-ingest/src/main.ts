import './instrumentation';
import { createLogger, createShutdown } from '@helpdesk/platform';
import { loadMailIngestConfig } from './config';
import { telemetry } from './instrumentation';
import { buildMailIngestService } from './mail-ingest-service';

async function main(): Promise<void> {
  const config = loadMailIngestConfig();
  const logger = createLogger('mail-ingest', config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  // registered first, so it runs last: spans of the shutdown itself still get exported
  shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  shutdown.installSignalHandlers();
  await buildMailIngestService(config, { logger, shutdown });
}

main().catch((err: unknown) => {
  createLogger('mail-ingest').fatal({ err }, 'mail-ingest service failed to start');
  process.exit(1);
});
