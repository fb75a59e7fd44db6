import path from 'node:path';
import { z } from 'zod';
import { ConfigError, commonEnv, loadConfig, port } from '@helpdesk/platform';
import type { ManifestPortName } from '@helpdesk/platform';
import { SERVICE_MANIFESTS } from '../../../services/manifests';
import { parseReplicas } from './replicas';
import { SERVICES, pickServiceVariables, type ServiceVariables } from './services';

/** The repository root (deploy/local/src → ../../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const flag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['1', 'true', 'yes'].includes(v)));

// Variables a child process needs to run at all; everything else it gets is set explicitly by the runner.
const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'NODE_EXTRA_CA_CERTS',
  'NODE_OPTIONS',
];

export const localEnvSchema = z.object({
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  OTEL_EXPORTER_OTLP_ENDPOINT: commonEnv.OTEL_EXPORTER_OTLP_ENDPOINT,
  POSTGRES_URL: z.url().default('postgresql://postgres@127.0.0.1:5432/postgres'),
  NATS_URL: z.url().default('nats://127.0.0.1:4222'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  // Isolates the event streams (and with REDIS_KEY_PREFIX the gateway's Redis keys) of one run.
  BUS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .optional(),
  REDIS_KEY_PREFIX: z.string().max(64).optional(),
  HELPDESK_DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'lower-case letters, digits and _, starting with a letter')
    .default('helpdesk'),
  HELPDESK_LOCAL_DIR: z.string().min(1).optional(),
  HELPDESK_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HELPDESK_OPERATOR_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  HELPDESK_ADMIN_EMAIL: z.email().default('admin@demo.helpdesk.local'),
  HELPDESK_ADMIN_PASSWORD: z.string().min(8).default('helpdesk-demo-admin'),
  HELPDESK_READY_TIMEOUT_MS: z.coerce.number().int().positive().default(90_000),
  // `3` or `ticket=2,gateway=3`: processes per service (deploy/local/src/replicas.ts), the extra ones on ports
  // from HELPDESK_REPLICA_PORT_BASE upwards
  HELPDESK_REPLICAS: z.string().optional(),
  HELPDESK_REPLICA_PORT_BASE: port(46000),
  HELPDESK_AUTO_INSTALL: flag(true),
  // `npm run images`: where debootstrap fetches the base image's Debian packages
  HELPDESK_DEBIAN_MIRROR: z.url().default('http://deb.debian.org/debian'),
  HELPDESK_MAIL_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64')
    .optional(),
  HELPDESK_MAIL_MESSAGE_ID_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NO_COLOR: z.string().optional(),
  // the services' log lines in the terminal: `pretty` (time, level, message, fields) or `json` as they write them;
  // unset: pretty on a TTY, JSON when piped (a file, a container's log collector)
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
});

/** Every service's ports, each under the runner's variable its manifest names (PORT, IDENTITY_GRPC_PORT…). */
const SERVICE_PORTS = SERVICE_MANIFESTS.flatMap((m) =>
  (Object.entries(m.ports) as Array<[ManifestPortName, { localVariable: string; default: number }]>).map(
    ([name, p]) => ({
      service: m.name,
      name,
      variable: p.localVariable,
      fallback: p.default,
    }),
  ),
);
export const localPortsEnvSchema = z.object(
  Object.fromEntries(SERVICE_PORTS.map((p) => [p.variable, port(p.fallback)])),
);

/** Everything the runner needs; built only by {@link loadLocalConfig}. */
export interface LocalConfig {
  repoRoot: string;
  /** `.local/` (private infrastructure data, secrets). */
  localDir: string;
  logLevel: string;
  otlpEndpoint?: string;
  infra: { postgresUrl: string; natsUrl: string; redisUrl: string; autoInstall: boolean };
  busPrefix?: string;
  redisKeyPrefix?: string;
  dbPrefix: string;
  secrets: { jwtSecret?: string; operatorToken?: string; mailSecretKey?: string; messageIdSecret?: string };
  admin: { email: string; password: string };
  readyTimeoutMs: number;
  /** The Debian mirror of `npm run images`' base image. */
  debianMirror: string;
  /** Processes per service (HELPDESK_REPLICAS; 1 each by default). */
  replicas: Record<string, number>;
  /** The first port of the extra processes. */
  replicaPortBase: number;
  /** Per service, the number of each of its ports (`ports.identity.grpc`, `ports.gateway.http`). */
  ports: Record<string, Partial<Record<ManifestPortName, number>>>;
  /** The few variables every child inherits (PATH, HOME, locale…). */
  baseEnv: Record<string, string>;
  /** What the runner's environment sets for the services (their documented variables, `<SERVICE>__<VAR>`). */
  serviceVariables: ServiceVariables;
  /** Colour in the terminal output (a TTY and no NO_COLOR). */
  color: boolean;
  /** Pretty-print the services' JSON log lines (LOG_FORMAT, else when stdout is a TTY). */
  pretty: boolean;
  isRoot: boolean;
}

/** Reads the runner's configuration; the only reader of process.env in deploy/local. */
export function loadLocalConfig(
  env: NodeJS.ProcessEnv = process.env,
  opts: { isTTY?: boolean } = {},
): LocalConfig {
  // both schemas are read before either complains, so that one message names every invalid variable
  const issues: Array<{ path: string; message: string }> = [];
  const read = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues.push(...err.issues);
      return undefined;
    }
  };
  const e = read(() => loadConfig(localEnvSchema, env));
  const portValues = read(() => loadConfig(localPortsEnvSchema, env) as Record<string, number>);
  const replicas = parseReplicas(
    e?.HELPDESK_REPLICAS,
    SERVICE_MANIFESTS.map((m) => m.name),
  );
  issues.push(...replicas.issues.map((message) => ({ path: 'HELPDESK_REPLICAS', message })));
  if (!e || !portValues || replicas.issues.length > 0) throw new ConfigError(issues);
  const ports: LocalConfig['ports'] = {};
  for (const p of SERVICE_PORTS) (ports[p.service] ??= {})[p.name] = portValues[p.variable];
  const isTTY = opts.isTTY ?? Boolean(process.stdout.isTTY);
  const baseEnv: Record<string, string> = {};
  for (const key of INHERITED_ENV) {
    const value = env[key];
    if (value !== undefined) baseEnv[key] = value;
  }
  const config: LocalConfig = {
    repoRoot: REPO_ROOT,
    localDir: path.resolve(REPO_ROOT, e.HELPDESK_LOCAL_DIR ?? '.local'),
    logLevel: e.LOG_LEVEL,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    infra: {
      postgresUrl: e.POSTGRES_URL,
      natsUrl: e.NATS_URL,
      redisUrl: e.REDIS_URL,
      autoInstall: e.HELPDESK_AUTO_INSTALL,
    },
    busPrefix: e.BUS_PREFIX || undefined,
    redisKeyPrefix: e.REDIS_KEY_PREFIX || undefined,
    dbPrefix: e.HELPDESK_DB_PREFIX,
    secrets: {
      jwtSecret: e.HELPDESK_JWT_SECRET,
      operatorToken: e.HELPDESK_OPERATOR_TOKEN,
      mailSecretKey: e.HELPDESK_MAIL_SECRET_KEY,
      messageIdSecret: e.HELPDESK_MAIL_MESSAGE_ID_SECRET,
    },
    admin: { email: e.HELPDESK_ADMIN_EMAIL, password: e.HELPDESK_ADMIN_PASSWORD },
    readyTimeoutMs: e.HELPDESK_READY_TIMEOUT_MS,
    replicas: replicas.counts,
    replicaPortBase: e.HELPDESK_REPLICA_PORT_BASE,
    debianMirror: e.HELPDESK_DEBIAN_MIRROR,
    ports,
    baseEnv,
    serviceVariables: { shared: {}, perService: {} },
    // https://no-color.org: any non-empty value disables colour.
    color: isTTY && !e.NO_COLOR,
    pretty: e.LOG_FORMAT ? e.LOG_FORMAT === 'pretty' : isTTY,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  };
  const picked = pickServiceVariables(env, SERVICES, config);
  if (picked.issues.length > 0) throw new ConfigError(picked.issues);
  const variables = picked.variables;
  return { ...config, serviceVariables: variables };
}
