// The real gateway (HTTP on port 0, real Redis) in front of an in-memory DirectoryService peer on a real gRPC
// server: checks the REST ↔ proto mapping of the directory routes (If-Match, null fields, write-only password,
// error codes). The real ticket service behind these routes is the system test's job (test/directory.sys-spec.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import Redis from 'ioredis';
import { SignJWT } from 'jose';
import { directoryV1 } from '@helpdesk/contracts';
import { startGrpcServer, unary, type RunningGrpcServer } from '@helpdesk/grpc';
import { alreadyExists, conflict, createLogger, notFound } from '@helpdesk/platform';
import { NATS_URL, REDIS_URL, deletePrefixedStreams, uniquePrefix } from '@helpdesk/testing';
import { loadGatewayConfig } from '../src/config';
import { buildGateway, type Gateway } from '../src/main';

const JWT_SECRET = randomBytes(32).toString('hex');
const KEY_PREFIX = `hd_test_gwdir_${randomBytes(6).toString('hex')}:`;
// the live events' streams of this run (GET /events)
const BUS_PREFIX = uniquePrefix('gwdir');

// ---------- directory peer (in memory, tenant-scoped like the real one) ----------

class FakeDirectory {
  clients: directoryV1.Client[] = [];
  contacts: Array<directoryV1.Contact & { password: string }> = [];
  lastUpdateClient?: directoryV1.UpdateClientRequest;
  lastCreateContact?: directoryV1.CreateContactRequest;
  lastUpdateContact?: directoryV1.UpdateContactRequest;
  lastListContacts?: directoryV1.ListContactsRequest;

  private client(tenantId: string, id: string) {
    const found = this.clients.find((c) => c.tenantId === tenantId && c.id === id);
    if (!found) throw notFound('client');
    return found;
  }

  private contact(tenantId: string, id: string) {
    const found = this.contacts.find((c) => c.tenantId === tenantId && c.id === id);
    if (!found) throw notFound('contact');
    return found;
  }

  private static bump<T extends { version: number; updatedAt?: Date | undefined }>(
    record: T,
    expected?: number,
  ) {
    if (expected !== undefined && expected !== record.version) throw conflict('stale version');
    record.version += 1;
    record.updatedAt = new Date();
  }

  private static publicContact({
    password: _password,
    ...contact
  }: directoryV1.Contact & { password: string }) {
    return contact;
  }

  implementation(): Partial<directoryV1.DirectoryServiceServer> & UntypedServiceImplementation {
    return {
      createClient: unary(async (req: directoryV1.CreateClientRequest) => {
        const now = new Date();
        const client: directoryV1.Client = {
          id: randomUUID(),
          tenantId: req.tenantId,
          name: req.name,
          domains: req.domains,
          slaPolicyId: req.slaPolicyId,
          notes: req.notes,
          createdAt: now,
          updatedAt: now,
          version: 1,
        };
        this.clients.push(client);
        return { client };
      }),
      getClient: unary(async (req: directoryV1.GetClientRequest) => ({
        client: this.client(req.tenantId, req.id),
      })),
      listClients: unary(async (req: directoryV1.ListClientsRequest) => ({
        items: this.clients.filter((c) => c.tenantId === req.tenantId && c.name.includes(req.q)),
        nextCursor: '',
      })),
      updateClient: unary(async (req: directoryV1.UpdateClientRequest) => {
        this.lastUpdateClient = req;
        const client = this.client(req.tenantId, req.id);
        FakeDirectory.bump(client, req.expectedVersion);
        if (req.name !== undefined) client.name = req.name;
        if (req.domains !== undefined) client.domains = req.domains.domains;
        if (req.slaPolicyId !== undefined) client.slaPolicyId = req.slaPolicyId;
        if (req.notes !== undefined) client.notes = req.notes;
        return { client };
      }),
      createContact: unary(async (req: directoryV1.CreateContactRequest) => {
        this.lastCreateContact = req;
        if (this.contacts.some((c) => c.tenantId === req.tenantId && c.email === req.email.toLowerCase())) {
          throw alreadyExists('A contact with this e-mail address already exists');
        }
        const now = new Date();
        const contact = {
          id: randomUUID(),
          tenantId: req.tenantId,
          name: req.name,
          email: req.email.toLowerCase(),
          phone: req.phone,
          clientId: req.clientId,
          portalAccess: req.portalAccess || 'none',
          hasPortalPassword: req.password !== '',
          emailBouncing: false,
          createdAt: now,
          updatedAt: now,
          version: 1,
          password: req.password,
        };
        this.contacts.push(contact);
        return { contact: FakeDirectory.publicContact(contact) };
      }),
      getContact: unary(async (req: directoryV1.GetContactRequest) => ({
        contact: FakeDirectory.publicContact(this.contact(req.tenantId, req.id)),
      })),
      listContacts: unary(async (req: directoryV1.ListContactsRequest) => {
        this.lastListContacts = req;
        return {
          items: this.contacts
            .filter((c) => c.tenantId === req.tenantId)
            .map((c) => FakeDirectory.publicContact(c)),
          nextCursor: '',
        };
      }),
      updateContact: unary(async (req: directoryV1.UpdateContactRequest) => {
        this.lastUpdateContact = req;
        const contact = this.contact(req.tenantId, req.id);
        FakeDirectory.bump(contact, req.expectedVersion);
        if (req.phone !== undefined) contact.phone = req.phone;
        if (req.clientId !== undefined) contact.clientId = req.clientId;
        if (req.password !== undefined) {
          contact.password = req.password;
          contact.hasPortalPassword = req.password !== '';
        }
        return { contact: FakeDirectory.publicContact(contact) };
      }),
    };
  }
}

// ---------- harness ----------

const directory = new FakeDirectory();
let peer: RunningGrpcServer;
let gateway: Gateway;
let base: string;
let redis: Redis;

async function agentToken(tenantId: string): Promise<string> {
  return new SignJWT({ tid: tenantId, role: 'agent', typ: 'agent' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(randomUUID())
    .setIssuer('helpdesk')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

async function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are JSON, checked field by field
): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

beforeAll(async () => {
  peer = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    services: [
      {
        definition: directoryV1.DirectoryServiceService,
        implementation: directory.implementation() as unknown as UntypedServiceImplementation,
      },
    ],
    logger: createLogger('gateway-dir-test', 'silent'),
  });
  const config = loadGatewayConfig({
    NATS_URL,
    BUS_PREFIX,
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    REDIS_URL,
    REDIS_KEY_PREFIX: KEY_PREFIX,
    // identity is never called: agent tokens are verified by the gateway itself
    IDENTITY_GRPC_URL: '127.0.0.1:1',
    TICKET_GRPC_URL: `127.0.0.1:${peer.port}`,
    GRPC_DEADLINE_MS: '3000',
    HELPDESK_JWT_SECRET: JWT_SECRET,
  });
  gateway = await buildGateway(config, createLogger('gateway', 'silent'));
  base = `http://127.0.0.1:${gateway.port}`;
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await gateway?.close();
  await deletePrefixedStreams(BUS_PREFIX);
  await peer?.shutdown();
  if (redis) {
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
});

describe('directory routes', () => {
  it('creates, reads, lists and patches a client with If-Match mapped to expected_version', async () => {
    const tenant = randomUUID();
    const token = await agentToken(tenant);
    const sla = randomUUID();
    const created = await call('POST', '/api/v1/clients', token, {
      name: 'Acme',
      domains: ['acme.com'],
      slaPolicyId: sla,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Acme',
      domains: ['acme.com'],
      slaPolicyId: sla,
      notes: '',
      version: 1,
    });
    const id = created.body.id as string;

    expect((await call('GET', `/api/v1/clients/${id}`, token)).body.name).toBe('Acme');
    const list = await call('GET', '/api/v1/clients?q=Ac&limit=5', token);
    expect(list.body).toEqual({ items: [expect.objectContaining({ id })], nextCursor: null });

    const patched = await call(
      'PATCH',
      `/api/v1/clients/${id}`,
      token,
      { slaPolicyId: null },
      { 'if-match': 'W/"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ slaPolicyId: null, version: 2 });
    expect(directory.lastUpdateClient).toMatchObject({ expectedVersion: 1, slaPolicyId: '' });
    expect(directory.lastUpdateClient!.name).toBeUndefined();
    expect(directory.lastUpdateClient!.domains).toBeUndefined();

    const stale = await call('PATCH', `/api/v1/clients/${id}`, token, { notes: 'x' }, { 'if-match': '1' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    const any = await call('PATCH', `/api/v1/clients/${id}`, token, { notes: 'x' }, { 'if-match': '*' });
    expect(any.status).toBe(200);
    expect(directory.lastUpdateClient!.expectedVersion).toBeUndefined();
    const badHeader = await call(
      'PATCH',
      `/api/v1/clients/${id}`,
      token,
      { notes: 'y' },
      { 'if-match': 'abc' },
    );
    expect(badHeader.status).toBe(400);
  });

  it("answers 404 for another tenant's records and 400 for bad bodies", async () => {
    const owner = await agentToken(randomUUID());
    const other = await agentToken(randomUUID());
    const client = await call('POST', '/api/v1/clients', owner, { name: 'Mine' });
    const contact = await call('POST', '/api/v1/contacts', owner, { name: 'Jo', email: 'jo@mine.example' });
    expect((await call('GET', `/api/v1/clients/${client.body.id}`, other)).status).toBe(404);
    expect((await call('GET', `/api/v1/contacts/${contact.body.id}`, other)).body.error.code).toBe(
      'NOT_FOUND',
    );
    expect((await call('PATCH', `/api/v1/contacts/${contact.body.id}`, other, { phone: null })).status).toBe(
      404,
    );

    for (const bad of [
      { name: 'X', tenantId: randomUUID() },
      { name: '' },
      { name: 'X', domains: 'acme.com' },
      { name: 'X', slaPolicyId: 'gold' },
    ]) {
      expect((await call('POST', '/api/v1/clients', owner, bad)).status).toBe(400);
    }
    for (const bad of [
      { name: 'X', email: 'not-an-address' },
      { name: 'X', email: 'x@y.example', portalAccess: 'all' },
      { name: 'X', email: 'x@y.example', password: 'short' },
      { name: 'X', email: 'x@y.example', hasPortalPassword: true },
    ]) {
      expect((await call('POST', '/api/v1/contacts', owner, bad)).status).toBe(400);
    }
    expect((await call('PATCH', `/api/v1/clients/${client.body.id}`, owner, {})).status).toBe(400);
  });

  it('keeps the portal password write-only and maps null to "clear"', async () => {
    const token = await agentToken(randomUUID());
    const password = 'correct horse battery staple';
    const created = await call('POST', '/api/v1/contacts', token, {
      name: 'Jane',
      email: 'Jane@Acme.example',
      password,
      portalAccess: 'own',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'jane@acme.example',
      clientId: null,
      phone: null,
      portalAccess: 'own',
      hasPortalPassword: true,
    });
    expect(created.text).not.toContain(password);
    expect(Object.keys(created.body)).not.toContain('password');
    // no clientId: the service joins by domain
    expect(directory.lastCreateContact).toMatchObject({ clientId: '', password });

    const dup = await call('POST', '/api/v1/contacts', token, { name: 'Again', email: 'jane@acme.example' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('ALREADY_EXISTS');

    const cleared = await call('PATCH', `/api/v1/contacts/${created.body.id}`, token, {
      password: null,
      clientId: null,
    });
    expect(cleared.body.hasPortalPassword).toBe(false);
    expect(directory.lastUpdateContact).toMatchObject({ password: '', clientId: '' });
    expect(directory.lastUpdateContact!.phone).toBeUndefined();

    const list = await call('GET', `/api/v1/contacts?email=Jane@Acme.example&q=jan`, token);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(password);
    expect(directory.lastListContacts).toMatchObject({ email: 'Jane@Acme.example', q: 'jan', clientId: '' });
    expect((await call('GET', '/api/v1/contacts?clientId=nope', token)).status).toBe(400);
  });

  it('describes the directory routes, If-Match included, in the OpenAPI document', async () => {
    const res = await fetch(`${base}/api/v1/openapi.json`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks an untyped JSON document
    const doc = (await res.json()) as any;
    for (const [path, methods] of [
      ['/api/v1/clients', ['get', 'post']],
      ['/api/v1/clients/{id}', ['get', 'patch']],
      ['/api/v1/contacts', ['get', 'post']],
      ['/api/v1/contacts/{id}', ['get', 'patch']],
    ] as const) {
      expect(Object.keys(doc.paths[path]).sort()).toEqual([...methods].sort());
    }
    const patch = doc.paths['/api/v1/contacts/{id}'].patch;
    expect(patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:id', 'header:If-Match', 'header:Idempotency-Key']),
    );
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    const contact = doc.components.schemas.Contact;
    expect(Object.keys(contact.properties)).not.toContain('password');
  });
});
