// The real gateway (HTTP on port 0) against real Redis and real gRPC servers. The identity and ticket
// services are other deployables (a service never imports another), so the peers here are small in-memory
// implementations of their gRPC contracts, tenant-scoped like the real ones. The full cross-service flow is
// the system test's job (test/).
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { SignJWT } from 'jose';
import { commonV1, identityV1, ticketV1 } from '@helpdesk/contracts';
import { startGrpcServer, unary, type RunningGrpcServer } from '@helpdesk/grpc';
import { alreadyExists, createLogger, DomainError, invalidArgument, notFound } from '@helpdesk/platform';
import { NATS_URL, REDIS_URL, deletePrefixedStreams, uniquePrefix } from '@helpdesk/testing';
import { loadGatewayConfig } from '../src/config';
import { buildGateway, type Gateway } from '../src/main';

const JWT_SECRET = randomBytes(32).toString('hex');
const OPERATOR_TOKEN = `op_${randomBytes(24).toString('hex')}`;
const KEY_PREFIX = `hd_test_gw_${randomBytes(6).toString('hex')}:`;
// the live events' streams of this run (GET /events)
const BUS_PREFIX = uniquePrefix('gwint');
const LOGIN_MAX = 5;
const LOGIN_IP_MAX = 8;
const BODY_LIMIT_BYTES = 16 * 1024;

// ---------- identity peer (in memory) ----------

interface StoredUser extends identityV1.User {
  password: string;
}

class FakeIdentity {
  tenants = new Map<string, identityV1.Tenant>();
  users = new Map<string, StoredUser>();
  teams = new Map<string, identityV1.Team>();
  keys = new Map<string, { key: identityV1.ApiKey; secret: string }>();
  authenticateCalls = 0;
  private readonly jwtKey = new TextEncoder().encode(JWT_SECRET);

  private addUser(
    tenantId: string,
    input: {
      email: string;
      name: string;
      role: string;
      password: string;
      timezone?: string;
      handle?: string;
    },
  ) {
    const email = input.email.toLowerCase();
    if ([...this.users.values()].some((u) => u.tenantId === tenantId && u.email === email)) {
      throw alreadyExists('A user with this e-mail exists');
    }
    const user: StoredUser = {
      id: randomUUID(),
      tenantId,
      email,
      name: input.name,
      role: input.role,
      handle: input.handle || email.split('@')[0]!,
      timezone: input.timezone || this.tenants.get(tenantId)!.timezone,
      active: true,
      createdAt: new Date(),
      password: input.password,
    };
    this.users.set(user.id, user);
    return user;
  }

  private publicUser({ password: _password, ...user }: StoredUser): identityV1.User {
    return user;
  }

  private userOf(tenantId: string, id: string): StoredUser {
    const user = this.users.get(id);
    if (!user || user.tenantId !== tenantId) throw notFound('user');
    return user;
  }

  implementation() {
    return {
      createTenant: unary<identityV1.CreateTenantRequest, identityV1.CreateTenantResponse>(async (req) => {
        if (!req.name || !req.admin) throw invalidArgument('name and admin are required');
        const tenant = {
          id: randomUUID(),
          name: req.name,
          slug:
            req.slug ?? `${req.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 4)}`,
          timezone: req.timezone || 'UTC',
          createdAt: new Date(),
        };
        this.tenants.set(tenant.id, tenant);
        const admin = this.addUser(tenant.id, { ...req.admin, role: 'admin' });
        return { tenant, admin: this.publicUser(admin) };
      }),
      getTenant: unary<identityV1.GetTenantRequest, identityV1.GetTenantResponse>(async (req) => {
        const tenant = this.tenants.get(req.id);
        if (!tenant) throw notFound('tenant');
        return { tenant };
      }),
      updateTenant: unary<identityV1.UpdateTenantRequest, identityV1.UpdateTenantResponse>(async (req) => {
        const tenant = this.tenants.get(req.id);
        if (!tenant) throw notFound('tenant');
        if (
          req.slug !== undefined &&
          [...this.tenants.values()].some((t) => t.slug === req.slug && t.id !== req.id)
        ) {
          throw alreadyExists('This slug is taken');
        }
        const changed = {
          ...tenant,
          ...Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined)),
        };
        this.tenants.set(tenant.id, changed);
        return { tenant: changed };
      }),
      login: unary<identityV1.LoginRequest, identityV1.LoginResponse>(async (req) => {
        const user = [...this.users.values()].find((u) => u.email === req.email.toLowerCase());
        if (!user || user.password !== req.password || !user.active) {
          throw new DomainError('UNAUTHENTICATED', 'Wrong e-mail or password');
        }
        const expiresAt = new Date(Date.now() + 12 * 3600_000);
        const token = await new SignJWT({ tid: user.tenantId, role: user.role, typ: 'agent' })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(user.id)
          .setIssuer('helpdesk')
          .setIssuedAt()
          .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
          .sign(this.jwtKey);
        return { token, user: this.publicUser(user), expiresAt };
      }),
      authenticateApiKey: unary<identityV1.AuthenticateApiKeyRequest, identityV1.AuthenticateApiKeyResponse>(
        async (req) => {
          this.authenticateCalls += 1;
          const found = [...this.keys.values()].find((k) => k.secret === req.secret);
          if (!found || found.key.revokedAt) throw new DomainError('UNAUTHENTICATED', 'Unknown API key');
          return { apiKey: found.key };
        },
      ),
      getUser: unary<identityV1.GetUserRequest, identityV1.GetUserResponse>(async (req) => ({
        user: this.publicUser(this.userOf(req.tenantId, req.id)),
      })),
      listUsers: unary<identityV1.ListUsersRequest, identityV1.ListUsersResponse>(async (req) =>
        paginate(
          [...this.users.values()].filter((u) => u.tenantId === req.tenantId).map((u) => this.publicUser(u)),
          req.page,
        ),
      ),
      createUser: unary<identityV1.CreateUserRequest, identityV1.CreateUserResponse>(async (req) => ({
        user: this.publicUser(this.addUser(req.tenantId, req)),
      })),
      updateUser: unary<identityV1.UpdateUserRequest, identityV1.UpdateUserResponse>(async (req) => {
        const user = this.userOf(req.tenantId, req.id);
        if (req.name !== undefined) user.name = req.name;
        if (req.role !== undefined) user.role = req.role;
        if (req.handle !== undefined) user.handle = req.handle;
        if (req.timezone !== undefined) user.timezone = req.timezone;
        if (req.active !== undefined) user.active = req.active;
        if (req.password !== undefined) user.password = req.password;
        return { user: this.publicUser(user) };
      }),
      listTeams: unary<identityV1.ListTeamsRequest, identityV1.ListTeamsResponse>(async (req) =>
        paginate(
          [...this.teams.values()].filter((t) => t.tenantId === req.tenantId),
          req.page,
        ),
      ),
      createTeam: unary<identityV1.CreateTeamRequest, identityV1.CreateTeamResponse>(async (req) => {
        req.memberIds.forEach((id) => this.userOf(req.tenantId, id));
        const team = {
          id: randomUUID(),
          tenantId: req.tenantId,
          name: req.name,
          memberIds: req.memberIds,
          createdAt: new Date(),
        };
        this.teams.set(team.id, team);
        return { team };
      }),
      createApiKey: unary<identityV1.CreateApiKeyRequest, identityV1.CreateApiKeyResponse>(async (req) => {
        const secret = `hd_${randomBytes(24).toString('base64url')}`;
        const key: identityV1.ApiKey = {
          id: randomUUID(),
          tenantId: req.tenantId,
          name: req.name,
          prefix: secret.slice(0, 8),
          createdAt: new Date(),
        };
        this.keys.set(key.id, { key, secret });
        return { apiKey: key, secret };
      }),
      listApiKeys: unary<identityV1.ListApiKeysRequest, identityV1.ListApiKeysResponse>(async (req) =>
        paginate(
          [...this.keys.values()].filter((k) => k.key.tenantId === req.tenantId).map((k) => k.key),
          req.page,
        ),
      ),
      revokeApiKey: unary<identityV1.RevokeApiKeyRequest, identityV1.RevokeApiKeyResponse>(async (req) => {
        const found = this.keys.get(req.id);
        if (!found || found.key.tenantId !== req.tenantId) throw notFound('API key');
        found.key.revokedAt ??= new Date();
        return { apiKey: found.key };
      }),
    };
  }
}

// ---------- ticket peer (in memory) ----------

class FakeTickets {
  tickets: ticketV1.Ticket[] = [];
  createCalls = 0;
  private readonly numbers = new Map<string, number>();

  implementation() {
    return {
      createTicket: unary<ticketV1.CreateTicketRequest, ticketV1.CreateTicketResponse>(async (req) => {
        this.createCalls += 1;
        if (!req.tenantId || !req.actor || req.actor.type === commonV1.ActorType.ACTOR_TYPE_UNSPECIFIED) {
          throw invalidArgument('tenant and actor are required');
        }
        if (!req.requester?.email) throw invalidArgument('requester is required');
        // Lets a test hold a create in flight (concurrent Idempotency-Key).
        if (req.title.startsWith('slow')) await new Promise((r) => setTimeout(r, 400));
        const number = (this.numbers.get(req.tenantId) ?? 1000) + 1;
        this.numbers.set(req.tenantId, number);
        const now = new Date();
        const ticket: ticketV1.Ticket = ticketV1.Ticket.fromPartial({
          id: randomUUID(),
          tenantId: req.tenantId,
          number,
          title: req.title,
          descriptionHtml: req.description ? `<p>${req.description.replace(/[<>&]/g, '')}</p>` : '',
          descriptionText: req.description,
          status: 'open',
          priority: req.priority || 'medium',
          source: req.source || (req.actor.type === commonV1.ActorType.ACTOR_TYPE_API_KEY ? 'api' : 'agent'),
          raisedBy: req.requester.email,
          requester: req.requester,
          createdBy: req.actor,
          openedAt: now,
          updatedAt: now,
          version: 1,
        });
        this.tickets.push(ticket);
        return { ticket, duplicate: false };
      }),
      getTicket: unary<ticketV1.GetTicketRequest, ticketV1.GetTicketResponse>(async (req) => {
        const ticket = this.tickets.find((t) => t.id === req.id && t.tenantId === req.tenantId);
        if (!ticket) throw notFound('ticket');
        return { ticket };
      }),
      listTickets: unary<ticketV1.ListTicketsRequest, ticketV1.ListTicketsResponse>(async (req) =>
        paginate(
          this.tickets
            .filter((t) => t.tenantId === req.tenantId)
            .filter((t) => req.status.length === 0 || req.status.includes(t.status))
            .filter((t) => req.priority.length === 0 || req.priority.includes(t.priority))
            .reverse(),
          req.page,
        ),
      ),
    };
  }
}

function paginate<T>(all: T[], page: commonV1.PageRequest | undefined): { items: T[]; nextCursor: string } {
  const limit = page?.limit || 50;
  const offset = page?.cursor ? Number(Buffer.from(page.cursor, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('bad cursor');
  const items = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : '';
  return { items, nextCursor: next };
}

// ---------- harness ----------

const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

const identity = new FakeIdentity();
const tickets = new FakeTickets();
let identityServer: RunningGrpcServer;
let ticketServer: RunningGrpcServer;
let gateway: Gateway;
let base: string;
let redis: Redis;

interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

let ipCounter = 0;
// Each caller gets its own client address (X-Forwarded-For via TRUST_PROXY=loopback) unless a test sets one.
const nextIp = () => `198.51.100.${(ipCounter += 1) % 250}`;

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'x-forwarded-for': nextIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

async function login(email: string, password: string): Promise<string> {
  const res = await call('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

async function createTenant(name: string) {
  const admin = {
    email: `admin-${randomUUID().slice(0, 8)}@${name.toLowerCase()}.example`,
    name: `${name} Admin`,
    password: 'correct horse battery',
  };
  const res = await call('POST', '/api/v1/tenants', {
    token: OPERATOR_TOKEN,
    body: { name, timezone: 'Europe/Berlin', admin },
  });
  expect(res.status).toBe(201);
  return {
    tenantId: res.body.tenant.id as string,
    admin,
    adminToken: await login(admin.email, admin.password),
  };
}

beforeAll(async () => {
  const silent = createLogger('gateway-int-test', 'silent');
  identityServer = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    services: [{ definition: identityV1.IdentityServiceService, implementation: identity.implementation() }],
    logger: silent,
  });
  ticketServer = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    services: [{ definition: ticketV1.TicketServiceService, implementation: tickets.implementation() }],
    logger: silent,
  });
  const config = loadGatewayConfig({
    NATS_URL,
    BUS_PREFIX,
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    REDIS_URL,
    REDIS_KEY_PREFIX: KEY_PREFIX,
    IDENTITY_GRPC_URL: `127.0.0.1:${identityServer.port}`,
    TICKET_GRPC_URL: `127.0.0.1:${ticketServer.port}`,
    // health only: these routes are not driven here (services/mail-ingest and test/ drive them)
    MAIL_GRPC_URL: `127.0.0.1:${ticketServer.port}`,
    NOTIFICATION_GRPC_URL: `127.0.0.1:${ticketServer.port}`,
    GRPC_DEADLINE_MS: '3000',
    HELPDESK_JWT_SECRET: JWT_SECRET,
    HELPDESK_OPERATOR_TOKEN: OPERATOR_TOKEN,
    BODY_LIMIT: `${BODY_LIMIT_BYTES}b`,
    TRUST_PROXY: 'loopback',
    LOGIN_RATE_LIMIT_MAX: String(LOGIN_MAX),
    LOGIN_RATE_LIMIT_IP_MAX: String(LOGIN_IP_MAX),
    LOGIN_RATE_LIMIT_WINDOW_SECONDS: '120',
    // no web bundle: an unknown path answers 404 whether or not `npm run build` has run
    WEB_DIR: '',
  });
  gateway = await buildGateway(config, createLogger('gateway', 'info', logSink));
  base = `http://127.0.0.1:${gateway.port}`;
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await gateway?.close();
  await deletePrefixedStreams(BUS_PREFIX);
  await identityServer?.shutdown();
  await ticketServer?.shutdown();
  if (redis) {
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
});

// ---------- tests ----------

describe('health and documentation', () => {
  it('answers /healthz and /readyz with every dependency checked', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      checks: { redis: 'ok', identity: 'ok', ticket: 'ok' },
    });
  });

  it('serves an OpenAPI 3.1 document with every route', async () => {
    const res = await call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\.\d+$/);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /api/v1/auth/login',
        'GET /api/v1/me',
        'GET /api/v1/me/notifications',
        'POST /api/v1/me/notifications/read',
        'GET /api/v1/me/notification-preferences',
        'PATCH /api/v1/me/notification-preferences',
        'POST /api/v1/tickets',
        'GET /api/v1/tickets',
        'GET /api/v1/tickets/{id}',
        'GET /api/v1/tickets/{id}/sla',
        'POST /api/v1/tickets/{id}/sla/reset',
        'GET /api/v1/calendars',
        'POST /api/v1/calendars',
        'GET /api/v1/calendars/{id}',
        'PATCH /api/v1/calendars/{id}',
        'GET /api/v1/calendars/{id}/due',
        'GET /api/v1/sla-policies',
        'POST /api/v1/sla-policies',
        'GET /api/v1/sla-policies/{id}',
        'PATCH /api/v1/sla-policies/{id}',
        'GET /api/v1/clients',
        'POST /api/v1/clients',
        'GET /api/v1/clients/{id}',
        'PATCH /api/v1/clients/{id}',
        'GET /api/v1/contacts',
        'POST /api/v1/contacts',
        'GET /api/v1/contacts/{id}',
        'PATCH /api/v1/contacts/{id}',
        'GET /api/v1/users',
        'POST /api/v1/users',
        'PATCH /api/v1/users/{id}',
        'GET /api/v1/teams',
        'POST /api/v1/teams',
        'GET /api/v1/api-keys',
        'POST /api/v1/api-keys',
        'DELETE /api/v1/api-keys/{id}',
        'POST /api/v1/tenants',
        'GET /api/v1/tenant',
        'PATCH /api/v1/tenant',
        'GET /api/v1/mailboxes',
        'POST /api/v1/mailboxes',
        'GET /api/v1/mailboxes/{id}',
        'PATCH /api/v1/mailboxes/{id}',
        'DELETE /api/v1/mailboxes/{id}',
        'POST /api/v1/mailboxes/{id}/test',
        'POST /api/v1/mailboxes/{id}/oauth/start',
        'GET /api/v1/oauth/callback',
        'POST /api/v1/inbound/mail/{mailboxId}',
        'GET /api/v1/messages/{id}/raw',
        'GET /api/v1/mail/inbound/{id}',
        'GET /api/v1/mail/quarantine',
        'POST /api/v1/mail/quarantine/{id}/retry',
        'GET /api/v1/automation-rules',
        'POST /api/v1/automation-rules',
        'GET /api/v1/automation-rules/{id}',
        'PATCH /api/v1/automation-rules/{id}',
        'DELETE /api/v1/automation-rules/{id}',
        'POST /api/v1/automation-rules/dry-run',
        'POST /api/v1/automation-rules/{id}/dry-run',
        'GET /api/v1/automation-runs',
        'GET /api/v1/webhooks',
        'POST /api/v1/webhooks',
        'PATCH /api/v1/webhooks/{id}',
        'DELETE /api/v1/webhooks/{id}',
        'GET /api/v1/webhooks/{id}/deliveries',
        'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry',
        'PATCH /api/v1/tickets/{id}',
        'GET /api/v1/tickets/{id}/messages',
        'POST /api/v1/tickets/{id}/messages',
        'GET /api/v1/tickets/{id}/history',
        'POST /api/v1/tickets/{id}/merge',
        'POST /api/v1/tickets/{id}/attachments',
        'GET /api/v1/attachments/{id}',
        'GET /api/v1/me/todos',
        'GET /api/v1/ticket-templates',
        'POST /api/v1/ticket-templates',
        'GET /api/v1/ticket-templates/{id}',
        'PATCH /api/v1/ticket-templates/{id}',
        'DELETE /api/v1/ticket-templates/{id}',
        'GET /api/v1/ticket-settings',
        'PATCH /api/v1/ticket-settings',
        'POST /api/v1/portal/auth/login',
        'POST /api/v1/portal/auth/verify',
        'POST /api/v1/portal/auth/magic-link',
        'GET /api/v1/portal/me',
        'GET /api/v1/portal/tickets',
        'POST /api/v1/portal/tickets',
        'GET /api/v1/portal/tickets/{id}',
        'GET /api/v1/portal/tickets/{id}/messages',
        'POST /api/v1/portal/tickets/{id}/messages',
        'POST /api/v1/portal/tickets/{id}/confirm',
        'POST /api/v1/portal/tickets/{id}/rating',
        'POST /api/v1/portal/tickets/{id}/attachments',
        'POST /api/v1/portal/attachments',
        'GET /api/v1/portal/attachments/{id}',
        'POST /api/v1/public/contact',
        'POST /api/v1/tickets/{id}/timer/start',
        'POST /api/v1/tickets/{id}/timer/stop',
        'GET /api/v1/me/timer',
        'POST /api/v1/time-entries',
        'GET /api/v1/time-entries',
        'GET /api/v1/time-entries/{id}',
        'PATCH /api/v1/time-entries/{id}',
        'DELETE /api/v1/time-entries/{id}',
        'GET /api/v1/tickets/{id}/time-entries',
        'GET /api/v1/reports/overview',
        'GET /api/v1/reports/sla',
        'GET /api/v1/reports/time',
        'GET /api/v1/time-settings',
        'PATCH /api/v1/time-settings',
      ].sort(),
    );
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(res.body.components.schemas.Error).toBeDefined();
  });

  it('serves the swagger-ui page and its assets locally', async () => {
    const page = await call('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const init = await call('GET', '/api/docs/init.js');
    expect(init.text).toContain('/api/v1/openapi.json');
    const bundle = await fetch(`${base}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    // Only the page's own assets are served from the package.
    expect((await call('GET', '/api/docs/package.json')).status).toBe(404);
  });

  it('sets security headers and request ids', async () => {
    const res = await call('GET', '/api/v1/me', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    // No CORS_ORIGINS configured: no browser origin is allowed.
    expect(
      (await call('GET', '/api/v1/me', { headers: { origin: 'https://evil.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
    const odd = await call('GET', '/api/v1/me', { headers: { 'x-request-id': 'bad id <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('tenants, sign-in and the caller', () => {
  it('lets only the platform operator create tenants', async () => {
    const { adminToken } = await createTenant('Acme');
    const body = { name: 'Evil', admin: { email: 'e@evil.example', name: 'E', password: 'password123' } };
    expect((await call('POST', '/api/v1/tenants', { token: adminToken, body })).status).toBe(403);
    expect((await call('POST', '/api/v1/tenants', { body })).status).toBe(401);
    expect((await call('POST', '/api/v1/tenants', { token: `${OPERATOR_TOKEN}x`, body })).status).toBe(401);
  });

  it('signs in and answers /me; refuses without or with a bad token', async () => {
    const { tenantId, admin } = await createTenant('Globex');
    const signIn = await call('POST', '/api/v1/auth/login', {
      body: { email: admin.email, password: admin.password },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({
      token: expect.any(String),
      user: { email: admin.email, role: 'admin' },
    });
    const me = await call('GET', '/api/v1/me', { token: signIn.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      type: 'user',
      tenantId,
      email: admin.email,
      name: admin.name,
      role: 'admin',
    });

    const anonymous = await call('GET', '/api/v1/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await new SignJWT({ tid: tenantId, role: 'admin', typ: 'agent' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(signIn.body.user.id)
      .setIssuer('helpdesk')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(40)));
    expect((await call('GET', '/api/v1/me', { token: forged })).status).toBe(401);

    const wrong = await call('POST', '/api/v1/auth/login', {
      body: { email: admin.email, password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('never counts successful sign-ins: more than the limit in a row all succeed', async () => {
    const { admin } = await createTenant('Tabs');
    const ip = '203.0.113.10';
    for (let i = 0; i < LOGIN_MAX * 2 + 1; i += 1) {
      const res = await call('POST', '/api/v1/auth/login', {
        body: { email: admin.email, password: admin.password },
        headers: { 'x-forwarded-for': ip },
      });
      expect(res.status).toBe(200);
    }
  });

  it('limits failed sign-ins per account and address with 429 and Retry-After; other addresses still sign in', async () => {
    const { admin } = await createTenant('Victim');
    const attacker = { 'x-forwarded-for': '203.0.113.66' };
    for (let i = 0; i < LOGIN_MAX; i += 1) {
      const res = await call('POST', '/api/v1/auth/login', {
        body: { email: admin.email, password: `guess-${i}` },
        headers: attacker,
      });
      expect(res.status).toBe(401);
    }
    // from the attacker's address even the right password waits
    const limited = await call('POST', '/api/v1/auth/login', {
      body: { email: admin.email.toUpperCase(), password: admin.password },
      headers: attacker,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // the user, elsewhere, is not locked out
    const user = await call('POST', '/api/v1/auth/login', {
      body: { email: admin.email, password: admin.password },
      headers: { 'x-forwarded-for': '203.0.113.11' },
    });
    expect(user.status).toBe(200);
  });

  it('clears an account’s failures from an address when it signs in', async () => {
    const { admin } = await createTenant('Typo');
    const headers = { 'x-forwarded-for': '203.0.113.12' };
    // LOGIN_MAX - 1 typos, a success, then LOGIN_MAX - 2 more: more failures than LOGIN_MAX in all, within the address cap
    for (const typos of [LOGIN_MAX - 1, LOGIN_MAX - 2]) {
      for (let i = 0; i < typos; i += 1) {
        expect(
          (
            await call('POST', '/api/v1/auth/login', {
              body: { email: admin.email, password: 'typo' },
              headers,
            })
          ).status,
        ).toBe(401);
      }
      expect(
        (
          await call('POST', '/api/v1/auth/login', {
            body: { email: admin.email, password: admin.password },
            headers,
          })
        ).status,
      ).toBe(200);
    }
  });

  it('caps failed sign-ins per address across accounts with 429', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < LOGIN_IP_MAX; i += 1) {
      const res = await call('POST', '/api/v1/auth/login', {
        body: { email: `spray-${i}-${randomUUID().slice(0, 6)}@example.com`, password: 'Winter2026!' },
        headers: { 'x-forwarded-for': ip },
      });
      expect(res.status).toBe(401);
    }
    const sprayed = await call('POST', '/api/v1/auth/login', {
      body: { email: 'another@example.com', password: 'Winter2026!' },
      headers: { 'x-forwarded-for': ip },
    });
    expect(sprayed.status).toBe(429);
    expect(Number(sprayed.headers.get('retry-after'))).toBeGreaterThan(0);
    // The counters live in this run's Redis namespace.
    expect((await redis.keys(`${KEY_PREFIX}rl:login:*`)).length).toBeGreaterThan(0);
  });
});

describe('tickets', () => {
  let acme: Awaited<ReturnType<typeof createTenant>>;

  beforeAll(async () => {
    acme = await createTenant('Initech');
  });

  it('creates a ticket (201) for the calling agent, reads it, and lists it', async () => {
    const created = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: 'Printer on fire', description: 'Third floor', priority: 'high' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      number: 1001,
      title: 'Printer on fire',
      description: '<p>Third floor</p>',
      descriptionText: 'Third floor',
      status: 'open',
      priority: 'high',
      source: 'agent',
      raisedBy: acme.admin.email,
      requester: { email: acme.admin.email, name: acme.admin.name },
      createdBy: { type: 'user' },
      version: 1,
    });
    expect(new Date(created.body.openedAt).toISOString()).toBe(created.body.openedAt);

    const read = await call('GET', `/api/v1/tickets/${created.body.id}`, { token: acme.adminToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const list = await call('GET', '/api/v1/tickets', { token: acme.adminToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    expect(list.body.nextCursor).toBeNull();
  });

  it('filters by status and priority (comma lists or repeated) and pages with a cursor', async () => {
    for (const priority of ['low', 'critical', 'low']) {
      const res = await call('POST', '/api/v1/tickets', {
        token: acme.adminToken,
        body: { title: `P ${priority}`, priority },
      });
      expect(res.status).toBe(201);
    }
    const lows = await call('GET', '/api/v1/tickets?priority=low', { token: acme.adminToken });
    expect(lows.body.items).toHaveLength(2);
    const several = await call('GET', '/api/v1/tickets?priority=low,critical&status=open', {
      token: acme.adminToken,
    });
    expect(several.body.items).toHaveLength(3);
    const repeated = await call('GET', '/api/v1/tickets?priority=low&priority=critical', {
      token: acme.adminToken,
    });
    expect(repeated.body.items).toHaveLength(3);
    expect(
      (await call('GET', '/api/v1/tickets?status=closed', { token: acme.adminToken })).body.items,
    ).toHaveLength(0);
    expect((await call('GET', '/api/v1/tickets?status=bogus', { token: acme.adminToken })).status).toBe(400);

    const first = await call('GET', '/api/v1/tickets?limit=2', { token: acme.adminToken });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(
      'GET',
      `/api/v1/tickets?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      {
        token: acme.adminToken,
      },
    );
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('refuses unknown fields, bad paging, oversized and non-JSON bodies', async () => {
    const before = tickets.createCalls;
    const massAssigned = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: 'x', status: 'closed', tenantId: randomUUID() },
    });
    expect(massAssigned.status).toBe(400);
    expect(massAssigned.body.error.code).toBe('INVALID_ARGUMENT');
    expect(massAssigned.body.error.details).toEqual({
      fields: [
        { path: ['status'], message: 'Unrecognized key' },
        { path: ['tenantId'], message: 'Unrecognized key' },
      ],
    });
    expect(tickets.createCalls).toBe(before);

    const limit = await call('GET', '/api/v1/tickets?limit=201', { token: acme.adminToken });
    expect(limit.status).toBe(400);
    expect(limit.body.error.code).toBe('INVALID_ARGUMENT');
    expect((await call('GET', '/api/v1/tickets?limit=200', { token: acme.adminToken })).status).toBe(200);

    const huge = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: 'big', description: 'x'.repeat(BODY_LIMIT_BYTES + 1) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    const malformed = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      raw: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const text = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      raw: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(415);
    expect(tickets.createCalls).toBe(before);
  });

  it('answers 404 for unknown tickets, other tenants’ tickets and unknown routes', async () => {
    const unknown = await call('GET', `/api/v1/tickets/${randomUUID()}`, { token: acme.adminToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });

    const other = await createTenant('Hooli');
    const theirs = await call('POST', '/api/v1/tickets', {
      token: other.adminToken,
      body: { title: 'Private' },
    });
    expect(theirs.body.number).toBe(1001);
    expect((await call('GET', `/api/v1/tickets/${theirs.body.id}`, { token: acme.adminToken })).status).toBe(
      404,
    );
    const acmeList = await call('GET', '/api/v1/tickets?limit=200', { token: acme.adminToken });
    expect(acmeList.body.items.map((t: { id: string }) => t.id)).not.toContain(theirs.body.id);

    expect((await call('GET', '/api/v1/tickets/not-a-uuid', { token: acme.adminToken })).status).toBe(400);
    const route = await call('GET', '/api/v1/nothing-here', { token: acme.adminToken });
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('NOT_FOUND');
    expect((await call('GET', '/nowhere')).status).toBe(404);
  });

  it('replays a write with the same Idempotency-Key instead of creating twice', async () => {
    const key = `create-${randomUUID()}`;
    const body = { title: 'Exactly once', priority: 'low' };
    const before = tickets.createCalls;
    const first = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const second = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { priority: 'low', title: 'Exactly once' },
      headers: { 'idempotency-key': key },
    });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(tickets.createCalls).toBe(before + 1);

    const reused = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: 'Something else' },
      headers: { 'idempotency-key': key },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(tickets.createCalls).toBe(before + 1);

    // The key is per principal: another tenant's admin using the same key creates its own ticket.
    const other = await createTenant('Umbrella');
    const theirs = await call('POST', '/api/v1/tickets', {
      token: other.adminToken,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(tickets.createCalls).toBe(before + 2);

    expect((await redis.keys(`${KEY_PREFIX}idem:${acme.tenantId}:*`)).length).toBeGreaterThan(0);
  });

  it('answers 409 to a duplicate while the first is still in progress, and 400 to an over-long key', async () => {
    const key = `slow-${randomUUID()}`;
    const request = () =>
      call('POST', '/api/v1/tickets', {
        token: acme.adminToken,
        body: { title: 'slow create' },
        headers: { 'idempotency-key': key },
      });
    const first = request();
    await new Promise((r) => setTimeout(r, 100));
    const duplicate = await request();
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect((await first).status).toBe(201);
    const after = await request();
    expect(after.status).toBe(201);
    expect(after.headers.get('idempotent-replayed')).toBe('true');

    // A refused request keeps nothing: the corrected request with the same key runs.
    const fixKey = `fix-${randomUUID()}`;
    const invalid = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: '' },
      headers: { 'idempotency-key': fixKey },
    });
    expect(invalid.status).toBe(400);
    const fixed = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: 'Fixed' },
      headers: { 'idempotency-key': fixKey },
    });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();

    const long = await call('POST', '/api/v1/tickets', {
      token: acme.adminToken,
      body: { title: 'x' },
      headers: { 'idempotency-key': 'k'.repeat(256) },
    });
    expect(long.status).toBe(400);
  });
});

describe('people (agents read, admins write) and API keys', () => {
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  let agentToken: string;
  let agentId: string;

  beforeAll(async () => {
    tenant = await createTenant('Soylent');
    const created = await call('POST', '/api/v1/users', {
      token: tenant.adminToken,
      body: {
        email: 'agent@soylent.example',
        name: 'Sam Agent',
        password: 'agent-password-1',
        timezone: 'America/New_York',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'agent@soylent.example',
      role: 'agent',
      timezone: 'America/New_York',
    });
    agentId = created.body.id;
    agentToken = await login('agent@soylent.example', 'agent-password-1');
  });

  it('lets admins manage users and teams, and refuses an agent’s changes with 403', async () => {
    const newUser = { email: 'x@soylent.example', name: 'X', password: 'password-123' };
    const denied = await call('POST', '/api/v1/users', { token: agentToken, body: newUser });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('PERMISSION_DENIED');
    const deniedPatch = await call('PATCH', `/api/v1/users/${agentId}`, {
      token: agentToken,
      body: { role: 'admin' },
    });
    expect(deniedPatch.status).toBe(403);
    const deniedTeam = await call('POST', '/api/v1/teams', {
      token: agentToken,
      body: { name: 'Agents only', memberIds: [agentId] },
    });
    expect(deniedTeam.status).toBe(403);
    expect(identity.users.get(agentId)?.role).toBe('agent');
    expect([...identity.teams.values()].some((t) => t.name === 'Agents only')).toBe(false);

    const users = await call('GET', '/api/v1/users', { token: tenant.adminToken });
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { email: string }) => u.email).sort()).toEqual(
      [tenant.admin.email, 'agent@soylent.example'].sort(),
    );
    const duplicate = await call('POST', '/api/v1/users', {
      token: tenant.adminToken,
      body: { ...newUser, email: 'agent@soylent.example' },
    });
    expect(duplicate.status).toBe(409);
    expect(
      (
        await call('POST', '/api/v1/users', {
          token: tenant.adminToken,
          body: { ...newUser, timezone: 'Mars/Olympus' },
        })
      ).status,
    ).toBe(400);

    const patched = await call('PATCH', `/api/v1/users/${agentId}`, {
      token: tenant.adminToken,
      body: { name: 'Samantha' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: agentId,
      name: 'Samantha',
      role: 'agent',
      timezone: 'America/New_York',
    });
    expect(
      (await call('PATCH', `/api/v1/users/${agentId}`, { token: tenant.adminToken, body: {} })).status,
    ).toBe(400);
    expect(
      (
        await call('PATCH', `/api/v1/users/${randomUUID()}`, {
          token: tenant.adminToken,
          body: { name: 'n' },
        })
      ).status,
    ).toBe(404);

    const team = await call('POST', '/api/v1/teams', {
      token: tenant.adminToken,
      body: { name: 'Network', memberIds: [agentId] },
    });
    expect(team.status).toBe(201);
    expect(team.body).toMatchObject({ name: 'Network', memberIds: [agentId] });
    const teams = await call('GET', '/api/v1/teams', { token: tenant.adminToken });
    expect(teams.body).toEqual({ items: [team.body], nextCursor: null });
  });

  it('lets an agent list the users and teams of its own tenant, never another tenant’s', async () => {
    const other = await createTenant('Initech');
    const otherUser = await call('POST', '/api/v1/users', {
      token: other.adminToken,
      body: { email: 'peter@initech.example', name: 'Peter', password: 'initech-password-1' },
    });
    expect(otherUser.status).toBe(201);
    const otherTeam = await call('POST', '/api/v1/teams', {
      token: other.adminToken,
      body: { name: 'TPS reports', memberIds: [otherUser.body.id] },
    });
    expect(otherTeam.status).toBe(201);

    const users = await call('GET', '/api/v1/users?limit=200', { token: agentToken });
    expect(users.status).toBe(200);
    const emails = users.body.items.map((u: { email: string }) => u.email);
    expect(emails.sort()).toEqual([tenant.admin.email, 'agent@soylent.example'].sort());
    expect(users.body.items.find((u: { id: string }) => u.id === agentId)).toMatchObject({
      handle: 'agent',
      active: true,
    });
    expect(JSON.stringify(users.body)).not.toContain('password');
    const teams = await call('GET', '/api/v1/teams', { token: agentToken });
    expect(teams.status).toBe(200);
    expect(teams.body.items.map((t: { name: string }) => t.name)).toEqual(['Network']);
    // and the other way round: Initech's agent sees Initech's people only
    const initechAgent = await login('peter@initech.example', 'initech-password-1');
    const theirs = await call('GET', '/api/v1/users', { token: initechAgent });
    expect(theirs.body.items.map((u: { email: string }) => u.email).sort()).toEqual(
      [other.admin.email, 'peter@initech.example'].sort(),
    );
    expect(
      (await call('GET', '/api/v1/teams', { token: initechAgent })).body.items.map(
        (t: { name: string }) => t.name,
      ),
    ).toEqual(['TPS reports']);
    // a portal session (a customer contact) never lists the MSP's people
    const contactToken = await new SignJWT({ tid: tenant.tenantId, typ: 'contact' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('helpdesk')
      .setAudience('helpdesk-portal')
      .setSubject(randomUUID())
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JWT_SECRET));
    const asContact = await call('GET', '/api/v1/users', { token: contactToken });
    expect(asContact.status).toBe(403);
    expect(JSON.stringify(asContact.body)).not.toContain('agent@soylent.example');
  });

  it('issues API keys that act as agents, are cached briefly, and stop working when revoked', async () => {
    expect(
      (await call('POST', '/api/v1/api-keys', { token: agentToken, body: { name: 'nope' } })).status,
    ).toBe(403);
    const created = await call('POST', '/api/v1/api-keys', {
      token: tenant.adminToken,
      body: { name: 'Zapier' },
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^hd_/);
    const listed = await call('GET', '/api/v1/api-keys', { token: tenant.adminToken });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'Zapier', revokedAt: null }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const callsBefore = identity.authenticateCalls;
    const me = await call('GET', '/api/v1/me', { token: secret });
    expect(me.body).toEqual({
      type: 'api_key',
      id: created.body.id,
      tenantId: tenant.tenantId,
      role: 'agent',
    });
    const noRequester = await call('POST', '/api/v1/tickets', {
      token: secret,
      body: { title: 'From Zapier' },
    });
    expect(noRequester.status).toBe(400);
    const ticket = await call('POST', '/api/v1/tickets', {
      token: secret,
      body: { title: 'From Zapier', requester: { email: 'customer@client.example', name: 'Cus Tomer' } },
    });
    expect(ticket.status).toBe(201);
    expect(ticket.body).toMatchObject({
      source: 'api',
      createdBy: { type: 'api_key', id: created.body.id },
      raisedBy: 'customer@client.example',
    });
    // an API key has no scopes: it does not read the tenant's people (ADR 50)
    const keyUsers = await call('GET', '/api/v1/users', { token: secret });
    expect(keyUsers.status).toBe(403);
    expect(keyUsers.body.error.code).toBe('PERMISSION_DENIED');
    expect((await call('GET', '/api/v1/teams', { token: secret })).status).toBe(403);
    expect(identity.authenticateCalls).toBe(callsBefore + 1);

    const revoked = await call('DELETE', `/api/v1/api-keys/${created.body.id}`, { token: tenant.adminToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await call('GET', '/api/v1/me', { token: secret })).status).toBe(401);
    expect((await call('GET', '/api/v1/me', { token: 'hd_never-issued' })).status).toBe(401);
  });
});

describe('the caller’s tenant', () => {
  it('shows the tenant to its users; only admins change it; a taken slug is 409; bad input 400', async () => {
    const own = await createTenant('Initech');
    const other = await createTenant('Hooli');
    const agent = await call('POST', '/api/v1/users', {
      token: own.adminToken,
      body: {
        email: `agent-${randomUUID().slice(0, 6)}@initech.example`,
        name: 'Ina Agent',
        password: 'agent-password-1',
      },
    });
    expect(agent.status).toBe(201);
    const agentToken = await login(agent.body.email, 'agent-password-1');

    const shown = await call('GET', '/api/v1/tenant', { token: agentToken });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: own.tenantId,
      name: 'Initech',
      slug: expect.any(String),
      timezone: 'Europe/Berlin',
    });

    expect(
      (await call('PATCH', '/api/v1/tenant', { token: agentToken, body: { name: 'Mine now' } })).status,
    ).toBe(403);
    const changed = await call('PATCH', '/api/v1/tenant', {
      token: own.adminToken,
      body: { name: 'Initech Ltd', slug: 'Initech', timezone: 'America/Chicago' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: own.tenantId,
      name: 'Initech Ltd',
      slug: 'initech',
      timezone: 'America/Chicago',
    });
    expect((await call('GET', '/api/v1/tenant', { token: agentToken })).body.slug).toBe('initech');

    const taken = await call('PATCH', '/api/v1/tenant', {
      token: other.adminToken,
      body: { slug: 'initech' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/slug/i);
    for (const body of [{}, { slug: 'x' }, { timezone: 'Mars/Base' }, { tenantId: own.tenantId }]) {
      expect((await call('PATCH', '/api/v1/tenant', { token: other.adminToken, body })).status).toBe(400);
    }
    expect((await call('GET', '/api/v1/tenant')).status).toBe(401);
  });
});

describe('logs and failure of a peer', () => {
  it('never logs passwords or tokens, and carries the request id', () => {
    const all = logLines.join('');
    expect(all).not.toContain('correct horse battery');
    expect(all).not.toContain(OPERATOR_TOKEN);
    expect(all).toContain('"requestId":"trace-abc.123"');
  });

  it('answers 503 and fails readiness when the ticket service is down', async () => {
    const tenant = await createTenant('Wonka');
    await ticketServer.shutdown();
    const res = await call('GET', '/api/v1/tickets', { token: tenant.adminToken });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('UNAVAILABLE');
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.ticket).not.toBe('ok');
    expect(ready.body.checks.identity).toBe('ok');
  });
});
