// The directory (clients, contacts) through the ticket service's real gRPC server on port 0, against real
// PostgreSQL and NATS JetStream, in a database and a BUS_PREFIX of its own.
import { randomUUID } from 'node:crypto';
import { connectBus, type Bus } from '@helpdesk/bus';
import { commonV1, directoryV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { DomainError, createLogger } from '@helpdesk/platform';
import {
  inProcessServiceEnv,
  NATS_URL,
  createTestDatabase,
  deletePrefixedStreams,
  uniquePrefix,
  type TestDatabase,
} from '@helpdesk/testing';
import type { Msg } from 'nats';
import { ticketConfigSchema } from '../src/config';
import { buildTicketService, type RunningTicketService } from '../src/ticket-service';

type Client = PromiseClient<directoryV1.DirectoryServiceClient>;

const actor: commonV1.Actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: 'user-1' };

function clientRequest(
  tenantId: string,
  over: Partial<directoryV1.CreateClientRequest> = {},
): directoryV1.CreateClientRequest {
  return { tenantId, actor, name: 'Acme Corp', domains: [], slaPolicyId: '', notes: '', ...over };
}

function contactRequest(
  tenantId: string,
  over: Partial<directoryV1.CreateContactRequest> = {},
): directoryV1.CreateContactRequest {
  return {
    tenantId,
    actor,
    name: 'Jane Doe',
    email: `jane-${randomUUID().slice(0, 8)}@nowhere.example`,
    phone: '',
    clientId: '',
    portalAccess: '',
    password: '',
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const outcome = await p.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface OutboxRow {
  type: string;
  tenant_id: string;
  payload: { type: string; tenantId: string; data: Record<string, Record<string, unknown>> };
}

describe('directory (gRPC, PostgreSQL, NATS)', () => {
  const prefix = uniquePrefix('dir');
  let db: TestDatabase;
  let service: RunningTicketService;
  let client: Client;
  let observer: Bus;
  const published: Msg[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ticket');
    observer = await connectBus({
      servers: NATS_URL,
      prefix,
      name: 'directory-int-spec',
      logger: createLogger('directory-test', 'silent'),
    });
    observer.nc.subscribe(`${prefix}.helpdesk.ticket.>`, { callback: (_err, msg) => published.push(msg) });
    const config = ticketConfigSchema.parse({
      ...inProcessServiceEnv(db.url, prefix),
    });
    service = await buildTicketService(config);
    client = createGrpcClient(directoryV1.DirectoryServiceClient, `127.0.0.1:${service.grpcPort}`);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await observer?.close();
    await deletePrefixedStreams(prefix);
    await db?.drop();
  });

  const outbox = (tenantId: string) =>
    service.prisma.$queryRawUnsafe<OutboxRow[]>(
      'SELECT type, tenant_id::text, payload FROM outbox WHERE tenant_id = $1::uuid ORDER BY seq',
      tenantId,
    );

  describe('clients', () => {
    it('creates with normalized domains, reads it back and records client_created in the outbox', async () => {
      const tenant = randomUUID();
      const sla = randomUUID();
      const { client: created } = await client.createClient(
        clientRequest(tenant, {
          name: '  Acme   Corp ',
          domains: ['Acme.COM', '@acme-eu.example.', 'acme.com'],
          slaPolicyId: sla,
          notes: 'Gold customer',
        }),
      );
      expect(created).toMatchObject({
        tenantId: tenant,
        name: 'Acme Corp',
        domains: ['acme.com', 'acme-eu.example'],
        slaPolicyId: sla,
        notes: 'Gold customer',
        version: 1,
      });
      expect((await client.getClient({ tenantId: tenant, id: created!.id })).client).toEqual(created);

      const rows = await outbox(tenant);
      expect(rows.map((r) => r.type)).toEqual(['helpdesk.ticket.client_created']);
      expect(rows[0]!.payload.data.client).toMatchObject({
        id: created!.id,
        domains: ['acme.com', 'acme-eu.example'],
      });
      // and the relay publishes it
      await waitFor('client_created on NATS', () =>
        published.find(
          (m) => m.subject === `${prefix}.helpdesk.ticket.client_created` && m.string().includes(created!.id),
        ),
      );
    });

    it('refuses a domain that already belongs to another client of the tenant, not of another tenant', async () => {
      const tenant = randomUUID();
      await client.createClient(clientRequest(tenant, { name: 'First', domains: ['shared.example'] }));
      const dup = await failure(
        client.createClient(
          clientRequest(tenant, { name: 'Second', domains: ['other.example', 'SHARED.example'] }),
        ),
      );
      expect(dup.code).toBe('ALREADY_EXISTS');
      // nothing of the refused client was kept, its other domain included
      const { items } = await client.listClients({ tenantId: tenant, q: '' });
      expect(items.map((c) => c.name)).toEqual(['First']);
      await client.createClient(clientRequest(tenant, { name: 'Third', domains: ['other.example'] }));

      const elsewhere = await client.createClient(
        clientRequest(randomUUID(), { domains: ['shared.example'] }),
      );
      expect(elsewhere.client!.domains).toEqual(['shared.example']);
    });

    it('refuses bad values with INVALID_ARGUMENT', async () => {
      const tenant = randomUUID();
      for (const bad of [
        clientRequest(tenant, { name: '   ' }),
        clientRequest(tenant, { domains: ['not a domain'] }),
        clientRequest(tenant, { domains: ['localhost'] }),
        clientRequest(tenant, { slaPolicyId: 'gold' }),
      ]) {
        expect((await failure(client.createClient(bad))).code).toBe('INVALID_ARGUMENT');
      }
    });

    it('lists by name with a name filter and cursor pages, scoped to the tenant', async () => {
      const tenant = randomUUID();
      for (const name of ['delta Networks', 'Alpha IT', 'Charlie Labs', 'bravo Net', 'Echo Net'])
        await client.createClient(clientRequest(tenant, { name }));
      await client.createClient(clientRequest(randomUUID(), { name: 'Alpha Other Tenant' }));

      const names: string[] = [];
      let cursor = '';
      let pages = 0;
      do {
        const page = await client.listClients({ tenantId: tenant, page: { limit: 2, cursor }, q: '' });
        names.push(...page.items.map((c) => c.name));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== '');
      expect(pages).toBe(3);
      expect(names).toHaveLength(5);
      expect(names.map((n) => n.toLowerCase())).toEqual([...names].map((n) => n.toLowerCase()).sort());

      const net = await client.listClients({ tenantId: tenant, q: 'NET' });
      expect(net.items.map((c) => c.name).sort()).toEqual(['Echo Net', 'bravo Net', 'delta Networks'].sort());
      expect(
        (await failure(client.listClients({ tenantId: tenant, page: { limit: 2, cursor: 'nope!' }, q: '' })))
          .code,
      ).toBe('INVALID_ARGUMENT');
    });

    it('updates with If-Match, answers CONFLICT when stale and records client_updated', async () => {
      const tenant = randomUUID();
      const { client: created } = await client.createClient(
        clientRequest(tenant, { domains: ['old.example'], slaPolicyId: randomUUID() }),
      );
      const { client: updated } = await client.updateClient({
        tenantId: tenant,
        actor,
        id: created!.id,
        expectedVersion: 1,
        name: 'Acme Renamed',
        domains: { domains: ['new.example'] },
        slaPolicyId: '',
      });
      expect(updated).toMatchObject({
        name: 'Acme Renamed',
        domains: ['new.example'],
        slaPolicyId: '',
        version: 2,
      });
      expect(updated!.notes).toBe(created!.notes);

      const stale = await failure(
        client.updateClient({
          tenantId: tenant,
          actor,
          id: created!.id,
          expectedVersion: 1,
          notes: 'lost update',
        }),
      );
      expect(stale.code).toBe('CONFLICT');
      expect((await client.getClient({ tenantId: tenant, id: created!.id })).client!.notes).toBe('');

      // the old domain is free again, the new one is taken
      await client.createClient(clientRequest(tenant, { name: 'Takes old', domains: ['old.example'] }));
      expect(
        (await failure(client.createClient(clientRequest(tenant, { domains: ['new.example'] })))).code,
      ).toBe('ALREADY_EXISTS');
      // without If-Match the update simply applies
      const { client: noted } = await client.updateClient({
        tenantId: tenant,
        actor,
        id: created!.id,
        notes: 'n',
      });
      expect(noted!.version).toBe(3);

      const types = (await outbox(tenant)).map((r) => r.type);
      expect(types.filter((t) => t === 'helpdesk.ticket.client_updated')).toHaveLength(2);
    });

    it("answers NOT_FOUND for another tenant's client, on read and on update", async () => {
      const owner = randomUUID();
      const { client: created } = await client.createClient(clientRequest(owner));
      const intruder = randomUUID();
      expect((await failure(client.getClient({ tenantId: intruder, id: created!.id }))).code).toBe(
        'NOT_FOUND',
      );
      expect(
        (await failure(client.updateClient({ tenantId: intruder, actor, id: created!.id, name: 'Mine now' })))
          .code,
      ).toBe('NOT_FOUND');
      expect((await failure(client.getClient({ tenantId: owner, id: 'not-a-uuid' }))).code).toBe('NOT_FOUND');
      expect((await client.getClient({ tenantId: owner, id: created!.id })).client!.name).toBe('Acme Corp');
    });
  });

  describe('contacts', () => {
    it('joins the client owning the e-mail domain and records contact_created', async () => {
      const tenant = randomUUID();
      const { client: acme } = await client.createClient(
        clientRequest(tenant, { domains: ['acme.example'] }),
      );
      const { contact: joined } = await client.createContact(
        contactRequest(tenant, { email: ' Jane.Doe@ACME.example ', phone: '+49 30 1234' }),
      );
      expect(joined).toMatchObject({
        tenantId: tenant,
        name: 'Jane Doe',
        email: 'jane.doe@acme.example',
        phone: '+49 30 1234',
        clientId: acme!.id,
        portalAccess: 'none',
        hasPortalPassword: false,
        version: 1,
      });
      // a subdomain is another domain; an unknown one joins no client
      const { contact: sub } = await client.createContact(
        contactRequest(tenant, { email: 'x@eu.acme.example' }),
      );
      expect(sub!.clientId).toBe('');
      // an explicit client wins over the domain
      const { client: other } = await client.createClient(clientRequest(tenant, { name: 'Other' }));
      const { contact: explicit } = await client.createContact(
        contactRequest(tenant, { email: 'boss@acme.example', clientId: other!.id, portalAccess: 'client' }),
      );
      expect(explicit).toMatchObject({ clientId: other!.id, portalAccess: 'client' });

      const created = (await outbox(tenant)).filter((r) => r.type === 'helpdesk.ticket.contact_created');
      expect(created.map((r) => r.payload.data.contact!.id)).toEqual([joined!.id, sub!.id, explicit!.id]);
    });

    it('refuses a second contact with the same e-mail in a tenant, in any letter case', async () => {
      const tenant = randomUUID();
      await client.createContact(contactRequest(tenant, { email: 'dup@x.example' }));
      const dup = await failure(client.createContact(contactRequest(tenant, { email: 'DUP@x.example' })));
      expect(dup.code).toBe('ALREADY_EXISTS');
      const { contact } = await client.createContact(
        contactRequest(randomUUID(), { email: 'dup@x.example' }),
      );
      expect(contact!.email).toBe('dup@x.example');

      const { contact: second } = await client.createContact(
        contactRequest(tenant, { email: 'second@x.example' }),
      );
      const taken = await failure(
        client.updateContact({ tenantId: tenant, actor, id: second!.id, email: 'Dup@X.example' }),
      );
      expect(taken.code).toBe('ALREADY_EXISTS');
    });

    it('refuses bad values and a client of another tenant with INVALID_ARGUMENT', async () => {
      const tenant = randomUUID();
      const { client: foreign } = await client.createClient(clientRequest(randomUUID()));
      for (const bad of [
        contactRequest(tenant, { email: 'not-an-address' }),
        contactRequest(tenant, { portalAccess: 'everything' }),
        contactRequest(tenant, { password: 'short' }),
        contactRequest(tenant, { clientId: foreign!.id }),
        contactRequest(tenant, { clientId: randomUUID() }),
      ]) {
        expect((await failure(client.createContact(bad))).code).toBe('INVALID_ARGUMENT');
      }
    });

    it('stores the portal password as argon2id and never answers or publishes it', async () => {
      const tenant = randomUUID();
      const password = 'correct horse battery staple';
      const { contact } = await client.createContact(
        contactRequest(tenant, { password, portalAccess: 'own' }),
      );
      expect(contact!.hasPortalPassword).toBe(true);
      expect(JSON.stringify(contact)).not.toContain(password);

      const hashOf = async (id: string) =>
        (
          await service.prisma.$queryRawUnsafe<Array<{ h: string | null }>>(
            'SELECT portal_password_hash AS h FROM contacts WHERE id = $1::uuid',
            id,
          )
        )[0]!.h;
      const first = await hashOf(contact!.id);
      expect(first).toMatch(/^\$argon2id\$/);
      expect(first).not.toContain(password);

      const { contact: changed } = await client.updateContact({
        tenantId: tenant,
        actor,
        id: contact!.id,
        password: 'another long passphrase',
      });
      expect(changed).toMatchObject({ hasPortalPassword: true, version: 2 });
      const second = await hashOf(contact!.id);
      expect(second).toMatch(/^\$argon2id\$/);
      expect(second).not.toBe(first);

      const { contact: removed } = await client.updateContact({
        tenantId: tenant,
        actor,
        id: contact!.id,
        password: '',
      });
      expect(removed!.hasPortalPassword).toBe(false);
      expect(await hashOf(contact!.id)).toBeNull();

      const events = JSON.stringify(await outbox(tenant));
      expect(events).not.toContain(password);
      expect(events).not.toContain('argon2');
      expect(events).not.toMatch(/"(password|passwordHash|portalPasswordHash)"/i);
    });

    it('updates with If-Match, answers CONFLICT when stale, and filters lists by client, e-mail and text', async () => {
      const tenant = randomUUID();
      const { client: acme } = await client.createClient(
        clientRequest(tenant, { domains: ['acme.example'] }),
      );
      const { contact: jane } = await client.createContact(
        contactRequest(tenant, { name: 'Jane Doe', email: 'jane@acme.example', phone: '123' }),
      );
      const { contact: bob } = await client.createContact(
        contactRequest(tenant, { name: 'Bob Roe', email: 'bob@elsewhere.example' }),
      );

      const { contact: moved } = await client.updateContact({
        tenantId: tenant,
        actor,
        id: bob!.id,
        expectedVersion: 1,
        clientId: acme!.id,
        portalAccess: 'own',
        phone: '',
      });
      expect(moved).toMatchObject({ clientId: acme!.id, portalAccess: 'own', phone: '', version: 2 });
      expect(
        (
          await failure(
            client.updateContact({ tenantId: tenant, actor, id: bob!.id, expectedVersion: 1, name: 'X' }),
          )
        ).code,
      ).toBe('CONFLICT');
      const { contact: detached } = await client.updateContact({
        tenantId: tenant,
        actor,
        id: jane!.id,
        clientId: '',
      });
      expect(detached!.clientId).toBe('');

      const byClient = await client.listContacts({ tenantId: tenant, clientId: acme!.id, email: '', q: '' });
      expect(byClient.items.map((c) => c.id)).toEqual([bob!.id]);
      const byEmail = await client.listContacts({
        tenantId: tenant,
        clientId: '',
        email: 'JANE@acme.example',
        q: '',
      });
      expect(byEmail.items.map((c) => c.id)).toEqual([jane!.id]);
      const byText = await client.listContacts({ tenantId: tenant, clientId: '', email: '', q: 'ELSEWHERE' });
      expect(byText.items.map((c) => c.id)).toEqual([bob!.id]);
      const all = await client.listContacts({ tenantId: tenant, clientId: '', email: '', q: '' });
      expect(all.items.map((c) => c.name)).toEqual(['Bob Roe', 'Jane Doe']);

      const updates = (await outbox(tenant)).filter((r) => r.type === 'helpdesk.ticket.contact_updated');
      expect(updates).toHaveLength(2);
    });

    it("answers NOT_FOUND for another tenant's contact, on read and on update", async () => {
      const owner = randomUUID();
      const { contact } = await client.createContact(contactRequest(owner));
      const intruder = randomUUID();
      expect((await failure(client.getContact({ tenantId: intruder, id: contact!.id }))).code).toBe(
        'NOT_FOUND',
      );
      expect(
        (await failure(client.updateContact({ tenantId: intruder, actor, id: contact!.id, name: 'Mine' })))
          .code,
      ).toBe('NOT_FOUND');
      expect(
        (await client.listContacts({ tenantId: intruder, clientId: '', email: '', q: '' })).items,
      ).toEqual([]);
      expect((await client.getContact({ tenantId: owner, id: contact!.id })).contact!.name).toBe('Jane Doe');
    });

    it('resolveContact finds an existing contact or creates one in the client of its domain', async () => {
      const tenant = randomUUID();
      const { client: acme } = await client.createClient(
        clientRequest(tenant, { domains: ['acme.example'] }),
      );
      const resolve = service.directory.resolveContact;

      const created = await resolve.execute(tenant, { email: 'New.Sender@Acme.example' });
      expect(created).toMatchObject({
        email: 'new.sender@acme.example',
        name: 'new.sender',
        clientId: acme!.id,
      });
      const again = await resolve.execute(tenant, { email: 'new.sender@ACME.example', name: 'Another Name' });
      expect(again.id).toBe(created.id);
      expect(again.name).toBe('new.sender');

      // many first mails of one sender at once still make one contact
      const racers = await Promise.all(
        Array.from({ length: 5 }, () =>
          resolve.execute(tenant, { email: 'burst@acme.example', name: 'Burst' }),
        ),
      );
      expect(new Set(racers.map((c) => c.id)).size).toBe(1);
      const listed = await client.listContacts({
        tenantId: tenant,
        clientId: '',
        email: 'burst@acme.example',
        q: '',
      });
      expect(listed.items).toHaveLength(1);
    });
  });
});
