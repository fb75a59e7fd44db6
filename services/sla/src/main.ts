import './instrumentation';
import { createLogger, createShutdown } from '@helpdesk/platform';
import { loadSlaConfig } from './config';
import { telemetry } from './instrumentation';
import { buildSlaService } from './sla-service';

async function main(): Promise<void> {
  const config = loadSlaConfig();
  const logger = createLogger('sla', config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  // registered first, so it runs last: spans of the shutdown itself still get exported
  shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  shutdown.installSignalHandlers();
  await buildSlaService(config, { logger, shutdown });
}

main().catch((err: unknown) => {
  createLogger('sla').fatal({ err }, 'sla service failed to start');
  process.exit(1);
});
