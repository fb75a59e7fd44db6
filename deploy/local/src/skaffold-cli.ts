// `npm run generate:skaffold`: writes skaffold.yaml from the service manifests.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_MANIFESTS } from '../../../services/manifests';
import { REPO_ROOT } from './config';
import { SKAFFOLD_FILE, renderSkaffold } from './skaffold';

const file = path.join(REPO_ROOT, SKAFFOLD_FILE);
const text = renderSkaffold(SERVICE_MANIFESTS);
let before = '';
try {
  before = readFileSync(file, 'utf8');
} catch {
  // not there yet
}
if (before === text) {
  process.stdout.write(`${SKAFFOLD_FILE}: up to date\n`);
} else {
  writeFileSync(file, text);
  process.stdout.write(`${SKAFFOLD_FILE}: written (${SERVICE_MANIFESTS.length} services)\n`);
}
