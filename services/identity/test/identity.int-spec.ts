// identity against real PostgreSQL and NATS, called through a real gRPC client.
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify } from 'jose';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { identityV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { createLogger, createShutdown, type Shutdown } from '@helpdesk/platform';
import {
  inProcessServiceEnv,
  createTestDatabase,
  deletePrefixedStreams,
  domainFailure,
  NATS_URL,
  uniquePrefix,
  type TestDatabase,
} from '@helpdesk/testing';
import { identityConfigSchema, seedDemoConfigSchema, type IdentityConfig } from '../src/config';
import { startIdentityService, type RunningIdentityService } from '../src/identity-service';
import { seedDemo } from '../src/seed-demo';

const jwtSecret = randomBytes(36).toString('base64url');
let db: TestDatabase;
let prefix: string;
let config: IdentityConfig;
let shutdown: Shutdown;
let service: RunningIdentityService;
let client: PromiseClient<identityV1.IdentityServiceClient>;
let nc: NatsConnection;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase('identity');
  prefix = uniquePrefix('id');
  config = identityConfigSchema.parse({
    ...inProcessServiceEnv(db.url, prefix),
    HELPDESK_JWT_SECRET: jwtSecret,
  });
  const logger = createLogger('identity-test', 'silent');
  shutdown = createShutdown(logger);
  service = await startIdentityService(config, { logger, shutdown });
  client = createGrpcClient(identityV1.IdentityServiceClient, `127.0.0.1:${service.grpcPort}`, {
    deadlineMs: 15_000,
  });
  nc = await connect({ servers: NATS_URL, name: 'identity-test' });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  client?.close();
  await sql?.end();
  if (nc) {
    await nc.close();
    await deletePrefixedStreams(prefix);
  }
  await shutdown?.shutdown('tests done');
  await db?.drop();
});

let counter = 0;
function uniqueEmail(local = 'agent'): string {
  counter += 1;
  return `${local}.${counter}.${randomBytes(3).toString('hex')}@Example.COM`;
}

async function newTenant(name = 'Acme IT', timezone = 'Europe/Berlin') {
  const admin = { email: uniqueEmail('admin'), name: 'Ada Admin', password: 'correct horse battery' };
  const res = await client.createTenant({ name, timezone, admin });
  return { tenant: res.tenant!, admin: res.admin!, password: admin.password };
}

const rejection = domainFailure;

describe('tenants and sign-in', () => {
  it('creates a tenant with its first admin', async () => {
    const { tenant, admin } = await newTenant('Acme IT', 'europe/berlin');
    expect(tenant).toMatchObject({ name: 'Acme IT', timezone: 'Europe/Berlin' });
    expect(admin).toMatchObject({
      tenantId: tenant.id,
      role: 'admin',
      active: true,
      timezone: 'Europe/Berlin',
    });
    expect(admin.email).toBe(admin.email.toLowerCase());
    expect(admin.handle).toMatch(/^admin\.\d+\.[0-9a-f]{6}$/);
  });

  it('signs in with e-mail and password and issues a verifiable agent JWT', async () => {
    const { tenant, admin, password } = await newTenant();
    const res = await client.login({ email: admin.email.toUpperCase(), password });
    expect(res.user?.id).toBe(admin.id);
    const { payload, protectedHeader } = await jwtVerify(res.token, new TextEncoder().encode(jwtSecret), {
      issuer: 'helpdesk',
      algorithms: ['HS256'],
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({
      sub: admin.id,
      tid: tenant.id,
      role: 'admin',
      typ: 'agent',
      iss: 'helpdesk',
    });
    expect(payload.exp! - payload.iat!).toBe(43_200);
    expect(res.expiresAt?.getTime()).toBe(payload.exp! * 1000);
    await expect(jwtVerify(res.token, new TextEncoder().encode(`${jwtSecret}x`))).rejects.toThrow();
  });

  it('answers UNAUTHENTICATED with one message for a wrong password and an unknown e-mail', async () => {
    const { admin } = await newTenant();
    const wrong = await rejection(client.login({ email: admin.email, password: 'not the password' }));
    const unknown = await rejection(
      client.login({ email: uniqueEmail('nobody'), password: 'not the password' }),
    );
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(unknown.code).toBe('UNAUTHENTICATED');
    expect(unknown.message).toBe(wrong.message);
  });

  it('refuses sign-in to a deactivated user and keeps the last active admin', async () => {
    const { tenant, admin } = await newTenant();
    const agent = (
      await client.createUser({
        tenantId: tenant.id,
        email: uniqueEmail(),
        name: 'Alex Agent',
        role: 'agent',
        handle: '',
        timezone: '',
        password: 'agent-password-1',
      })
    ).user!;
    expect((await client.login({ email: agent.email, password: 'agent-password-1' })).token).toBeTruthy();
    await client.updateUser({ tenantId: tenant.id, id: agent.id, active: false });
    expect((await rejection(client.login({ email: agent.email, password: 'agent-password-1' }))).code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await rejection(client.updateUser({ tenantId: tenant.id, id: admin.id, role: 'agent' }))).code,
    ).toBe('FAILED_PRECONDITION');
    expect(
      (await rejection(client.updateUser({ tenantId: tenant.id, id: admin.id, active: false }))).code,
    ).toBe('FAILED_PRECONDITION');
  });

  it('changes a password: the new one signs in, the old one no longer does', async () => {
    const { tenant, admin, password } = await newTenant();
    await client.updateUser({ tenantId: tenant.id, id: admin.id, password: 'a brand new password' });
    expect((await rejection(client.login({ email: admin.email, password }))).code).toBe('UNAUTHENTICATED');
    expect((await client.login({ email: admin.email, password: 'a brand new password' })).user?.id).toBe(
      admin.id,
    );
  });

  it('rejects bad input with INVALID_ARGUMENT', async () => {
    const admin = { email: uniqueEmail(), name: 'A', password: 'long enough' };
    const cases: Array<Promise<unknown>> = [
      client.createTenant({ name: 'X', timezone: 'Mars/Olympus_Mons', admin }),
      client.createTenant({ name: 'X', timezone: '+01:00', admin }),
      client.createTenant({ name: 'X', timezone: '', admin: { ...admin, password: 'short' } }),
      client.createTenant({ name: 'X', timezone: '', admin: { ...admin, email: 'not-an-email' } }),
      client.createTenant({ name: '', timezone: '', admin }),
      client.createTenant({ name: 'X', timezone: '', admin: undefined }),
      client.getUser({ tenantId: '', id: '' }),
      client.login({ email: '', password: '' }),
    ];
    for (const call of cases) expect((await rejection(call)).code).toBe('INVALID_ARGUMENT');
    const { tenant } = await newTenant();
    const base = {
      tenantId: tenant.id,
      email: uniqueEmail(),
      name: 'B',
      handle: '',
      timezone: '',
      password: 'long enough',
    };
    expect((await rejection(client.createUser({ ...base, role: 'owner' }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(client.createUser({ ...base, role: 'agent', handle: 'Bad Handle!' }))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (await rejection(client.createUser({ ...base, role: 'agent', timezone: 'Nowhere/City' }))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (await rejection(client.listUsers({ tenantId: tenant.id, page: { limit: 201, cursor: '' } }))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (await rejection(client.listUsers({ tenantId: tenant.id, page: { limit: 10, cursor: 'garbage' } })))
        .code,
    ).toBe('INVALID_ARGUMENT');
  });
});

describe('tenant slugs', () => {
  it('makes the slug from the name, unique on the platform (a suffix for the next one)', async () => {
    const name = `Zürich Support & Co ${randomBytes(3).toString('hex')}`;
    const first = (await newTenant(name)).tenant;
    const second = (await newTenant(name)).tenant;
    const base = name.replace('Zürich', 'zurich').replace(' & ', '-').replace(/ /g, '-').toLowerCase();
    expect(first.slug).toBe(base);
    expect(second.slug).toBe(`${base}-2`);
    const rows = await sql.query(`SELECT slug FROM tenants WHERE id = ANY($1::uuid[])`, [
      [first.id, second.id],
    ]);
    expect(rows.rows.map((r) => r.slug).sort()).toEqual([base, `${base}-2`]);
  });

  it('takes a given slug; a taken one is ALREADY_EXISTS and writes nothing; a bad one INVALID_ARGUMENT with the reason', async () => {
    const slug = `given-${randomBytes(3).toString('hex')}`;
    const admin = () => ({ email: uniqueEmail('admin'), name: 'A', password: 'correct horse battery' });
    const created = await client.createTenant({
      name: 'Any Name',
      slug: slug.toUpperCase(),
      timezone: '',
      admin: admin(),
    });
    expect(created.tenant?.slug).toBe(slug);
    const taken = admin();
    expect(
      await rejection(client.createTenant({ name: 'Other', slug, timezone: '', admin: taken })),
    ).toMatchObject({
      code: 'ALREADY_EXISTS',
      message: expect.stringMatching(/slug/),
    });
    expect(
      (await sql.query(`SELECT 1 FROM users WHERE email = $1`, [taken.email.toLowerCase()])).rowCount,
    ).toBe(0);
    for (const bad of ['-dash', 'a', 'has space', 'under_score', '123e4567-e89b-12d3-a456-426614174000']) {
      const failure = await rejection(
        client.createTenant({ name: 'Bad', slug: bad, timezone: '', admin: admin() }),
      );
      expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('slug') });
    }
  });

  it('finds a tenant by slug; changes name, slug and time zone; a taken slug is ALREADY_EXISTS', async () => {
    const { tenant } = await newTenant('Slug Lookup');
    const { tenant: other } = await newTenant('Slug Other');
    expect((await client.getTenantBySlug({ slug: tenant.slug.toUpperCase() })).tenant).toMatchObject({
      id: tenant.id,
      slug: tenant.slug,
    });
    expect(
      await rejection(client.getTenantBySlug({ slug: `missing-${randomBytes(3).toString('hex')}` })),
    ).toMatchObject({ code: 'NOT_FOUND' });

    const slug = `renamed-${randomBytes(3).toString('hex')}`;
    const updated = await client.updateTenant({
      id: tenant.id,
      name: 'Renamed MSP',
      slug,
      timezone: 'asia/tokyo',
    });
    expect(updated.tenant).toMatchObject({
      id: tenant.id,
      name: 'Renamed MSP',
      slug,
      timezone: 'Asia/Tokyo',
    });
    expect((await client.getTenantBySlug({ slug })).tenant?.id).toBe(tenant.id);
    expect(await rejection(client.getTenantBySlug({ slug: tenant.slug }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    // another tenant's slug names only that tenant: it cannot be taken over, and the other is unchanged
    expect(await rejection(client.updateTenant({ id: other.id, slug }))).toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    expect((await client.getTenant({ id: other.id })).tenant).toMatchObject({
      slug: other.slug,
      name: 'Slug Other',
    });
    expect(await rejection(client.updateTenant({ id: tenant.id, slug: 'Not A Slug' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(
      await rejection(client.updateTenant({ id: '00000000-0000-4000-8000-000000000000', name: 'X' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('users', () => {
  it('answers NOT_FOUND for another tenant’s user and never lists it', async () => {
    const a = await newTenant('Tenant A');
    const b = await newTenant('Tenant B');
    expect((await client.getUser({ tenantId: b.tenant.id, id: b.admin.id })).user?.id).toBe(b.admin.id);
    expect((await rejection(client.getUser({ tenantId: a.tenant.id, id: b.admin.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await rejection(client.updateUser({ tenantId: a.tenant.id, id: b.admin.id, name: 'Hijacked' }))).code,
    ).toBe('NOT_FOUND');
    expect((await client.getUser({ tenantId: b.tenant.id, id: b.admin.id })).user?.name).toBe('Ada Admin');
    const listed = await client.listUsers({ tenantId: a.tenant.id });
    expect(listed.items.map((u) => u.id)).toEqual([a.admin.id]);
  });

  it('keeps e-mail addresses unique across tenants, whatever their case', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const email = uniqueEmail('dup');
    const base = { name: 'D', role: 'agent', handle: '', timezone: '', password: 'long enough' };
    await client.createUser({ ...base, tenantId: a.tenant.id, email });
    const again = await rejection(
      client.createUser({ ...base, tenantId: b.tenant.id, email: email.toUpperCase() }),
    );
    expect(again.code).toBe('ALREADY_EXISTS');
    const tenantsBefore = (await sql.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n;
    const dupTenant = await rejection(
      client.createTenant({
        name: 'Dup',
        timezone: '',
        admin: { email, name: 'D', password: 'long enough' },
      }),
    );
    expect(dupTenant.code).toBe('ALREADY_EXISTS');
    // The tenant insert rolled back with the admin.
    expect((await sql.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n).toBe(tenantsBefore);
  });

  it('derives unique handles per tenant and refuses a taken explicit one', async () => {
    const { tenant } = await newTenant();
    const base = { tenantId: tenant.id, name: 'Anna', role: 'agent', timezone: '', password: 'long enough' };
    const suffix = randomBytes(3).toString('hex');
    const first = (await client.createUser({ ...base, email: `anna${suffix}@one.example`, handle: '' }))
      .user!;
    const second = (await client.createUser({ ...base, email: `Anna${suffix}@two.example`, handle: '' }))
      .user!;
    expect(first.handle).toBe(`anna${suffix}`);
    expect(second.handle).toBe(`anna${suffix}2`);
    expect(first.timezone).toBe('Europe/Berlin');
    const taken = await rejection(client.createUser({ ...base, email: uniqueEmail(), handle: first.handle }));
    expect(taken.code).toBe('ALREADY_EXISTS');
    const renamed = await client.updateUser({
      tenantId: tenant.id,
      id: second.id,
      handle: 'Anna.B',
      timezone: 'Asia/Tokyo',
    });
    expect(renamed.user).toMatchObject({ handle: 'anna.b', timezone: 'Asia/Tokyo' });
    expect(
      (await rejection(client.updateUser({ tenantId: tenant.id, id: first.id, handle: 'anna.b' }))).code,
    ).toBe('ALREADY_EXISTS');
  });

  it('pages through users by cursor in creation order', async () => {
    const { tenant, admin } = await newTenant();
    const created = [admin.id];
    for (let i = 0; i < 4; i += 1) {
      const res = await client.createUser({
        tenantId: tenant.id,
        email: uniqueEmail('page'),
        name: `P${i}`,
        role: 'agent',
        handle: '',
        timezone: '',
        password: 'long enough',
      });
      created.push(res.user!.id);
    }
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await client.listUsers({ tenantId: tenant.id, page: { limit: 2, cursor } });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(created);
    // Another tenant's cursor position does not reveal its rows.
    const other = await newTenant();
    const otherPage = await client.listUsers({ tenantId: other.tenant.id, page: { limit: 50, cursor: '' } });
    expect(otherPage.items.map((u) => u.id)).toEqual([other.admin.id]);
    expect(otherPage.nextCursor).toBe('');
  });
});

describe('teams', () => {
  it('creates a team of the tenant’s users and lists it', async () => {
    const { tenant, admin } = await newTenant();
    const agent = (
      await client.createUser({
        tenantId: tenant.id,
        email: uniqueEmail(),
        name: 'T',
        role: 'agent',
        handle: '',
        timezone: '',
        password: 'long enough',
      })
    ).user!;
    const team = (
      await client.createTeam({
        tenantId: tenant.id,
        name: 'Network',
        memberIds: [admin.id, agent.id, agent.id],
      })
    ).team!;
    expect(team.memberIds.sort()).toEqual([admin.id, agent.id].sort());
    const listed = await client.listTeams({ tenantId: tenant.id });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ id: team.id, name: 'Network' });
    expect(listed.items[0]!.memberIds.sort()).toEqual([admin.id, agent.id].sort());
    expect(
      (await rejection(client.createTeam({ tenantId: tenant.id, name: 'Network', memberIds: [] }))).code,
    ).toBe('ALREADY_EXISTS');
  });

  it('refuses a member from another tenant and leaves no team behind', async () => {
    const a = await newTenant();
    const b = await newTenant();
    const err = await rejection(
      client.createTeam({ tenantId: a.tenant.id, name: 'Mixed', memberIds: [a.admin.id, b.admin.id] }),
    );
    expect(err.code).toBe('NOT_FOUND');
    expect((await client.listTeams({ tenantId: a.tenant.id })).items).toHaveLength(0);
    expect((await client.listTeams({ tenantId: b.tenant.id })).items).toHaveLength(0);
  });
});

describe('API keys', () => {
  it('shows the secret once, stores only its hash, authenticates until revoked', async () => {
    const { tenant, admin } = await newTenant();
    const created = await client.createApiKey({ tenantId: tenant.id, name: 'RMM sync', createdBy: admin.id });
    const { secret } = created;
    const key = created.apiKey!;
    expect(secret).toMatch(/^hd_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`hd_${key.id.replace(/-/g, '').slice(0, 8)}_`)).toBe(true);
    expect(key.prefix).toBe(secret.slice(0, 10));
    expect(key.revokedAt).toBeUndefined();

    const authed = await client.authenticateApiKey({ secret });
    expect(authed.apiKey).toMatchObject({ id: key.id, tenantId: tenant.id, name: 'RMM sync' });
    expect(authed.apiKey?.lastUsedAt).toBeInstanceOf(Date);

    const rows = await sql.query('SELECT * FROM api_keys WHERE id = $1', [key.id]);
    expect(rows.rowCount).toBe(1);
    const stored = JSON.stringify(rows.rows[0]);
    const randomPart = secret.slice(12);
    expect(stored).not.toContain(randomPart);
    expect(rows.rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const anywhere = await sql.query(
      `SELECT count(*)::int AS n FROM api_keys t WHERE t::text LIKE '%' || $1 || '%'`,
      [randomPart],
    );
    expect(anywhere.rows[0].n).toBe(0);

    const listed = await client.listApiKeys({ tenantId: tenant.id });
    expect(listed.items.map((k) => k.id)).toEqual([key.id]);
    expect(JSON.stringify(listed)).not.toContain(randomPart);

    const other = await newTenant();
    expect((await rejection(client.revokeApiKey({ tenantId: other.tenant.id, id: key.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await client.authenticateApiKey({ secret })).apiKey?.id).toBe(key.id);

    const revoked = (await client.revokeApiKey({ tenantId: tenant.id, id: key.id })).apiKey!;
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const again = (await client.revokeApiKey({ tenantId: tenant.id, id: key.id })).apiKey!;
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());
    expect((await rejection(client.authenticateApiKey({ secret }))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses forged or malformed secrets', async () => {
    const { tenant, admin } = await newTenant();
    const { secret } = await client.createApiKey({ tenantId: tenant.id, name: 'k', createdBy: admin.id });
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    for (const bad of [`${secret.slice(0, -1)}${last}`, 'hd_nothing', `Bearer ${secret}`]) {
      expect((await rejection(client.authenticateApiKey({ secret: bad }))).code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets only an admin of the tenant create keys', async () => {
    const { tenant } = await newTenant();
    const other = await newTenant();
    const agent = (
      await client.createUser({
        tenantId: tenant.id,
        email: uniqueEmail(),
        name: 'K',
        role: 'agent',
        handle: '',
        timezone: '',
        password: 'long enough',
      })
    ).user!;
    expect(
      (await rejection(client.createApiKey({ tenantId: tenant.id, name: 'k', createdBy: agent.id }))).code,
    ).toBe('PERMISSION_DENIED');
    expect(
      (await rejection(client.createApiKey({ tenantId: tenant.id, name: 'k', createdBy: other.admin.id })))
        .code,
    ).toBe('NOT_FOUND');
  });
});

describe('events', () => {
  interface Received {
    envelope: { id: string; data: Record<string, unknown> } & Record<string, unknown>;
    msgId: string | undefined;
  }

  // Buffers every message of a subject so that several awaits can pick out the ones they need.
  function listen(subject: string) {
    const received: Received[] = [];
    const waiters: Array<() => void> = [];
    const sub = nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) return;
        received.push({
          envelope: JSON.parse(Buffer.from(msg.data).toString('utf8')),
          msgId: msg.headers?.get('Nats-Msg-Id'),
        });
        waiters.splice(0).forEach((wake) => wake());
      },
    });
    const next = async (
      predicate: (data: Record<string, unknown>) => boolean,
      timeoutMs = 10_000,
    ): Promise<Received> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find((r) => predicate(r.envelope.data));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching message on ${subject}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    };
    return { next, stop: () => sub.unsubscribe() };
  }

  it('writes tenant_created to the outbox and the relay publishes it on the prefixed subject', async () => {
    const events = listen(`${prefix}.helpdesk.identity.>`);
    const { tenant, admin } = await newTenant('Evented MSP', 'America/New_York');
    const tenantEvent = await events.next((data) => data.tenantId === tenant.id);
    expect(tenantEvent.envelope).toMatchObject({
      type: 'helpdesk.identity.tenant_created',
      version: 1,
      tenantId: tenant.id,
      data: { tenantId: tenant.id, name: 'Evented MSP', timezone: 'America/New_York', slug: tenant.slug },
    });
    expect(tenantEvent.msgId).toBe(tenantEvent.envelope.id);
    const userEvent = await events.next((data) => data.userId === admin.id);
    expect(userEvent.envelope).toMatchObject({
      type: 'helpdesk.identity.user_created',
      tenantId: tenant.id,
      data: { userId: admin.id, email: admin.email, role: 'admin', handle: admin.handle, active: true },
    });
    events.stop();

    const outbox = await sql.query(
      `SELECT type, payload, published_at FROM outbox WHERE tenant_id = $1 ORDER BY seq`,
      [tenant.id],
    );
    expect(outbox.rows.map((r) => r.type)).toEqual([
      'helpdesk.identity.tenant_created',
      'helpdesk.identity.user_created',
    ]);
    expect(outbox.rows[0].payload.id).toBe(tenantEvent.envelope.id);

    const updates = listen(`${prefix}.helpdesk.identity.tenant_updated`);
    await client.updateTenant({ id: tenant.id, slug: 'evented-renamed' });
    const updated = await updates.next((data) => data.tenantId === tenant.id);
    expect(updated.envelope).toMatchObject({
      type: 'helpdesk.identity.tenant_updated',
      tenantId: tenant.id,
      data: {
        tenantId: tenant.id,
        name: 'Evented MSP',
        timezone: 'America/New_York',
        slug: 'evented-renamed',
      },
    });
    updates.stop();
  });

  it('publishes user_updated when a user changes', async () => {
    const { tenant, admin } = await newTenant();
    const events = listen(`${prefix}.helpdesk.identity.user_updated`);
    await client.updateUser({ tenantId: tenant.id, id: admin.id, name: 'Ada Lovelace' });
    const event = await events.next((data) => data.userId === admin.id);
    expect(event.envelope).toMatchObject({
      tenantId: tenant.id,
      data: { name: 'Ada Lovelace', role: 'admin' },
    });
    events.stop();
  });
});

describe('operations', () => {
  it('answers readiness with db and nats checks', async () => {
    const res = await fetch(`http://127.0.0.1:${service.healthPort}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'ok', nats: 'ok' } });
  });

  it('seeds the demo tenant once and leaves it alone after', async () => {
    const seedConfig = seedDemoConfigSchema.parse({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
    const first = await seedDemo(seedConfig);
    const second = await seedDemo(seedConfig);
    expect(first).toMatchObject({ adminEmail: 'admin@demo.helpdesk.local', slug: 'demo', created: true });
    expect(second).toEqual({ ...first, created: false });
    const tenants = await sql.query(`SELECT id, timezone FROM tenants WHERE name = 'Demo MSP'`);
    expect(tenants.rows).toEqual([{ id: first.tenantId, timezone: 'UTC' }]);
    const login = await client.login({ email: 'admin@demo.helpdesk.local', password: 'helpdesk-demo-admin' });
    expect(login.user).toMatchObject({ tenantId: first.tenantId, role: 'admin', name: 'Demo Admin' });
  });
});
