import './instrumentation';
import { createLogger, createShutdown } from '@helpdesk/platform';
import { loadTimekeepingConfig } from './config';
import { telemetry } from './instrumentation';
import { buildTimekeepingService } from './timekeeping-service';

async function main(): Promise<void> {
  const config = loadTimekeepingConfig();
  const logger = createLogger('timekeeping', config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  // registered first, so it runs last: spans of the shutdown itself still get exported
  shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  shutdown.installSignalHandlers();
  await buildTimekeepingService(config, { logger, shutdown });
}

main().catch((err: unknown) => {
  createLogger('timekeeping').fatal({ err }, 'timekeeping service failed to start');
  process.exit(1);
});
