import './instrumentation';
import { createLogger, createShutdown } from '@helpdesk/platform';
import { loadNotificationConfig } from './config';
import { telemetry } from './instrumentation';
import { buildNotificationService } from './notification-service';

async function main(): Promise<void> {
  const config = loadNotificationConfig();
  const logger = createLogger('notification', config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  // registered first, so it runs last: spans of the shutdown itself still get exported
  shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  shutdown.installSignalHandlers();
  await buildNotificationService(config, { logger, shutdown });
}

main().catch((err: unknown) => {
  createLogger('notification').fatal({ err }, 'notification service failed to start');
  process.exit(1);
});
