// The directory through the whole platform (docs/product/tenants-and-users.md and its REST resources): clients and
// contacts over REST, served by the ticket service behind the gateway, each
// service its own process with its own database.
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
const password = 'portal passphrase 42';
// every answer of the run, to prove the portal password never comes back in any of them
const answers: string[] = [];

async function api(...args: Parameters<TestPlatform['api']>) {
  const reply = await platform.api(...args);
  answers.push(reply.text);
  return reply;
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'dirsys' });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Directory MSP'),
    platform.createTenantAndLogin('Other Directory MSP'),
  ]);
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

describe('directory through the gateway', () => {
  let clientId = '';
  let contactId = '';

  it('creates, reads, lists and updates a client', async () => {
    const created = await api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'Acme Corp', domains: ['ACME.example', 'acme-eu.example'], notes: 'Gold' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Acme Corp',
      domains: ['acme.example', 'acme-eu.example'],
      slaPolicyId: null,
      notes: 'Gold',
      version: 1,
    });
    clientId = created.body.id;

    const read = await api('GET', `/api/v1/clients/${clientId}`, { token: a.token });
    expect(read.body).toEqual(created.body);
    const list = await api('GET', '/api/v1/clients?q=acme&limit=10', { token: a.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [created.body], nextCursor: null });

    const updated = await api('PATCH', `/api/v1/clients/${clientId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { notes: 'Platinum' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      notes: 'Platinum',
      version: 2,
      domains: ['acme.example', 'acme-eu.example'],
    });
  });

  it('creates a contact that joins the client of its domain, keeps its password write-only, and updates it', async () => {
    const created = await api('POST', '/api/v1/contacts', {
      token: a.token,
      body: {
        name: 'Jane Doe',
        email: 'Jane.Doe@Acme.example',
        phone: '+49 30 123',
        password,
        portalAccess: 'own',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Jane Doe',
      email: 'jane.doe@acme.example',
      phone: '+49 30 123',
      clientId,
      portalAccess: 'own',
      hasPortalPassword: true,
      version: 1,
    });
    contactId = created.body.id;

    const byClient = await api('GET', `/api/v1/contacts?clientId=${clientId}`, { token: a.token });
    expect(byClient.body.items.map((c: { id: string }) => c.id)).toEqual([contactId]);
    const byEmail = await api('GET', '/api/v1/contacts?email=JANE.DOE@acme.example', { token: a.token });
    expect(byEmail.body.items).toHaveLength(1);

    const updated = await api('PATCH', `/api/v1/contacts/${contactId}`, {
      token: a.token,
      headers: { 'if-match': '"1"' },
      body: { portalAccess: 'client', password: 'a brand new passphrase', phone: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      portalAccess: 'client',
      phone: null,
      hasPortalPassword: true,
      version: 2,
    });
    const read = await api('GET', `/api/v1/contacts/${contactId}`, { token: a.token });
    expect(read.body).toEqual(updated.body);
  });

  it('answers 409 for a duplicate e-mail or domain and for a stale If-Match', async () => {
    const dupEmail = await api('POST', '/api/v1/contacts', {
      token: a.token,
      body: { name: 'Jane Again', email: 'JANE.DOE@acme.example' },
    });
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.body.error).toEqual({
      code: 'ALREADY_EXISTS',
      message: 'A contact with this e-mail address already exists',
      details: {
        fields: [{ path: ['email'], message: 'A contact with this e-mail address already exists' }],
      },
    });
    const dupDomain = await api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'Acme Clone', domains: ['acme.example'] },
    });
    expect(dupDomain.status).toBe(409);
    expect(dupDomain.body.error.code).toBe('ALREADY_EXISTS');
    expect(dupDomain.body.error.details).toEqual({
      fields: [{ path: ['domains'], message: 'A domain already belongs to another client' }],
    });

    const staleClient = await api('PATCH', `/api/v1/clients/${clientId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { name: 'Lost update' },
    });
    expect(staleClient.status).toBe(409);
    expect(staleClient.body.error.code).toBe('CONFLICT');
    // the backend's current version is no field of the request: no details (ADR 0028)
    expect(staleClient.body.error).not.toHaveProperty('details');
    const staleContact = await api('PATCH', `/api/v1/contacts/${contactId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { name: 'Lost update' },
    });
    expect(staleContact.status).toBe(409);
    expect(staleContact.body.error.code).toBe('CONFLICT');
    expect((await api('GET', `/api/v1/clients/${clientId}`, { token: a.token })).body.name).toBe('Acme Corp');
  });

  it("answers 404 for another tenant's client and contact, and lists none of them", async () => {
    for (const path of [`/api/v1/clients/${clientId}`, `/api/v1/contacts/${contactId}`]) {
      const read = await api('GET', path, { token: b.token });
      expect(read.status).toBe(404);
      expect(read.body.error.code).toBe('NOT_FOUND');
      const write = await api('PATCH', path, { token: b.token, body: { name: 'Taken over' } });
      expect(write.status).toBe(404);
    }
    expect((await api('GET', '/api/v1/clients', { token: b.token })).body.items).toEqual([]);
    expect((await api('GET', '/api/v1/contacts', { token: b.token })).body.items).toEqual([]);
    // the same domain and address are free in the other tenant
    const own = await api('POST', '/api/v1/clients', {
      token: b.token,
      body: { name: 'B Acme', domains: ['acme.example'] },
    });
    expect(own.status).toBe(201);
    const sameEmail = await api('POST', '/api/v1/contacts', {
      token: b.token,
      body: { name: 'Jane in B', email: 'jane.doe@acme.example' },
    });
    expect(sameEmail.status).toBe(201);
    expect(sameEmail.body.clientId).toBe(own.body.id);
  });

  it('answers 400 for bad bodies', async () => {
    const unknownField = await api('POST', '/api/v1/contacts', {
      token: a.token,
      body: { name: 'X', email: 'x@acme.example', hasPortalPassword: true },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details).toEqual({
      fields: [{ path: ['hasPortalPassword'], message: 'Unrecognized key' }],
    });
    const badDomain = await api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'X', domains: ['not a domain'] },
    });
    expect(badDomain.status).toBe(400);
    expect(badDomain.body.error.code).toBe('INVALID_ARGUMENT');
    expect(badDomain.body.error.details).toEqual({
      fields: [{ path: ['domains'], message: expect.any(String) }],
    });
    const shortPassword = await api('PATCH', `/api/v1/contacts/${contactId}`, {
      token: a.token,
      body: { password: 'short' },
    });
    expect(shortPassword.status).toBe(400);
  });

  it('never answered the portal password, nor its hash', () => {
    expect(answers.length).toBeGreaterThan(15);
    for (const text of answers) {
      expect(text).not.toContain(password);
      expect(text).not.toContain('a brand new passphrase');
      expect(text).not.toMatch(/\$argon2|"(password|passwordHash|portalPasswordHash)"\s*:/i);
    }
  });
});
