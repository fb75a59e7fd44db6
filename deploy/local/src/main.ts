import { ConfigError } from '@helpdesk/platform';
import { loadLocalConfig } from './config';
import { InfrastructureUnavailableError } from './infra/infrastructure';
import { Output } from './log-prefixer';
import { startPlatform, type Platform } from './platform';
import { SERVICES } from './services';
import { formatSummary } from './summary';

// The CLI behind `npm start`: start everything, print where it is, stop everything on Ctrl-C / SIGTERM.
async function main(): Promise<void> {
  let config;
  try {
    config = loadLocalConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const output = new Output(
    process.stdout,
    { pretty: config.pretty, color: config.color },
    SERVICES.map((s) => s.name),
  );
  const abort = new AbortController();
  let platform: Platform | undefined;
  let signals = 0;
  let lastSignalAt = 0;

  let forced = false;
  const shutdown = async (code: number) => {
    try {
      await platform?.stop();
    } finally {
      output.info('stopped');
      process.exit(forced ? 1 : code);
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    const now = Date.now();
    // npm forwards the terminal's Ctrl-C to its child, which then arrives twice within a moment.
    if (signals > 0 && now - lastSignalAt < 250) return;
    signals += 1;
    lastSignalAt = now;
    if (signals === 1) {
      output.info(`${sig}: stopping (press Ctrl-C again to force)`);
      abort.abort();
      if (platform) void shutdown(0);
      return;
    }
    forced = true;
    output.warn(`${sig} again: killing everything`);
    void (platform?.stop({ force: true }) ?? Promise.resolve()).finally(() => process.exit(1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  output.info(`starting Helpdesk from ${config.repoRoot}`);
  try {
    platform = await startPlatform(config, {
      output,
      signal: abort.signal,
      onServiceFailed: (name) => {
        output.error(`${name} keeps crashing; stopping the platform`);
        void shutdown(1);
      },
    });
  } catch (err) {
    if (abort.signal.aborted) {
      output.info('stopped');
      process.exit(0);
    }
    if (err instanceof InfrastructureUnavailableError) output.raw(`\n${err.message}\n`);
    else output.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  // process.uptime(): since the runner started, which with generation inside it is since `npm start`.
  output.info(`ready in ${process.uptime().toFixed(1)} s`);
  output.raw(formatSummary(platform, (s) => output.bold(s)));
}

void main();
