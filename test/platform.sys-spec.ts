// The first vertical slice, driven like a user: the platform's services run as separate processes
// against the real PostgreSQL, NATS and Redis; each run has its own databases, stream prefix and ports.
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
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
} from '@helpdesk/testing';

interface Envelope {
  id: string;
  type: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  traceparent?: string;
  data: { ticket?: { id: string; number: number | string; title: string } };
}
interface Received {
  envelope: Envelope;
  msgId: string | undefined;
}

const prefix = uniquePrefix('sys');
const operatorToken = randomBytes(24).toString('hex');
const jwtSecret = randomBytes(32).toString('hex');

let identityDb: TestDatabase;
let ticketDb: TestDatabase;
let collector: OtlpCollector;
let nc: NatsConnection;
let sub: Subscription;
const received: Received[] = [];
const procs: Record<string, ServiceProcess> = {};
let base = '';
let ports: Record<string, number>;

function commonEnv(): Record<string, string> {
  return {
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    HELPDESK_JWT_SECRET: jwtSecret,
    HELPDESK_OPERATOR_TOKEN: operatorToken,
  };
}

async function startTicket(extra: Record<string, string> = {}): Promise<void> {
  procs.ticket = startProcess('ticket', 'services/ticket/src/main.ts', {
    ...commonEnv(),
    DATABASE_URL: ticketDb.url,
    GRPC_PORT: String(ports.ticketGrpc),
    HEALTH_PORT: String(ports.ticketHealth),
    ...extra,
  });
  await waitForHttp(`http://127.0.0.1:${ports.ticketHealth}/readyz`);
}

async function api(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body, headers: res.headers };
}

async function eventually<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function eventsFor(ticketId: string): Received[] {
  return received.filter((r) => r.envelope.data.ticket?.id === ticketId);
}

async function createTenant(name: string): Promise<{ email: string; password: string }> {
  const email = `admin-${randomBytes(4).toString('hex')}@${name.toLowerCase().replace(/\W/g, '')}.example`;
  const password = 'correct horse battery staple';
  const res = await api('POST', '/api/v1/tenants', {
    token: operatorToken,
    body: { name, timezone: 'Europe/Berlin', admin: { email, name: `${name} Admin`, password } },
  });
  expect(res.status).toBe(201);
  return { email, password };
}

async function login(email: string, password: string): Promise<string> {
  const res = await api('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(res.status).toBe(200);
  expect(res.body.user.email).toBe(email);
  return res.body.token as string;
}

beforeAll(async () => {
  [identityDb, ticketDb, collector] = await Promise.all([
    createTestDatabase('identity'),
    createTestDatabase('ticket'),
    startOtlpCollector(),
  ]);
  ports = {
    identityGrpc: await freePort(),
    identityHealth: await freePort(),
    ticketGrpc: await freePort(),
    ticketHealth: await freePort(),
    gateway: await freePort(),
  };
  base = `http://127.0.0.1:${ports.gateway}`;

  nc = await connect({ servers: NATS_URL });
  sub = nc.subscribe(`${prefix}.helpdesk.ticket.>`);
  void (async () => {
    for await (const m of sub) {
      received.push({ envelope: JSON.parse(new TextDecoder().decode(m.data)), msgId: m.headers?.get('Nats-Msg-Id') });
    }
  })();

  procs.identity = startProcess('identity', 'services/identity/src/main.ts', {
    ...commonEnv(),
    DATABASE_URL: identityDb.url,
    GRPC_PORT: String(ports.identityGrpc),
    HEALTH_PORT: String(ports.identityHealth),
  });
  await Promise.all([waitForHttp(`http://127.0.0.1:${ports.identityHealth}/readyz`), startTicket()]);
  procs.gateway = startProcess('gateway', 'services/gateway/src/main.ts', {
    ...commonEnv(),
    PORT: String(ports.gateway),
    HOST: '127.0.0.1',
    IDENTITY_GRPC_URL: `127.0.0.1:${ports.identityGrpc}`,
    TICKET_GRPC_URL: `127.0.0.1:${ports.ticketGrpc}`,
    REDIS_KEY_PREFIX: `${prefix}:`,
    LOGIN_RATE_LIMIT_MAX: '5',
  });
  await waitForHttp(`${base}/readyz`);
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(procs).map((p) => p.stop()));
  await sub?.drain();
  if (nc) {
    const jsm = await nc.jetstreamManager();
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${prefix}_`)) await jsm.streams.delete(info.config.name);
    }
    await nc.close();
  }
  await Promise.all([identityDb?.drop(), ticketDb?.drop(), collector?.close()]);
}, 60_000);

// Prints a failing service's own words next to the assertion.
afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls > 0 && state.suppressedErrors.length > 0) {
    for (const p of Object.values(procs)) console.error(`--- ${p.name}\n${p.output().slice(-4000)}`);
  }
});

let tenantA: { email: string; password: string };
let tokenA = '';
let tokenB = '';

describe('platform slice: sign in, create a ticket, see its event and trace', () => {
  let ticketId = '';

  it('lets only the platform operator create tenants', async () => {
    tenantA = await createTenant('Acme MSP');
    const tenantB = await createTenant('Other MSP');
    tokenA = await login(tenantA.email, tenantA.password);
    tokenB = await login(tenantB.email, tenantB.password);
    const asAdmin = await api('POST', '/api/v1/tenants', {
      token: tokenA,
      body: { name: 'Sneaky', admin: { email: 'x@sneaky.example', name: 'X', password: 'long enough pw' } },
    });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.error.code).toBeTruthy();
  });

  it('answers /me for the signed-in agent', async () => {
    const me = await api('GET', '/api/v1/me', { token: tokenA });
    expect(me.status).toBe(200);
    expect(me.body.email ?? me.body.user?.email).toBe(tenantA.email);
  });

  it('creates, reads and lists a ticket, numbered from 1001', async () => {
    const created = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body: {
        title: 'Printer on floor 2 is offline',
        description: '<p>It says <b>PC LOAD LETTER</b></p><script>alert(1)</script>',
        priority: 'high',
        requester: { email: 'Jane.Doe@customer.example', name: 'Jane Doe' },
      },
    });
    expect(created.status).toBe(201);
    ticketId = created.body.id;
    expect(Number(created.body.number)).toBe(1001);
    expect(created.body.status).toBe('open');
    expect(created.body.description).not.toContain('<script>');

    const read = await api('GET', `/api/v1/tickets/${ticketId}`, { token: tokenA });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: ticketId, title: 'Printer on floor 2 is offline', priority: 'high' });

    const list = await api('GET', '/api/v1/tickets?limit=10', { token: tokenA });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(ticketId);
    expect(list.body).toHaveProperty('nextCursor');
  });

  it('publishes helpdesk.ticket.created on NATS in the SPEC envelope', async () => {
    const [event] = await eventually('ticket.created event', () => (eventsFor(ticketId).length ? eventsFor(ticketId) : undefined));
    expect(event!.envelope).toMatchObject({ type: 'helpdesk.ticket.created', version: 1 });
    expect(event!.envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event!.msgId).toBe(event!.envelope.id);
    expect(new Date(event!.envelope.occurredAt).toString()).not.toBe('Invalid Date');
    expect(event!.envelope.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('records one trace across the gateway, the ticket gRPC handler and the publish', async () => {
    const [event] = eventsFor(ticketId);
    const traceId = event!.envelope.traceparent!.split('-')[1]!;
    // SpanKind: 2 = SERVER, 3 = CLIENT, 4 = PRODUCER.
    const spans = await eventually(
      'spans of the create trace',
      () => {
        const inTrace = collector.spans().filter((s) => s.traceId === traceId);
        const gatewayServer = inTrace.some((s) => s.service === 'gateway' && s.kind === 2);
        const ticketHandler = inTrace.some((s) => s.service === 'ticket' && s.kind === 2 && /CreateTicket/.test(s.name));
        const publish = inTrace.some((s) => s.kind === 4 && /^publish .*helpdesk\.ticket\.created$/.test(s.name));
        return gatewayServer && ticketHandler && publish ? inTrace : undefined;
      },
      20_000,
    );
    // One tree: every span but the gateway's entry span has its parent inside the same trace.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'gateway', kind: 2 });
  });

  it("answers 404 for another tenant's ticket", async () => {
    const res = await api('GET', `/api/v1/tickets/${ticketId}`, { token: tokenB });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    const list = await api('GET', '/api/v1/tickets', { token: tokenB });
    expect(list.body.items).toEqual([]);
  });

  it('answers 400 with a reason for a bad body', async () => {
    const missing = await api('POST', '/api/v1/tickets', { token: tokenA, body: { priority: 'high' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(typeof missing.body.error.message).toBe('string');
    const unknownField = await api('POST', '/api/v1/tickets', { token: tokenA, body: { title: 'x', tenantId: 'other' } });
    expect(unknownField.status).toBe(400);
    const badJson = await api('POST', '/api/v1/tickets', { token: tokenA, raw: '{"title": ' });
    expect(badJson.status).toBe(400);
  });

  it('creates one ticket for one Idempotency-Key', async () => {
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const body = { title: 'VPN drops every hour', requester: { email: 'bob@customer.example', name: 'Bob' } };
    const first = await api('POST', '/api/v1/tickets', { token: tokenA, body, headers: { 'idempotency-key': key } });
    const second = await api('POST', '/api/v1/tickets', { token: tokenA, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const list = await api('GET', '/api/v1/tickets?limit=200', { token: tokenA });
    expect(list.body.items.filter((t: { title: string }) => t.title === body.title)).toHaveLength(1);
  });

  it('rejects what the OWASP API Top 10 warns of', async () => {
    const big = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body: { title: 'big', description: 'x'.repeat(3 * 1024 * 1024) },
    });
    expect(big.status).toBe(413);
    const tooMany = await api('GET', '/api/v1/tickets?limit=201', { token: tokenA });
    expect(tooMany.status).toBe(400);
    const noToken = await api('GET', '/api/v1/tickets');
    expect(noToken.status).toBe(401);

    const victim = `victim-${randomBytes(4).toString('hex')}@acme.example`;
    let last = await api('POST', '/api/v1/auth/login', { body: { email: victim, password: 'wrong password 1' } });
    for (let i = 0; i < 10 && last.status !== 429; i++) {
      expect(last.status).toBe(401);
      last = await api('POST', '/api/v1/auth/login', { body: { email: victim, password: `wrong password ${i}` } });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('outbox: the event survives a crash between commit and publish', () => {
  it('publishes a committed event exactly once after kill -9 and restart', async () => {
    const token = tokenA;
    // The relay is off, so the ticket and its outbox row commit but nothing is published.
    await procs.ticket!.stop();
    await startTicket({ OUTBOX_RELAY_ENABLED: 'false' });
    const created = await api('POST', '/api/v1/tickets', { token, body: { title: 'Committed, not yet published', requester: { email: 'c@crash.example' } } });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsFor(created.body.id)).toHaveLength(0);

    await procs.ticket!.kill9();
    await startTicket();
    await eventually('event after restart', () => (eventsFor(created.body.id).length ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000));
    expect(eventsFor(created.body.id)).toHaveLength(1);
  });

  it('re-drives every event into JetStream after the stream is lost', async () => {
    const jsm = await nc.jetstreamManager();
    const stream = `${prefix}_HELPDESK_TICKET`;
    const before = await jsm.streams.info(stream);
    const count = before.state.messages;
    expect(count).toBeGreaterThanOrEqual(3);
    await jsm.streams.delete(stream);

    const replay = (): Promise<number | null> => {
      const p = startProcess('replay', 'libs/bus/src/cli.ts', { ...commonEnv(), DATABASE_URL: ticketDb.url }, ['replay']);
      return new Promise((resolve) => p.child.once('exit', resolve));
    };
    expect(await replay()).toBe(0);
    const after = await jsm.streams.info(stream);
    expect(after.state.messages).toBe(count);
    // A second replay inside the duplicate window adds nothing: Nats-Msg-Id is the event id.
    expect(await replay()).toBe(0);
    expect((await jsm.streams.info(stream)).state.messages).toBe(count);
  });
});
