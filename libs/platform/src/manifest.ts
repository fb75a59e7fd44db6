import type { z } from 'zod';

/** The ports a service may listen on; the keys of the generic chart's `ports`. */
export type ManifestPortName = 'grpc' | 'http' | 'health';

export interface ManifestPort {
  /** The service's own variable for it (`GRPC_PORT`, `HEALTH_PORT`, `PORT`). */
  env: string;
  /** The number it listens on when nothing moves it (the chart's, and `npm start`'s). */
  default: number;
  /** The local runner's variable that moves it under `npm start` (`IDENTITY_GRPC_PORT`). */
  localVariable: string;
}

/** The secrets a launcher holds; a manifest names which of them a service reads, under which variable. */
export type ManifestSecret = 'jwtSecret' | 'operatorToken' | 'mailSecretKey' | 'messageIdSecret';

/**
 * What the launchers (deploy/local, test/support/platform.ts, bench/platform.ts) and the deployment checks
 * (skaffold.yaml, charts/helpdesk/values.yaml) know of one service: `services/<name>/service.ts` exports one.
 */
export interface ServiceManifest {
  /** The folder under services/, the chart alias and the image's name (`helpdesk-<name>`). */
  name: string;
  /** The process to start, relative to the service's folder. */
  entry: string;
  ports: Readonly<Partial<Record<ManifestPortName, ManifestPort>>>;
  /** Answers 200 once the service can serve. */
  readiness: { port: ManifestPortName; path: string };
  /** Its own PostgreSQL database (migrated from `prisma/migrations`), e.g. `mail_ingest`; none: no database. */
  database?: string;
  /**
   * Services that must be ready before this one starts. A gRPC peer (which reconnects) is no such dependency:
   * readiness says when the peers answer.
   */
  dependsOn: readonly string[];
  /** Event streams (libs/bus domains) it creates and publishes to, and those it consumes. */
  streams: { owns: readonly string[]; consumes: readonly string[] };
  /** gRPC peers: its variable → the service whose `grpc` port it calls (`TICKET_GRPC_URL: 'ticket'`). */
  peers: Readonly<Record<string, string>>;
  /** Secrets it reads: its variable → which secret. */
  secrets: Readonly<Record<string, ManifestSecret>>;
  /** Redis, when it uses one: the variables of the URL and of the key prefix that isolates a run. */
  redis?: { url: string; keyPrefix: string };
  /** Directories it writes to (its variable → a name); a launcher gives each a place of its own. */
  dataDirs?: Readonly<Record<string, string>>;
  /** Its zod schema over the environment (services/<name>/src/config.ts): the variables it reads. */
  configSchema: z.ZodObject;
  /** A script that seeds demo data into its database (run by `npm start`), with the schema of what it reads. */
  seed?: { entry: string; configSchema: z.ZodObject };
}

/** What a launcher knows when it wires a service: where every started service listens, and its own resources. */
export interface ManifestWiring {
  /** Per started service, the number of each of its ports. A peer that is not started is left unwired. */
  ports: Readonly<Record<string, Readonly<Partial<Record<ManifestPortName, number>>>>>;
  /** The host peers are reached on (default 127.0.0.1). */
  host?: string;
  databaseUrl?: string;
  secrets: Readonly<Partial<Record<ManifestSecret, string>>>;
  redis?: { url?: string; keyPrefix?: string };
  /** The directory given to each of the manifest's `dataDirs` variables. */
  dataDirs?: Readonly<Record<string, string>>;
  /**
   * Per service started as several processes, the ports of each (`ports` holds the first's): a peer with more
   * than one is wired as the list `ip:port,ip:port`, which its gRPC clients balance (libs/grpc `grpcTarget`).
   */
  replicas?: Readonly<Record<string, readonly Readonly<Partial<Record<ManifestPortName, number>>>[]>>;
}

/** The environment a launcher sets for a service from its manifest: its ports, database, peers, secrets and Redis. */
export function manifestEnv(manifest: ServiceManifest, wiring: ManifestWiring): Record<string, string> {
  const host = wiring.host ?? '127.0.0.1';
  const env: Record<string, string> = {};
  const own = wiring.ports[manifest.name] ?? {};
  for (const [name, port] of Object.entries(manifest.ports) as Array<[ManifestPortName, ManifestPort]>) {
    const value = own[name];
    if (value === undefined) throw new Error(`${manifest.name}: no number for its ${name} port`);
    env[port.env] = String(value);
  }
  if (manifest.database && wiring.databaseUrl) env.DATABASE_URL = wiring.databaseUrl;
  for (const [variable, peer] of Object.entries(manifest.peers)) {
    const replicas = (wiring.replicas?.[peer] ?? []).map((p) => p.grpc);
    const ports = replicas.length > 1 ? replicas : [wiring.ports[peer]?.grpc];
    if (ports.every((p) => p !== undefined)) env[variable] = ports.map((p) => `${host}:${p}`).join(',');
  }
  for (const [variable, secret] of Object.entries(manifest.secrets)) {
    const value = wiring.secrets[secret];
    if (value !== undefined) env[variable] = value;
  }
  if (manifest.redis) {
    if (wiring.redis?.url !== undefined) env[manifest.redis.url] = wiring.redis.url;
    if (wiring.redis?.keyPrefix !== undefined) env[manifest.redis.keyPrefix] = wiring.redis.keyPrefix;
  }
  for (const variable of Object.keys(manifest.dataDirs ?? {})) {
    const dir = wiring.dataDirs?.[variable];
    if (dir !== undefined) env[variable] = dir;
  }
  return env;
}

/** The URL that answers 200 once the service is ready, given the number of its readiness port. */
export function readinessUrl(
  manifest: ServiceManifest,
  ports: Readonly<Partial<Record<ManifestPortName, number>>>,
  host = '127.0.0.1',
): string {
  const port = ports[manifest.readiness.port];
  if (port === undefined)
    throw new Error(`${manifest.name}: no number for its ${manifest.readiness.port} port`);
  return `http://${host}:${port}${manifest.readiness.path}`;
}

/** Checks a list of manifests for what would break every launcher; answers the problems found. */
export function manifestProblems(manifests: readonly ServiceManifest[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const localVariables = new Map<string, string>();
  const databases = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const m of manifests) {
    if (names.has(m.name)) problems.push(`two services are named ${m.name}`);
    names.add(m.name);
    if (!m.ports[m.readiness.port])
      problems.push(`${m.name}: readiness on its ${m.readiness.port} port, which it has not`);
    for (const port of Object.values(m.ports)) {
      const other = localVariables.get(port.localVariable);
      if (other) problems.push(`${m.name} and ${other} share the local variable ${port.localVariable}`);
      localVariables.set(port.localVariable, m.name);
      if (!(port.env in m.configSchema.shape)) problems.push(`${m.name}: its schema reads no ${port.env}`);
    }
    if (m.database) {
      const other = databases.get(m.database);
      if (other) problems.push(`${m.name} and ${other} share the database ${m.database}`);
      databases.set(m.database, m.name);
      if (!('DATABASE_URL' in m.configSchema.shape))
        problems.push(`${m.name}: has a database but its schema reads no DATABASE_URL`);
    }
    for (const stream of m.streams.owns) {
      const other = owners.get(stream);
      if (other) problems.push(`${m.name} and ${other} both own the stream ${stream}`);
      owners.set(stream, m.name);
    }
    const variables = [
      ...Object.keys(m.peers),
      ...Object.keys(m.secrets),
      ...Object.keys(m.dataDirs ?? {}),
      ...(m.redis ? [m.redis.url, m.redis.keyPrefix] : []),
    ];
    for (const variable of variables) {
      if (!(variable in m.configSchema.shape)) problems.push(`${m.name}: its schema reads no ${variable}`);
    }
  }
  for (const m of manifests) {
    for (const dep of m.dependsOn)
      if (!names.has(dep)) problems.push(`${m.name} depends on unknown service ${dep}`);
    for (const [variable, peer] of Object.entries(m.peers)) {
      const target = manifests.find((t) => t.name === peer);
      if (!target) problems.push(`${m.name}: ${variable} names unknown service ${peer}`);
      else if (!target.ports.grpc)
        problems.push(`${m.name}: ${variable} names ${peer}, which has no grpc port`);
    }
    for (const stream of m.streams.consumes) {
      if (!owners.has(stream))
        problems.push(`${m.name} consumes the stream ${stream}, which no service owns`);
    }
  }
  return problems;
}
