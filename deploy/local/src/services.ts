import path from 'node:path';
import type { LocalConfig } from './config';

/** What a service's environment is built from. */
export interface ServiceContext {
  config: LocalConfig;
  infra: { postgresUrl: string; natsUrl: string; redisUrl: string };
  secrets: { jwtSecret: string; operatorToken: string; mailSecretKey: string; messageIdSecret: string };
  /** The URL of this service's own database (set when the spec names a `database`). */
  databaseUrl?: string;
}

export interface ServicePort {
  port: number;
  /** The runner's variable that moves it (for the "port is taken" message). */
  variable: string;
}

/** One entry per service: adding a service to the local platform is adding one of these. */
export interface ServiceSpec {
  name: string;
  /** Relative to the repository root. */
  dir: string;
  /** Relative to `dir`. */
  entry: string;
  /** Its database is `<HELPDESK_DB_PREFIX>_<database>`, created and migrated before it starts. */
  database?: string;
  dependsOn: string[];
  ports(config: LocalConfig): ServicePort[];
  /** Its own variables; the common ones (NATS, secrets, logging, tracing) are added by {@link serviceEnv}. */
  env(ctx: ServiceContext): Record<string, string | undefined>;
  /** Answers 200 once it can serve. */
  readyUrl(config: LocalConfig): string;
}

const local = (port: number) => `127.0.0.1:${port}`;

export const SERVICES: ServiceSpec[] = [
  {
    name: 'identity',
    dir: 'services/identity',
    entry: 'src/main.ts',
    database: 'identity',
    dependsOn: [],
    ports: (c) => [
      { port: c.ports.identityGrpc, variable: 'IDENTITY_GRPC_PORT' },
      { port: c.ports.identityHealth, variable: 'IDENTITY_HEALTH_PORT' },
    ],
    env: (ctx) => ({
      DATABASE_URL: ctx.databaseUrl,
      GRPC_PORT: String(ctx.config.ports.identityGrpc),
      HEALTH_PORT: String(ctx.config.ports.identityHealth),
    }),
    readyUrl: (c) => `http://${local(c.ports.identityHealth)}/readyz`,
  },
  {
    name: 'ticket',
    dir: 'services/ticket',
    entry: 'src/main.ts',
    database: 'ticket',
    dependsOn: [],
    ports: (c) => [
      { port: c.ports.ticketGrpc, variable: 'TICKET_GRPC_PORT' },
      { port: c.ports.ticketHealth, variable: 'TICKET_HEALTH_PORT' },
    ],
    env: (ctx) => ({
      DATABASE_URL: ctx.databaseUrl,
      GRPC_PORT: String(ctx.config.ports.ticketGrpc),
      HEALTH_PORT: String(ctx.config.ports.ticketHealth),
      // attachments on this machine, beside the private servers' data
      BLOB_DIR: path.join(ctx.config.localDir, 'blobs'),
    }),
    readyUrl: (c) => `http://${local(c.ports.ticketHealth)}/readyz`,
  },
  {
    name: 'timekeeping',
    dir: 'services/timekeeping',
    entry: 'src/main.ts',
    database: 'timekeeping',
    dependsOn: [],
    ports: (c) => [
      { port: c.ports.timekeepingGrpc, variable: 'TIMEKEEPING_GRPC_PORT' },
      { port: c.ports.timekeepingHealth, variable: 'TIMEKEEPING_HEALTH_PORT' },
    ],
    env: (ctx) => ({
      DATABASE_URL: ctx.databaseUrl,
      GRPC_PORT: String(ctx.config.ports.timekeepingGrpc),
      HEALTH_PORT: String(ctx.config.ports.timekeepingHealth),
    }),
    readyUrl: (c) => `http://${local(c.ports.timekeepingHealth)}/readyz`,
  },
  {
    name: 'sla',
    dir: 'services/sla',
    entry: 'src/main.ts',
    database: 'sla',
    dependsOn: [],
    ports: (c) => [
      { port: c.ports.slaGrpc, variable: 'SLA_GRPC_PORT' },
      { port: c.ports.slaHealth, variable: 'SLA_HEALTH_PORT' },
    ],
    env: (ctx) => ({
      DATABASE_URL: ctx.databaseUrl,
      GRPC_PORT: String(ctx.config.ports.slaGrpc),
      HEALTH_PORT: String(ctx.config.ports.slaHealth),
    }),
    readyUrl: (c) => `http://${local(c.ports.slaHealth)}/readyz`,
  },
  {
    name: 'mail-ingest',
    dir: 'services/mail-ingest',
    entry: 'src/main.ts',
    database: 'mail_ingest',
    dependsOn: ['ticket'],
    ports: (c) => [
      { port: c.ports.mailGrpc, variable: 'MAIL_GRPC_PORT' },
      { port: c.ports.mailHealth, variable: 'MAIL_HEALTH_PORT' },
    ],
    env: (ctx) => ({
      DATABASE_URL: ctx.databaseUrl,
      GRPC_PORT: String(ctx.config.ports.mailGrpc),
      HEALTH_PORT: String(ctx.config.ports.mailHealth),
      TICKET_GRPC_URL: local(ctx.config.ports.ticketGrpc),
      MAIL_SECRET_KEY: ctx.secrets.mailSecretKey,
      MAIL_MESSAGE_ID_SECRET: ctx.secrets.messageIdSecret,
    }),
    readyUrl: (c) => `http://${local(c.ports.mailHealth)}/readyz`,
  },
  {
    name: 'notification',
    dir: 'services/notification',
    entry: 'src/main.ts',
    database: 'notification',
    dependsOn: ['ticket', 'mail-ingest'],
    ports: (c) => [
      { port: c.ports.notificationGrpc, variable: 'NOTIFICATION_GRPC_PORT' },
      { port: c.ports.notificationHealth, variable: 'NOTIFICATION_HEALTH_PORT' },
    ],
    env: (ctx) => ({
      DATABASE_URL: ctx.databaseUrl,
      GRPC_PORT: String(ctx.config.ports.notificationGrpc),
      HEALTH_PORT: String(ctx.config.ports.notificationHealth),
      TICKET_GRPC_URL: local(ctx.config.ports.ticketGrpc),
      MAIL_GRPC_URL: local(ctx.config.ports.mailGrpc),
      MAIL_MESSAGE_ID_SECRET: ctx.secrets.messageIdSecret,
    }),
    readyUrl: (c) => `http://${local(c.ports.notificationHealth)}/readyz`,
  },
  {
    name: 'gateway',
    dir: 'services/gateway',
    entry: 'src/main.ts',
    dependsOn: ['identity', 'ticket', 'timekeeping', 'sla', 'mail-ingest', 'notification'],
    ports: (c) => [{ port: c.ports.gateway, variable: 'PORT' }],
    env: (ctx) => ({
      PORT: String(ctx.config.ports.gateway),
      IDENTITY_GRPC_URL: local(ctx.config.ports.identityGrpc),
      TICKET_GRPC_URL: local(ctx.config.ports.ticketGrpc),
      TIMEKEEPING_GRPC_URL: local(ctx.config.ports.timekeepingGrpc),
      SLA_GRPC_URL: local(ctx.config.ports.slaGrpc),
      MAIL_GRPC_URL: local(ctx.config.ports.mailGrpc),
      NOTIFICATION_GRPC_URL: local(ctx.config.ports.notificationGrpc),
      REDIS_URL: ctx.infra.redisUrl,
      REDIS_KEY_PREFIX: ctx.config.redisKeyPrefix,
    }),
    readyUrl: (c) => `http://${local(c.ports.gateway)}/readyz`,
  },
];

/** The database name of a service: `<prefix>_<database>`. */
export function databaseNameFor(prefix: string, database: string): string {
  return `${prefix}_${database}`;
}

/** The full environment of a service's process: inherited basics, the common variables, its own. */
export function serviceEnv(spec: ServiceSpec, ctx: ServiceContext): Record<string, string> {
  const merged: Record<string, string | undefined> = {
    ...ctx.config.baseEnv,
    NATS_URL: ctx.infra.natsUrl,
    BUS_PREFIX: ctx.config.busPrefix,
    LOG_LEVEL: ctx.config.logLevel,
    HELPDESK_JWT_SECRET: ctx.secrets.jwtSecret,
    HELPDESK_OPERATOR_TOKEN: ctx.secrets.operatorToken,
    OTEL_EXPORTER_OTLP_ENDPOINT: ctx.config.otlpEndpoint,
    ...spec.env(ctx),
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
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
    if (seen === 'visiting') throw new Error(`services depend on each other in a cycle: ${[...path, spec.name].join(' → ')}`);
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
