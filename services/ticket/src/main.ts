import './instrumentation';
import { createLogger, createShutdown } from '@helpdesk/platform';
import { loadTicketConfig } from './config';
import { telemetry } from './instrumentation';
import { buildTicketService } from './ticket-service';

async function main(): Promise<void> {
  const config = loadTicketConfig();
  const logger = createLogger('ticket', config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  // registered first, so it runs last: spans of the shutdown itself still get exported
  shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  shutdown.installSignalHandlers();
  await buildTicketService(config, { logger, shutdown });
}

main().catch((err: unknown) => {
  createLogger('ticket').fatal({ err }, 'ticket service failed to start');
  process.exit(1);
});
