// `npm run build`: the web bundle (services/web/dist), skipped when nothing changed since the last build.
import { REPO_ROOT } from './config';
import { buildWeb } from './web-build';

buildWeb({ cwd: REPO_ROOT })
  .then(({ built }) => process.stdout.write(built ? 'web: built services/web/dist\n' : 'web: up to date\n'))
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
