import { createLogger, createShutdown, type Logger, type Shutdown } from '@helpdesk/platform';

export interface MainOptions {
  /** Flushed last on shutdown, so that spans of the shutdown itself are still exported. */
  telemetry?: { shutdown(): Promise<void> };
}

/**
 * A service process: loads the configuration, then logger, shutdown (signals, timeout) and the telemetry flush,
 * then `start`. One way to report a failed start: an invalid configuration goes to stderr (the message names the
 * variables, never their values), any other failure is a fatal log line; both release what started and exit 1.
 */
export async function runMain<C extends { LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number }>(
  name: string,
  loadConfig: () => C,
  start: (config: C, deps: { logger: Logger; shutdown: Shutdown }) => Promise<unknown>,
  options: MainOptions = {},
): Promise<void> {
  let config: C;
  try {
    config = loadConfig();
  } catch (err) {
    // before the logger exists
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  const { telemetry } = options;
  // registered first, so it runs last
  if (telemetry) shutdown.onShutdown('telemetry', () => telemetry.shutdown());
  shutdown.installSignalHandlers();
  try {
    await start(config, { logger, shutdown });
  } catch (err) {
    logger.fatal({ err }, `${name} failed to start`);
    await shutdown.shutdown('start-up failed');
    process.exit(1);
  }
}
