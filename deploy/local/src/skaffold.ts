// skaffold.yaml, generated from the manifests (services/manifests.ts): one artifact and one Helm release of the
// umbrella chart per service, and a profile per service that builds and deploys it alone.
// `npm run generate:skaffold` writes it; deploy/local/src/skaffold.spec.ts fails when the committed file differs.
import { stringify } from 'yaml';
import type { ServiceManifest } from '@helpdesk/platform';

export const SKAFFOLD_FILE = 'skaffold.yaml';
const CHART = 'charts/helpdesk';
const VALUES_FILE = 'charts/helpdesk/values-local.example.yaml';
const NAMESPACE = 'helpdesk';
const NAME_PREFIX = 'helpdesk';

const imageOf = (m: ServiceManifest) => `helpdesk-${m.name}`;
// Skaffold's template variable of an image: every character outside [A-Za-z0-9] becomes _
const imageVariable = (m: ServiceManifest) => imageOf(m).replace(/[^A-Za-z0-9]/g, '_');

function artifact(m: ServiceManifest) {
  return {
    image: imageOf(m),
    context: '.',
    docker: { dockerfile: 'Dockerfile', buildArgs: { SERVICE: m.name } },
  };
}

function release(m: ServiceManifest, all: readonly ServiceManifest[]) {
  return {
    name: `${NAME_PREFIX}-${m.name}`,
    chartPath: CHART,
    namespace: NAMESPACE,
    createNamespace: true,
    valuesFiles: [VALUES_FILE],
    setValues: {
      'global.namePrefix': NAME_PREFIX,
      ...Object.fromEntries(all.map((other) => [`${other.name}.enabled`, other.name === m.name])),
    },
    setValueTemplates: {
      [`${m.name}.image.repository`]: `{{.IMAGE_REPO_${imageVariable(m)}}}`,
      [`${m.name}.image.tag`]: `{{.IMAGE_TAG_${imageVariable(m)}}}`,
    },
  };
}

// A service with an HTTP port (the gateway) is forwarded to the same port on this machine.
function portForwards(m: ServiceManifest) {
  const http = m.ports.http;
  return http
    ? [
        {
          resourceType: 'service',
          resourceName: `${NAME_PREFIX}-${m.name}`,
          namespace: NAMESPACE,
          port: http.default,
          localPort: http.default,
        },
      ]
    : [];
}

function profile(m: ServiceManifest, index: number, all: readonly ServiceManifest[]) {
  const own = portForwards(m);
  const forwards = all.flatMap(portForwards);
  const patches: unknown[] = [{ op: 'replace', path: '/build/artifacts', value: [artifact(m)] }];
  // from the last release down, so that the indices still point where they did
  for (let i = all.length - 1; i >= 0; i--)
    if (i !== index) patches.push({ op: 'remove', path: `/deploy/helm/releases/${i}` });
  if (forwards.length > 0 && own.length === 0) patches.push({ op: 'remove', path: '/portForward' });
  else if (own.length < forwards.length) patches.push({ op: 'replace', path: '/portForward', value: own });
  return { name: m.name, patches };
}

/** The text of skaffold.yaml for these manifests. */
export function renderSkaffold(manifests: readonly ServiceManifest[]): string {
  const names = manifests.map((m) => m.name);
  const [first, ...others] = names;
  const config = {
    apiVersion: 'skaffold/v4beta11',
    kind: 'Config',
    metadata: { name: 'helpdesk' },
    build: {
      local: { push: false, useBuildkit: true },
      tagPolicy: { gitCommit: { variant: 'AbbrevCommitSha' } },
      artifacts: manifests.map(artifact),
    },
    deploy: { helm: { releases: manifests.map((m) => release(m, manifests)) } },
    ...(manifests.some((m) => m.ports.http) ? { portForward: manifests.flatMap(portForwards) } : {}),
    profiles: manifests.map((m, i) => profile(m, i, manifests)),
  };
  const header = [
    '# Generated from services/*/service.ts by `npm run generate:skaffold` (deploy/local/src/skaffold.ts): edit those, not this.',
    '# Build the service images and deploy them with charts/helpdesk.',
    `#   skaffold dev                 every service (one Helm release per service, names ${NAME_PREFIX}-<service>)`,
    `#   skaffold dev -p ${first}     ${first} alone (likewise ${others.map((n) => `-p ${n}`).join(', ')})`,
    '# Each service is its own release of the umbrella chart with only its alias enabled and',
    `# global.namePrefix=${NAME_PREFIX}, so deploying one never touches the others and names stay stable.`,
  ];
  return `${header.join('\n')}\n${stringify(config, { singleQuote: true, lineWidth: 0 })}`;
}
