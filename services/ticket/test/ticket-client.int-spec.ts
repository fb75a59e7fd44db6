// A ticket for the client an agent picks, and moving it to another client and contact, through the real ticket
// service (gRPC, PostgreSQL, NATS): the tenant's clients only, contacts that fit, history and events.
import { randomUUID } from 'node:crypto';
import { directoryV1, ticketEventsV1, ticketV1 } from '@helpdesk/contracts';
import { domainFailure as failure } from '@helpdesk/testing';
import {
  agent,
  contactActor,
  createRequest,
  get,
  startTicketHarness,
  update,
  type TicketHarness,
} from './support/ticket-harness';

describe('the client of a ticket (gRPC, PostgreSQL, NATS)', () => {
  let h: TicketHarness;
  const tenant = randomUUID();
  const ANNA = randomUUID();
  let acme = '';
  let globex = '';
  let foreign = '';

  const newClient = async (tenantId: string, name: string, domains: string[]) =>
    (await h.directory.createClient({ tenantId, actor: agent(), name, domains, slaPolicyId: '', notes: '' }))
      .client!.id;

  const newContact = async (email: string, clientId: string, portalAccess = '') =>
    (
      await h.directory.createContact(
        directoryV1.CreateContactRequest.fromPartial({
          tenantId: tenant,
          actor: agent(),
          name: email.split('@')[0],
          email,
          clientId,
          portalAccess,
        }),
      )
    ).contact!;

  const contactOf = async (id: string) => (await h.directory.getContact({ tenantId: tenant, id })).contact!;

  beforeAll(async () => {
    h = await startTicketHarness();
    acme = await newClient(tenant, 'Acme', ['acme.example']);
    globex = await newClient(tenant, 'Globex', ['globex.example']);
    foreign = await newClient(randomUUID(), 'Elsewhere', []);
  });

  afterAll(async () => {
    await h?.stop();
  });

  describe('CreateTicket with clientId', () => {
    it('opens the ticket for the picked client; a new requester at a free-mail address joins it', async () => {
      const { ticket } = await h.tickets.createTicket(
        createRequest(tenant, { clientId: acme, requester: { email: 'Jo.Doe@Gmail.example', name: 'Jo' } }),
      );
      expect(ticket).toMatchObject({
        clientId: acme,
        requester: { email: 'jo.doe@gmail.example', name: 'Jo' },
      });
      expect(await contactOf(ticket!.contactId)).toMatchObject({
        email: 'jo.doe@gmail.example',
        clientId: acme,
      });
      const created = await h.ticketEvent('helpdesk.ticket.created', ticket!.id);
      expect(ticketEventsV1.TicketCreatedEvent.fromJSON(created).ticket!.clientId).toBe(acme);
    });

    it("keeps an existing contact of no client as it is, and its domain's client gives way to the pick", async () => {
      const loose = await newContact(`free-${randomUUID().slice(0, 6)}@mail.example`, '');
      const byContact = (
        await h.tickets.createTicket(createRequest(tenant, { clientId: globex, contactId: loose.id }))
      ).ticket!;
      expect(byContact).toMatchObject({ clientId: globex, contactId: loose.id });
      expect((await contactOf(loose.id)).clientId).toBe('');
      // a new requester at acme.example, for a ticket the agent files under Globex, joins Globex
      const email = `new-${randomUUID().slice(0, 6)}@acme.example`;
      const picked = (
        await h.tickets.createTicket(
          createRequest(tenant, { clientId: globex, requester: { email, name: '' } }),
        )
      ).ticket!;
      expect(picked.clientId).toBe(globex);
      expect((await contactOf(picked.contactId)).clientId).toBe(globex);
    });

    it("answers NOT_FOUND for a client the tenant does not have (another tenant's too) and creates nothing", async () => {
      const email = `nobody-${randomUUID().slice(0, 6)}@gmail.example`;
      for (const clientId of [foreign, randomUUID()]) {
        const err = await failure(
          h.tickets.createTicket(createRequest(tenant, { clientId, requester: { email, name: '' } })),
        );
        expect([clientId, err.code]).toEqual([clientId, 'NOT_FOUND']);
        expect(err.message).toContain('client');
      }
      // no contact was made for the refused requester
      expect(
        (await h.directory.listContacts({ tenantId: tenant, clientId: '', email, q: '' })).items,
      ).toEqual([]);
    });

    it('refuses a contact of another client, by id or by requester address, with INVALID_ARGUMENT and a reason', async () => {
      const bob = await newContact(`bob-${randomUUID().slice(0, 6)}@globex.example`, globex);
      const before = (
        await h.tickets.listTickets(ticketV1.ListTicketsRequest.fromPartial({ tenantId: tenant }))
      ).items.length;
      const byId = await failure(
        h.tickets.createTicket(createRequest(tenant, { clientId: acme, contactId: bob.id })),
      );
      expect(byId.code).toBe('INVALID_ARGUMENT');
      expect(byId.message).toMatch(/^contactId: .*another client/);
      const byAddress = await failure(
        h.tickets.createTicket(
          createRequest(tenant, { clientId: acme, requester: { email: bob.email, name: 'Bob' } }),
        ),
      );
      expect(byAddress.code).toBe('INVALID_ARGUMENT');
      expect(byAddress.message).toMatch(/^requester: .*another client/);
      expect(
        (await h.tickets.listTickets(ticketV1.ListTicketsRequest.fromPartial({ tenantId: tenant }))).items,
      ).toHaveLength(before);
      // the contact's own client is accepted
      expect(
        (await h.tickets.createTicket(createRequest(tenant, { clientId: globex, contactId: bob.id }))).ticket!
          .clientId,
      ).toBe(globex);
    });

    it('lets a portal contact name only its own client', async () => {
      const carol = await newContact(`carol-${randomUUID().slice(0, 6)}@acme.example`, acme, 'own');
      const mine = await h.tickets.createTicket(
        createRequest(tenant, { actor: contactActor(carol.id), clientId: acme }),
      );
      expect(mine.ticket!.clientId).toBe(acme);
      const err = await failure(
        h.tickets.createTicket(createRequest(tenant, { actor: contactActor(carol.id), clientId: globex })),
      );
      expect(err.code).toBe('PERMISSION_DENIED');
    });
  });

  describe('UpdateTicket: moving to another client and contact', () => {
    it('moves client and contact at the expected version; history, the requester and the events follow', async () => {
      const jo = await newContact(`jo-${randomUUID().slice(0, 6)}@gmail.example`, '');
      const ticket = (
        await h.tickets.createTicket(createRequest(tenant, { clientId: acme, contactId: jo.id }))
      ).ticket!;
      const bob = await newContact(`bob-${randomUUID().slice(0, 6)}@globex.example`, globex);
      const stale = await failure(
        h.tickets.updateTicket(
          update(tenant, ticket.id, { expectedVersion: 0, clientId: globex, contactId: bob.id }),
        ),
      );
      expect(stale.code).toBe('CONFLICT');

      const actor = agent(ANNA);
      const { ticket: moved } = await h.tickets.updateTicket(
        update(tenant, ticket.id, { actor, expectedVersion: 1, clientId: globex, contactId: bob.id }),
      );
      expect(moved).toMatchObject({
        clientId: globex,
        contactId: bob.id,
        requester: { email: bob.email, name: bob.name },
        raisedBy: jo.email,
        version: 2,
      });
      expect((await h.tickets.getTicket(get(tenant, ticket.id))).ticket).toEqual(moved);

      const { items } = await h.tickets.listHistory({
        tenantId: tenant,
        ticketId: ticket.id,
        page: undefined,
      });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ actor, cause: 'update' });
      expect(Math.abs(items[0]!.at!.getTime() - moved!.updatedAt!.getTime())).toBe(0);
      const fields = Object.fromEntries(
        items[0]!.changes.map((c) => [c.field, [JSON.parse(c.fromJson), JSON.parse(c.toJson)]]),
      );
      expect(fields).toEqual({ clientId: [acme, globex], contactId: [jo.id, bob.id] });

      const updated = await h.ticketEvent('helpdesk.ticket.updated', ticket.id);
      const data = ticketEventsV1.TicketUpdatedEvent.fromJSON(updated);
      expect(data.ticket).toMatchObject({ clientId: globex, contactId: bob.id, version: 2 });
      expect(data.changes.map((c) => c.field)).toEqual(['clientId', 'contactId']);
    });

    it("keeps the ticket's contact when it fits the new client, and refuses the move when it does not", async () => {
      const jo = await newContact(`jo-${randomUUID().slice(0, 6)}@gmail.example`, '');
      const loose = (
        await h.tickets.createTicket(createRequest(tenant, { clientId: acme, contactId: jo.id }))
      ).ticket!;
      // a contact of no client goes along
      const { ticket: moved } = await h.tickets.updateTicket(update(tenant, loose.id, { clientId: globex }));
      expect(moved).toMatchObject({ clientId: globex, contactId: jo.id });

      const dana = await newContact(`dana-${randomUUID().slice(0, 6)}@acme.example`, acme);
      const bound = (await h.tickets.createTicket(createRequest(tenant, { contactId: dana.id }))).ticket!;
      expect(bound.clientId).toBe(acme);
      for (const clientId of [globex, '']) {
        const err = await failure(h.tickets.updateTicket(update(tenant, bound.id, { clientId })));
        expect([clientId, err.code]).toEqual([clientId, 'INVALID_ARGUMENT']);
        expect(err.message).toContain('name the new client');
      }
      // a contact of another client than the (unchanged) ticket's
      const bob = await newContact(`bob-${randomUUID().slice(0, 6)}@globex.example`, globex);
      const err = await failure(h.tickets.updateTicket(update(tenant, bound.id, { contactId: bob.id })));
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toMatch(/^contactId: .*another client/);
      const after = (await h.tickets.getTicket(get(tenant, bound.id))).ticket!;
      expect(after).toMatchObject({ clientId: acme, contactId: dana.id, version: 1 });
    });

    it("answers NOT_FOUND for another tenant's or an unknown client, and INVALID_ARGUMENT for an unknown contact", async () => {
      const requester = { email: `pat-${randomUUID().slice(0, 6)}@gmail.example`, name: 'Pat' };
      const ticket = (await h.tickets.createTicket(createRequest(tenant, { clientId: acme, requester })))
        .ticket!;
      for (const clientId of [foreign, randomUUID()]) {
        expect((await failure(h.tickets.updateTicket(update(tenant, ticket.id, { clientId })))).code).toBe(
          'NOT_FOUND',
        );
      }
      const unknown = await failure(
        h.tickets.updateTicket(update(tenant, ticket.id, { contactId: randomUUID() })),
      );
      expect(unknown.code).toBe('INVALID_ARGUMENT');
      expect(unknown.message).toContain('contactId');
      expect((await h.tickets.getTicket(get(tenant, ticket.id))).ticket!.version).toBe(1);
    });
  });
});
