import './instrumentation';
import { createLogger, createShutdown } from '@helpdesk/platform';
import { loadIdentityConfig } from './config';
import { startIdentityService } from './identity-service';
import { telemetry } from './instrumentation';

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  const logger = createLogger('identity', config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  shutdown.installSignalHandlers();
  // Registered first so it runs last: spans of the shutdown itself still get exported.
  shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  try {
    const service = await startIdentityService(config, { logger, shutdown });
    logger.info({ grpcPort: service.grpcPort, healthPort: service.healthPort }, 'identity started');
  } catch (err) {
    logger.fatal({ err }, 'identity failed to start');
    await shutdown.shutdown('startup failed');
    process.exit(1);
  }
}

void main().catch((err: unknown) => {
  // Before the logger exists (invalid configuration): the message names variables, never values.
  process.stderr.write(`identity: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
