// `node --import tsx deploy/local/src/infra-cli.ts`: PostgreSQL, NATS (JetStream) and Redis found, started or
// installed exactly as `npm start` does, then left running for the test suite (CI runs this before `npm test`).
import { ConfigError } from '@helpdesk/platform';
import { loadLocalConfig } from './config';
import { ensureInfrastructure, InfrastructureUnavailableError, redactUrl } from './infra/infrastructure';
import { Output } from './log-prefixer';

async function main(): Promise<number> {
  const config = loadLocalConfig();
  const output = new Output(process.stdout, { pretty: config.pretty, color: config.color }, []);
  // Private instances are detached processes: they outlive this command, and the next run adopts them.
  const infra = await ensureInfrastructure(config, output, (instance) => {
    output.info(`${instance.name}: private instance (pid ${instance.pid}) left running at ${instance.url}`);
  });
  output.info(`ready: ${Object.values(infra).map(redactUrl).join(', ')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof InfrastructureUnavailableError;
    process.stderr.write(`${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
