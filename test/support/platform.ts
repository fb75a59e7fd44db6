// Boots the platform for a system test: every service of services/manifests.ts as a separate process against the real
// PostgreSQL, NATS and Redis, in databases, a stream prefix, ports, directories and Redis keys of their own.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manifestEnv, readinessUrl, startTcpBalancer, type ManifestSecret } from '@helpdesk/platform';
import {
  NATS_URL,
  createTestDatabase,
  freePortsFor,
  startAfterPeers,
  startOtlpCollector,
  startProcess,
  uniquePrefix,
  waitForHttp,
  type OtlpCollector,
  type ServicePorts,
  type ServiceProcess,
  type TestDatabase,
  deletePrefixedStreams,
} from '@helpdesk/testing';
import { SERVICE_MANIFESTS, manifestOf } from '../../services/manifests';

// What the system tests change from a service's defaults: quick retries, a loopback-only gateway with the limits
// the tests exercise. Anything else comes from the manifests.
const TEST_ENV: Readonly<Record<string, Record<string, string>>> = {
  'mail-ingest': { MAIL_RETRY_BASE_MS: '200' },
  notification: { SMTP_RETRY_BASE_MS: '200' },
  gateway: {
    HOST: '127.0.0.1',
    LOGIN_RATE_LIMIT_MAX: '5',
    // a test may speak from other client addresses (X-Forwarded-For); without the header it is 127.0.0.1
    TRUST_PROXY: 'loopback',
    // argon2id sign-ups and sign-ins on two busy cores can take seconds: a slow answer is not what these tests test
    GRPC_DEADLINE_MS: '20000',
  },
};

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
  /** Per service with a database, its database of this run. */
  databases: Record<string, TestDatabase>;
  /** The database of `service`; throws for a service without one. */
  db(service: string): TestDatabase;
  /** Per service, its ports (health URLs, direct gRPC in tests): `ports['mail-ingest'].health`. */
  ports: ServicePorts;
  /** The running processes by service name. */
  procs: Record<string, ServiceProcess>;
  /** The environment every service process shares (NATS, prefix, telemetry, secrets). */
  commonEnv(): Record<string, string>;
  /**
   * (Re)starts a service on its ports with extra environment and waits until it is ready; `ticket.2` is the
   * second process of a service started with replicas.
   */
  startService(name: string, extra?: Record<string, string>): Promise<void>;
  /** Per service, the names of its processes in `procs` (`['ticket', 'ticket.2']`). */
  processNames: Record<string, string[]>;
  api(method: string, path: string, opts?: ApiOptions): Promise<ApiReply>;
  /** POSTs one file as multipart/form-data in the field `file`. */
  upload(
    path: string,
    token: string,
    file: { name: string; type: string; content: Buffer },
  ): Promise<ApiReply>;
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
    /** Per service name, environment on top of its wiring (`{ 'mail-ingest': { IMAP_RESYNC_SECONDS: '2' } }`). */
    env?: Readonly<Record<string, Record<string, string>>>;
    /**
     * Processes per service (default 1), as `HELPDESK_REPLICAS` gives them under `npm start`: each on ports of
     * its own, peers wired to the list, several gateways behind one balanced port (libs/platform startTcpBalancer).
     */
    replicas?: Readonly<Record<string, number>>;
  } = {},
): Promise<TestPlatform> {
  for (const name of Object.keys(options.env ?? {})) manifestOf(name);
  const prefix = uniquePrefix(options.label ?? 'sys');
  const operatorToken = randomBytes(24).toString('hex');
  const jwtSecret = randomBytes(32).toString('hex');
  const secrets: Record<ManifestSecret, string> = {
    jwtSecret,
    operatorToken,
    mailSecretKey: randomBytes(32).toString('base64'),
    messageIdSecret: randomBytes(32).toString('hex'),
  };
  const procs: Record<string, ServiceProcess> = {};
  const databases: Record<string, TestDatabase> = {};
  const dataDirs: Record<string, Record<string, string>> = {};

  const withDatabase = SERVICE_MANIFESTS.filter((m) => m.database);
  const [created, collector, dirs] = await Promise.all([
    Promise.all(withDatabase.map((m) => createTestDatabase(m.name))),
    startOtlpCollector(),
    Promise.all(
      SERVICE_MANIFESTS.flatMap((m) =>
        Object.entries(m.dataDirs ?? {}).map(async ([variable, dir]) => ({
          service: m.name,
          variable,
          path: await mkdtemp(path.join(tmpdir(), `hd-sys-${dir}-`)),
        })),
      ),
    ),
  ]);
  withDatabase.forEach((m, i) => (databases[m.name] = created[i]!));
  for (const d of dirs) (dataDirs[d.service] ??= {})[d.variable] = d.path;
  const ports = await freePortsFor(SERVICE_MANIFESTS);
  const base = `http://127.0.0.1:${ports.gateway!.http}`;
  // the ports of every process: the first one's are `ports`, but behind a balancer each gateway has its own
  const processPorts: Record<string, ServicePorts> = {};
  const processNames: Record<string, string[]> = {};
  for (const m of SERVICE_MANIFESTS) {
    const n = options.replicas?.[m.name] ?? 1;
    processNames[m.name] = [];
    for (let k = 1; k <= n; k++) {
      const name = k === 1 ? m.name : `${m.name}.${k}`;
      processNames[m.name]!.push(name);
      const own = k === 1 ? { ...ports[m.name] } : (await freePortsFor([m]))[m.name]!;
      if (k === 1 && n > 1 && own.http !== undefined) own.http = (await freePortsFor([m]))[m.name]!.http;
      processPorts[name] = { ...ports, [m.name]: own };
    }
  }
  const replicas = Object.fromEntries(
    Object.entries(processNames)
      .filter(([, names]) => names.length > 1)
      .map(([service, names]) => [service, names.map((n) => processPorts[n]![service]!)]),
  );
  const gateways = processNames.gateway!;
  const balancer =
    gateways.length > 1
      ? await startTcpBalancer({
          host: '127.0.0.1',
          port: ports.gateway!.http!,
          targets: gateways.map((n) => processPorts[n]!.gateway!.http!),
        })
      : undefined;

  const commonEnv = (): Record<string, string> => ({
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    HELPDESK_JWT_SECRET: jwtSecret,
    HELPDESK_OPERATOR_TOKEN: operatorToken,
  });

  const startService = async (name: string, extra: Record<string, string> = {}): Promise<void> => {
    const service = name.replace(/\.\d+$/, '');
    const manifest = manifestOf(service);
    const own = processPorts[name];
    if (!own) throw new Error(`no process ${name} (${processNames[service]?.join(', ')})`);
    procs[name] = startProcess(name, `services/${service}/${manifest.entry}`, {
      ...commonEnv(),
      ...manifestEnv(manifest, {
        ports: own,
        replicas,
        databaseUrl: databases[service]?.url,
        secrets,
        redis: { keyPrefix: `${prefix}:` },
        dataDirs: dataDirs[service],
      }),
      ...TEST_ENV[service],
      ...options.env?.[service],
      ...extra,
    });
    // Generous: on 2 busy cores a service's tsx compile and consumer attach can take a minute; an exit fails at once.
    await waitForHttp(readinessUrl(manifest, own[service]!), 150_000, procs[name]);
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

  const upload = async (
    path: string,
    token: string,
    file: { name: string; type: string; content: Buffer },
  ): Promise<ApiReply> => {
    const form = new FormData();
    form.append('file', new Blob([file.content], { type: file.type }), file.name);
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
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
    await balancer?.close();
    await Promise.all(Object.values(procs).map((p) => p.stop()));
    await deletePrefixedStreams(prefix).catch(() => undefined);
    await Promise.all([
      ...Object.values(databases).map((db) => db.drop()),
      collector.close(),
      ...dirs.map((d) => rm(d.path, { recursive: true, force: true })),
    ]);
  };

  try {
    // each service once the peers it calls are ready (the gateway last), the others side by side
    await startAfterPeers(SERVICE_MANIFESTS, async (m) => {
      await Promise.all(processNames[m.name]!.map((n) => startService(n)));
    });
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
    databases,
    db: (service) => {
      const db = databases[service];
      if (!db) throw new Error(`${service} has no database`);
      return db;
    },
    ports,
    procs,
    processNames,
    commonEnv,
    startService,
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
    if (current && state.assertionCalls > 0 && state.suppressedErrors.length > 0)
      console.error(current.outputs());
  });
}
