// Boots the platform for a system test: identity, ticket, timekeeping, sla and gateway as separate processes against the real
// PostgreSQL, NATS and Redis, in databases, a stream prefix, ports and Redis keys of their own.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  NATS_URL,
  createTestDatabase,
  freePort,
  startOtlpCollector,
  startProcess,
  uniquePrefix,
  waitForHttp,
  type OtlpCollector,
  type ServiceProcess,
  type TestDatabase,
  deletePrefixedStreams,
} from '@helpdesk/testing';

export interface ApiOptions {
  token?: string;
  body?: unknown;
  /** A body sent as it is (JSON unless `headers` name another content-type). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ApiReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
  body: any;
  /** The raw answer, e.g. to prove a secret never appears in it. */
  text: string;
  headers: Headers;
}

export interface TenantSession {
  email: string;
  password: string;
  token: string;
  tenantId: string;
  /** The tenant's first admin (the signed-in user of `token`). */
  adminId: string;
}

export interface TestPlatform {
  /** `http://127.0.0.1:<gateway port>` */
  base: string;
  /** The BUS_PREFIX of this run: subjects `<prefix>.helpdesk.…`, streams `<prefix>_…`. */
  prefix: string;
  operatorToken: string;
  collector: OtlpCollector;
  identityDb: TestDatabase;
  ticketDb: TestDatabase;
  timekeepingDb: TestDatabase;
  slaDb: TestDatabase;
  mailDb: TestDatabase;
  notificationDb: TestDatabase;
  /** The services' ports (health URLs, direct gRPC in tests). */
  ports: Record<'identityGrpc' | 'identityHealth' | 'ticketGrpc' | 'ticketHealth' | 'mailGrpc' | 'mailHealth' | 'notificationGrpc' | 'notificationHealth' | 'gateway', number>;
  procs: Record<string, ServiceProcess>;
  /** The environment every service process shares (NATS, prefix, telemetry, secrets). */
  commonEnv(): Record<string, string>;
  /** (Re)starts the ticket service on its ports with extra environment and waits until it is ready. */
  startTicket(extra?: Record<string, string>): Promise<void>;
  /** (Re)starts the timekeeping service on its ports and waits until it is ready. */
  startTimekeeping(extra?: Record<string, string>): Promise<void>;
  /** (Re)starts mail-ingest on its ports with extra environment and waits until it is ready. */
  startMailIngest(extra?: Record<string, string>): Promise<void>;
  api(method: string, path: string, opts?: ApiOptions): Promise<ApiReply>;
  /** POSTs one file as multipart/form-data in the field `file`. */
  upload(path: string, token: string, file: { name: string; type: string; content: Buffer }): Promise<ApiReply>;
  /** GETs a file; the body as bytes. */
  download(path: string, token: string): Promise<{ status: number; body: Buffer; headers: Headers }>;
  /** Creates a tenant through the operator API; answers its first admin's credentials. */
  createTenant(name: string): Promise<{ email: string; password: string; tenantId: string; adminId: string }>;
  login(email: string, password: string): Promise<string>;
  createTenantAndLogin(name: string): Promise<TenantSession>;
  /** The last lines each process printed, for a failing test's report. */
  outputs(): string;
  /** Stops the processes, deletes the run's streams, drops its databases. */
  stop(): Promise<void>;
}

export async function startTestPlatform(
  options: {
    label?: string;
    mailEnv?: Record<string, string>;
    notificationEnv?: Record<string, string>;
    ticketEnv?: Record<string, string>;
    gatewayEnv?: Record<string, string>;
  } = {},
): Promise<TestPlatform> {
  const prefix = uniquePrefix(options.label ?? 'sys');
  const operatorToken = randomBytes(24).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const procs: Record<string, ServiceProcess> = {};

  const mailSecretKey = randomBytes(32).toString('base64');
  const messageIdSecret = randomBytes(32).toString('hex');
  const [identityDb, ticketDb, timekeepingDb, slaDb, collector, blobDir, mailDb, notificationDb] = await Promise.all([
    createTestDatabase('identity'),
    createTestDatabase('ticket'),
    createTestDatabase('timekeeping'),
    createTestDatabase('sla'),
    startOtlpCollector(),
    mkdtemp(path.join(tmpdir(), 'hd-sys-blobs-')),
    createTestDatabase('mail-ingest'),
    createTestDatabase('notification'),
  ]);
  const ports = {
    identityGrpc: await freePort(),
    identityHealth: await freePort(),
    ticketGrpc: await freePort(),
    ticketHealth: await freePort(),
    timekeepingGrpc: await freePort(),
    timekeepingHealth: await freePort(),
    slaGrpc: await freePort(),
    slaHealth: await freePort(),
    mailGrpc: await freePort(),
    mailHealth: await freePort(),
    notificationGrpc: await freePort(),
    notificationHealth: await freePort(),
    gateway: await freePort(),
  };
  const base = `http://127.0.0.1:${ports.gateway}`;

  const commonEnv = (): Record<string, string> => ({
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    HELPDESK_JWT_SECRET: jwtSecret,
    HELPDESK_OPERATOR_TOKEN: operatorToken,
  });

  const startTicket = async (extra: Record<string, string> = {}): Promise<void> => {
    procs.ticket = startProcess('ticket', 'services/ticket/src/main.ts', {
      ...commonEnv(),
      DATABASE_URL: ticketDb.url,
      BLOB_DIR: blobDir,
      GRPC_PORT: String(ports.ticketGrpc),
      HEALTH_PORT: String(ports.ticketHealth),
      ...extra,
    });
    await waitForHttp(`http://127.0.0.1:${ports.ticketHealth}/readyz`);
  };

  const startTimekeeping = async (extra: Record<string, string> = {}): Promise<void> => {
    procs.timekeeping = startProcess('timekeeping', 'services/timekeeping/src/main.ts', {
      ...commonEnv(),
      DATABASE_URL: timekeepingDb.url,
      GRPC_PORT: String(ports.timekeepingGrpc),
      HEALTH_PORT: String(ports.timekeepingHealth),
      ...extra,
    });
    await waitForHttp(`http://127.0.0.1:${ports.timekeepingHealth}/readyz`);
  };

  const startMailIngest = async (extra: Record<string, string> = {}): Promise<void> => {
    procs.mail = startProcess('mail-ingest', 'services/mail-ingest/src/main.ts', {
      ...commonEnv(),
      DATABASE_URL: mailDb.url,
      GRPC_PORT: String(ports.mailGrpc),
      HEALTH_PORT: String(ports.mailHealth),
      TICKET_GRPC_URL: `127.0.0.1:${ports.ticketGrpc}`,
      MAIL_SECRET_KEY: mailSecretKey,
      MAIL_MESSAGE_ID_SECRET: messageIdSecret,
      MAIL_RETRY_BASE_MS: '200',
      ...options.mailEnv,
      ...extra,
    });
    await waitForHttp(`http://127.0.0.1:${ports.mailHealth}/readyz`);
  };

  const api = async (method: string, path: string, opts: ApiOptions = {}): Promise<ApiReply> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | Buffer | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body, text, headers: res.headers };
  };

  const upload = async (path: string, token: string, file: { name: string; type: string; content: Buffer }): Promise<ApiReply> => {
    const form = new FormData();
    form.append('file', new Blob([file.content], { type: file.type }), file.name);
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body, text, headers: res.headers };
  };

  const download = async (path: string, token: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  };

  const createTenant = async (name: string) => {
    const email = `admin-${randomBytes(4).toString('hex')}@${name.toLowerCase().replace(/\W/g, '')}.example`;
    const password = 'correct horse battery staple';
    const res = await api('POST', '/api/v1/tenants', {
      token: operatorToken,
      body: { name, timezone: 'Europe/Berlin', admin: { email, name: `${name} Admin`, password } },
    });
    if (res.status !== 201) throw new Error(`creating tenant ${name} answered ${res.status}: ${res.text}`);
    return { email, password, tenantId: res.body.tenant.id as string, adminId: res.body.admin.id as string };
  };

  const login = async (email: string, password: string): Promise<string> => {
    const res = await api('POST', '/api/v1/auth/login', { body: { email, password } });
    if (res.status !== 200 || res.body?.user?.email !== email) {
      throw new Error(`signing in ${email} answered ${res.status}: ${res.text}`);
    }
    return res.body.token as string;
  };

  const stop = async (): Promise<void> => {
    await Promise.all(Object.values(procs).map((p) => p.stop()));
    await deletePrefixedStreams(prefix).catch(() => undefined);
    await Promise.all([
      identityDb.drop(),
      ticketDb.drop(),
      timekeepingDb.drop(),
      slaDb.drop(),
      mailDb.drop(),
      notificationDb.drop(),
      collector.close(),
      rm(blobDir, { recursive: true, force: true }),
    ]);
  };

  try {
    procs.identity = startProcess('identity', 'services/identity/src/main.ts', {
      ...commonEnv(),
      DATABASE_URL: identityDb.url,
      GRPC_PORT: String(ports.identityGrpc),
      HEALTH_PORT: String(ports.identityHealth),
    });
    procs.sla = startProcess('sla', 'services/sla/src/main.ts', {
      ...commonEnv(),
      DATABASE_URL: slaDb.url,
      GRPC_PORT: String(ports.slaGrpc),
      HEALTH_PORT: String(ports.slaHealth),
    });
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${ports.identityHealth}/readyz`),
      startTicket(options.ticketEnv),
      startTimekeeping(),
      waitForHttp(`http://127.0.0.1:${ports.slaHealth}/readyz`),
    ]);

    await startMailIngest();
    procs.notification = startProcess('notification', 'services/notification/src/main.ts', {
      ...commonEnv(),
      DATABASE_URL: notificationDb.url,
      GRPC_PORT: String(ports.notificationGrpc),
      HEALTH_PORT: String(ports.notificationHealth),
      TICKET_GRPC_URL: `127.0.0.1:${ports.ticketGrpc}`,
      MAIL_GRPC_URL: `127.0.0.1:${ports.mailGrpc}`,
      MAIL_MESSAGE_ID_SECRET: messageIdSecret,
      SMTP_RETRY_BASE_MS: '200',
      ...options.notificationEnv,
    });
    await waitForHttp(`http://127.0.0.1:${ports.notificationHealth}/readyz`);
    procs.gateway = startProcess('gateway', 'services/gateway/src/main.ts', {
      ...commonEnv(),
      PORT: String(ports.gateway),
      HOST: '127.0.0.1',
      IDENTITY_GRPC_URL: `127.0.0.1:${ports.identityGrpc}`,
      TICKET_GRPC_URL: `127.0.0.1:${ports.ticketGrpc}`,
      TIMEKEEPING_GRPC_URL: `127.0.0.1:${ports.timekeepingGrpc}`,
      SLA_GRPC_URL: `127.0.0.1:${ports.slaGrpc}`,
      MAIL_GRPC_URL: `127.0.0.1:${ports.mailGrpc}`,
      NOTIFICATION_GRPC_URL: `127.0.0.1:${ports.notificationGrpc}`,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOGIN_RATE_LIMIT_MAX: '5',
      // a test may speak from other client addresses (X-Forwarded-For); without the header it is 127.0.0.1
      TRUST_PROXY: 'loopback',
      // argon2id sign-ups and sign-ins on two busy cores can take seconds: a slow answer is not what these tests test
      GRPC_DEADLINE_MS: '20000',
      ...options.gatewayEnv,
    });
    await waitForHttp(`${base}/readyz`);
  } catch (err) {
    // leave nothing running or lying around when the boot fails
    await stop().catch(() => undefined);
    throw err;
  }

  return {
    base,
    prefix,
    operatorToken,
    collector,
    identityDb,
    ticketDb,
    timekeepingDb,
    slaDb,
    mailDb,
    notificationDb,
    ports,
    procs,
    commonEnv,
    startTicket,
    startTimekeeping,
    startMailIngest,
    api,
    upload,
    download,
    createTenant,
    login,
    createTenantAndLogin: async (name) => {
      const admin = await createTenant(name);
      return { ...admin, token: await login(admin.email, admin.password) };
    },
    outputs: () =>
      Object.values(procs)
        .map((p) => `--- ${p.name}\n${p.output().slice(-4000)}`)
        .join('\n'),
    stop,
  };
}

/** Registers an afterEach that prints the services' last output next to a failed assertion. */
export function printOutputsOnFailure(platform: () => TestPlatform | undefined): void {
  afterEach(() => {
    const state = expect.getState();
    const current = platform();
    if (current && state.assertionCalls > 0 && state.suppressedErrors.length > 0) console.error(current.outputs());
  });
}
