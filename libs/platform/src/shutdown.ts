import type { Logger } from './logger';

export interface Shutdown {
  /** Registers a hook; hooks run in reverse registration order (last started, first stopped). */
  onShutdown(name: string, fn: () => Promise<void> | void): void;
  /** Runs every hook once; later calls return the same promise. */
  shutdown(reason: string): Promise<void>;
  /** SIGINT/SIGTERM → shutdown → exit 0; uncaught errors → log → shutdown → exit 1. */
  installSignalHandlers(): void;
}

/** Ordered, time-boxed shutdown of a process's resources. */
export function createShutdown(logger: Logger, timeoutMs = 10_000): Shutdown {
  const hooks: Array<{ name: string; fn: () => Promise<void> | void }> = [];
  let running: Promise<void> | undefined;

  const runHooks = async (): Promise<void> => {
    for (const hook of [...hooks].reverse()) {
      try {
        await hook.fn();
        logger.debug({ hook: hook.name }, 'shutdown hook done');
      } catch (err) {
        // One failing hook must not keep the others from releasing their resources.
        logger.error({ err, hook: hook.name }, 'shutdown hook failed');
      }
    }
  };

  const shutdown = (reason: string): Promise<void> => {
    if (running) return running;
    logger.info({ reason }, 'shutting down');
    running = (async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
        timer.unref();
      });
      const outcome = await Promise.race([runHooks().then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') logger.error({ timeoutMs }, 'shutdown timed out; continuing');
      else logger.info('shutdown complete');
    })();
    return running;
  };

  const installSignalHandlers = (): void => {
    const onSignal = (signal: NodeJS.Signals) => {
      void shutdown(signal).finally(() => process.exit(0));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const onFatal = (kind: string) => (err: unknown) => {
      logger.fatal({ err }, kind);
      void shutdown(kind).finally(() => process.exit(1));
    };
    process.on('uncaughtException', onFatal('uncaughtException'));
    process.on('unhandledRejection', onFatal('unhandledRejection'));
  };

  return {
    onShutdown: (name, fn) => {
      hooks.push({ name, fn });
    },
    shutdown,
    installSignalHandlers,
  };
}
