import path from 'node:path';
import type { z } from 'zod';
import { manifestEnv, readinessUrl, type ManifestPortName, type ServiceManifest } from '@helpdesk/platform';
import { SERVICE_MANIFESTS } from '../../../services/manifests';
import type { LocalConfig } from './config';
import type { PortSet } from './replicas';

/** What a service's environment is built from. */
export interface ServiceContext {
  config: LocalConfig;
  infra: { postgresUrl: string; natsUrl: string; redisUrl: string };
  secrets: { jwtSecret: string; operatorToken: string; mailSecretKey: string; messageIdSecret: string };
  /** The URL of this service's own database (set when the spec names a `database`). */
  databaseUrl?: string;
  /** Per service started as several processes, the ports of each: its peers get the list. */
  replicas?: Record<string, PortSet[]>;
}

export interface ServicePort {
  port: number;
  /** The runner's variable that moves it (for the "port is taken" message). */
  variable: string;
}

/** The runner's view of one service, made from its manifest (services/<svc>/service.ts) by {@link specFromManifest}. */
export interface ServiceSpec {
  name: string;
  /** Relative to the repository root. */
  dir: string;
  /** Relative to `dir`. */
  entry: string;
  /** Its database is `<HELPDESK_DB_PREFIX>_<database>`, created and migrated before it starts. */
  database?: string;
  /**
   * Services that must be ready before this one starts. A peer reached over gRPC (which reconnects) is no such dependency:
   * the services start together and readiness (the gateway's checks its peers) says when.
   */
  dependsOn: readonly string[];
  /**
   * The service's own zod schema (services/<svc>/src/config.ts): its keys are the variables the runner passes
   * through from its environment, so that a variable documented for a service works under `npm start` too.
   */
  configSchema: z.ZodObject;
  ports(config: LocalConfig): ServicePort[];
  /**
   * The runner's wiring (its ports, database and peer URLs): a variable of the same name in the runner's
   * environment never replaces it, only a per-service `<SERVICE>__<VAR>` does. The common ones (NATS, secrets,
   * logging, tracing) are added by {@link serviceEnv}.
   */
  env(ctx: ServiceContext): Record<string, string | undefined>;
  /** Local defaults that a variable of the same name in the runner's environment replaces. */
  defaults?(ctx: ServiceContext): Record<string, string | undefined>;
  /** Answers 200 once it can serve. */
  readyUrl(config: LocalConfig): string;
}

/** The number of each port of `name` under this configuration. */
function portsOf(config: LocalConfig, name: string): Partial<Record<ManifestPortName, number>> {
  const ports = config.ports[name];
  if (!ports) throw new Error(`the runner has no ports for ${name}`);
  return ports;
}

/** The runner's spec of a service: its manifest, with the ports and directories of this machine. */
export function specFromManifest(manifest: ServiceManifest): ServiceSpec {
  const dataDirs = Object.entries(manifest.dataDirs ?? {});
  return {
    name: manifest.name,
    dir: `services/${manifest.name}`,
    entry: manifest.entry,
    database: manifest.database,
    dependsOn: manifest.dependsOn,
    configSchema: manifest.configSchema,
    ports: (c) =>
      (Object.entries(manifest.ports) as Array<[ManifestPortName, { localVariable: string }]>).map(
        ([name, p]) => ({
          port: portsOf(c, manifest.name)[name]!,
          variable: p.localVariable,
        }),
      ),
    env: (ctx) =>
      manifestEnv(manifest, {
        ports: ctx.config.ports,
        databaseUrl: ctx.databaseUrl,
        replicas: ctx.replicas,
        secrets: ctx.secrets,
        redis: { url: ctx.infra.redisUrl, keyPrefix: ctx.config.redisKeyPrefix },
      }),
    // its directories on this machine, beside the private servers' data (e.g. the ticket's attachments in .local/blobs)
    defaults:
      dataDirs.length > 0
        ? (ctx) =>
            Object.fromEntries(
              dataDirs.map(([variable, dir]) => [variable, path.join(ctx.config.localDir, dir)]),
            )
        : undefined,
    readyUrl: (c) => readinessUrl(manifest, portsOf(c, manifest.name)),
  };
}

export const SERVICES: ServiceSpec[] = SERVICE_MANIFESTS.map(specFromManifest);

/** The database name of a service: `<prefix>_<database>`. */
export function databaseNameFor(prefix: string, database: string): string {
  return `${prefix}_${database}`;
}

// Shells and CI set this for other reasons (zsh: the machine's name); it reaches a service only as <SERVICE>__HOST.
const NOT_PASSED_THROUGH = new Set(['HOST']);
// The runner owns the ports: it checks them, points peers and readiness at them; its own variables move them.
const RUNNER_PORTS = new Set(['PORT', 'GRPC_PORT', 'HEALTH_PORT']);

/** The service whose manifest has a demo seed (identity's src/seed-demo.ts), run into its database by `npm start`. */
export const SEED_SERVICE = (() => {
  const seeded = SERVICE_MANIFESTS.filter((m) => m.seed);
  if (seeded.length !== 1) throw new Error(`one service seeds the demo data, not ${seeded.length}`);
  const manifest = seeded[0]!;
  return {
    name: manifest.name,
    script: `services/${manifest.name}/${manifest.seed!.entry}`,
    configSchema: manifest.seed!.configSchema,
  };
})();

/** The demo seed's schema: its variables, as a service's, pass through. */
export const SEED_CONFIG_SCHEMA: z.ZodObject = SEED_SERVICE.configSchema;

/** The variables of `schema` among those set for the runner (lowest precedence: the caller's wiring goes on top). */
export function sharedVariablesFor(schema: z.ZodObject, variables: ServiceVariables): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = variables.shared[key];
    if (value !== undefined && !NOT_PASSED_THROUGH.has(key) && !RUNNER_PORTS.has(key)) picked[key] = value;
  }
  return picked;
}

/** `GATEWAY__`, `MAIL_INGEST__`: a variable with this prefix is given to that one service only. */
export function overridePrefix(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/-/g, '_')}__`;
}

/** What the runner's environment holds for the services; built by {@link pickServiceVariables}. */
export interface ServiceVariables {
  /** Variables some service's schema names, as set for the runner: each service gets those it reads. */
  shared: Record<string, string>;
  /** Per service name, the values given to it alone (`<SERVICE>__<VAR>`); these win over everything. */
  perService: Record<string, Record<string, string>>;
}

/**
 * Picks from the runner's environment what the services read (their schemas' keys) and the per-service
 * `<SERVICE>__<VAR>` values. A per-service variable a service does not read, or one of the ports, is an issue.
 */
export function pickServiceVariables(
  env: Record<string, string | undefined>,
  specs: readonly Pick<ServiceSpec, 'name' | 'configSchema' | 'ports'>[],
  config: LocalConfig,
): { variables: ServiceVariables; issues: Array<{ path: string; message: string }> } {
  const known = new Set([
    ...specs.flatMap((s) => Object.keys(s.configSchema.shape)),
    ...Object.keys(SEED_CONFIG_SCHEMA.shape),
  ]);
  const variables: ServiceVariables = { shared: {}, perService: {} };
  const issues: Array<{ path: string; message: string }> = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (known.has(key)) variables.shared[key] = value;
    const spec = specs.find((s) => key.startsWith(overridePrefix(s.name)));
    if (!spec) continue;
    const name = key.slice(overridePrefix(spec.name).length);
    if (RUNNER_PORTS.has(name)) {
      const moves = spec.ports(config).map((p) => p.variable);
      issues.push({
        path: key,
        message: `the runner sets the ports of ${spec.name}; move them with ${moves.join(' or ')}`,
      });
    } else if (!(name in spec.configSchema.shape)) {
      issues.push({ path: key, message: `${spec.name} reads no variable ${name}` });
    } else {
      (variables.perService[spec.name] ??= {})[name] = value;
    }
  }
  return { variables, issues };
}

/**
 * The full environment of a service's process, lowest precedence first: inherited basics, the runner's local
 * defaults, every variable of the service's schema set for the runner, the runner's wiring (common and its
 * own), and last what was given to this service alone (`<SERVICE>__<VAR>`).
 */
export function serviceEnv(spec: ServiceSpec, ctx: ServiceContext): Record<string, string> {
  const shared = sharedVariablesFor(spec.configSchema, ctx.config.serviceVariables);
  const merged: Record<string, string | undefined> = {
    ...ctx.config.baseEnv,
    ...spec.defaults?.(ctx),
    ...shared,
    NATS_URL: ctx.infra.natsUrl,
    BUS_PREFIX: ctx.config.busPrefix,
    LOG_LEVEL: ctx.config.logLevel,
    HELPDESK_JWT_SECRET: ctx.secrets.jwtSecret,
    HELPDESK_OPERATOR_TOKEN: ctx.secrets.operatorToken,
    OTEL_EXPORTER_OTLP_ENDPOINT: ctx.config.otlpEndpoint,
    ...spec.env(ctx),
    ...ctx.config.serviceVariables.perService[spec.name],
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}

/** Why `env` would stop the service at start-up (its own schema's reasons, never a value), or nothing. */
export function serviceEnvIssues(
  spec: Pick<ServiceSpec, 'name' | 'configSchema'>,
  env: Record<string, string>,
): string[] {
  const result = spec.configSchema.safeParse(env);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/**
 * The services in start order: every one after the services it depends on, otherwise in list order.
 * Throws on an unknown dependency or a cycle.
 */
export function startOrder<T extends Pick<ServiceSpec, 'name' | 'dependsOn'>>(specs: readonly T[]): T[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  if (byName.size !== specs.length) throw new Error('two services share a name');
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (spec: T, path: string[]) => {
    const seen = state.get(spec.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new Error(`services depend on each other in a cycle: ${[...path, spec.name].join(' → ')}`);
    state.set(spec.name, 'visiting');
    for (const dep of spec.dependsOn) {
      const target = byName.get(dep);
      if (!target) throw new Error(`service ${spec.name} depends on unknown service ${dep}`);
      visit(target, [...path, spec.name]);
    }
    state.set(spec.name, 'done');
    ordered.push(spec);
  };
  for (const spec of specs) visit(spec, []);
  return ordered;
}
