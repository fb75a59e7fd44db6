// Changing tickets through the real ticket service: PATCH with If-Match, the workflow of docs/product/tickets.md
// driven by replies, history, to-dos, mentions, follow-ups, merges, and the events other services consume.
import { randomUUID } from 'node:crypto';
import { ticketEventsV1, ticketSettingsV1, ticketV1 } from '@helpdesk/contracts';
import { domainFailure as failure } from '@helpdesk/testing';
import {
  agent,
  contactActor,
  createRequest,
  get,
  reply,
  startTicketHarness,
  system,
  update,
  type TicketHarness,
} from './support/ticket-harness';

describe('ticket workflow, thread and history (gRPC, PostgreSQL, NATS)', () => {
  let h: TicketHarness;
  const ANNA = randomUUID();
  const BOB = randomUUID();

  beforeAll(async () => {
    h = await startTicketHarness();
  });

  afterAll(async () => {
    await h?.stop();
  });

  const newTicket = async (tenant: string, over: Partial<ticketV1.CreateTicketRequest> = {}) =>
    (await h.tickets.createTicket(createRequest(tenant, over))).ticket!;

  describe('PATCH (UpdateTicket)', () => {
    it('changes fields, bumps the version, keeps history with actor and time, and publishes updated/status_changed/assigned', async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      const actor = agent(ANNA);
      const { ticket: changed } = await h.tickets.updateTicket(
        update(tenant, ticket.id, {
          actor,
          expectedVersion: 1,
          status: 'in_progress',
          priority: 'high',
          assigneeId: BOB,
          type: 'incident',
          category: 'Network',
          tags: { tags: ['VPN', 'floor-2'] },
          links: { project: 'PRJ-7', lead: '' },
        }),
      );
      expect(changed).toMatchObject({
        status: 'in_progress',
        priority: 'high',
        assigneeId: BOB,
        type: 'Incident',
        category: 'Network',
        tags: ['vpn', 'floor-2'],
        links: { project: 'PRJ-7', lead: '' },
        version: 2,
      });

      const { items } = await h.tickets.listHistory({
        tenantId: tenant,
        ticketId: ticket.id,
        page: undefined,
      });
      expect(items).toHaveLength(1);
      expect(items[0]!.actor).toEqual(actor);
      expect(items[0]!.cause).toBe('update');
      const fields = Object.fromEntries(
        items[0]!.changes.map((c) => [c.field, [JSON.parse(c.fromJson), JSON.parse(c.toJson)]]),
      );
      expect(fields).toEqual({
        status: ['open', 'in_progress'],
        priority: ['medium', 'high'],
        type: [null, 'Incident'],
        category: [null, 'Network'],
        assigneeId: [null, BOB],
        tags: [[], ['vpn', 'floor-2']],
        links: [
          { project: null, lead: null },
          { project: 'PRJ-7', lead: null },
        ],
      });

      const updated = await h.ticketEvent('helpdesk.ticket.updated', ticket.id);
      expect(ticketEventsV1.TicketUpdatedEvent.fromJSON(updated).changes.map((c) => c.field)).toContain(
        'status',
      );
      const moved = ticketEventsV1.TicketStatusChangedEvent.fromJSON(
        await h.ticketEvent('helpdesk.ticket.status_changed', ticket.id),
      );
      expect([moved.from, moved.to, moved.ticket!.version]).toEqual(['open', 'in_progress', 2]);
      const assigned = ticketEventsV1.TicketAssignedEvent.fromJSON(
        await h.ticketEvent('helpdesk.ticket.assigned', ticket.id),
      );
      expect([assigned.previousAssigneeId, assigned.ticket!.assigneeId]).toEqual(['', BOB]);
    });

    it('answers CONFLICT on a stale If-Match version and changes nothing', async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      await h.tickets.updateTicket(update(tenant, ticket.id, { priority: 'low' }));
      const err = await failure(
        h.tickets.updateTicket(update(tenant, ticket.id, { expectedVersion: 1, priority: 'critical' })),
      );
      expect(err.code).toBe('CONFLICT');
      expect((await h.tickets.getTicket(get(tenant, ticket.id))).ticket!.priority).toBe('low');
    });

    it('keeps closed final unless reopened, and sets and clears the resolution timestamps', async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      const resolved = (
        await h.tickets.updateTicket(
          update(tenant, ticket.id, { status: 'resolved', resolutionDetails: 'Replaced toner' }),
        )
      ).ticket!;
      expect(resolved.resolvedAt).toBeDefined();
      expect(resolved.resolutionDetails).toBe('Replaced toner');
      const closed = (await h.tickets.updateTicket(update(tenant, ticket.id, { status: 'closed' }))).ticket!;
      expect(closed.closedAt).toBeDefined();
      expect(
        (await failure(h.tickets.updateTicket(update(tenant, ticket.id, { status: 'open' })))).code,
      ).toBe('FAILED_PRECONDITION');
      const reopened = (
        await h.tickets.updateTicket(update(tenant, ticket.id, { reopen: true, status: 'in_progress' }))
      ).ticket!;
      expect(reopened).toMatchObject({ status: 'in_progress', resolutionDetails: 'Replaced toner' });
      expect(reopened.closedAt).toBeUndefined();
      expect(reopened.resolvedAt).toBeUndefined();
    });

    it("answers NOT_FOUND for another tenant's ticket and INVALID_ARGUMENT for a type off the tenant's list", async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      expect(
        (await failure(h.tickets.updateTicket(update(randomUUID(), ticket.id, { priority: 'low' })))).code,
      ).toBe('NOT_FOUND');
      expect(
        (await failure(h.tickets.updateTicket(update(tenant, ticket.id, { type: 'Outage' })))).code,
      ).toBe('INVALID_ARGUMENT');
    });
  });

  describe('to-dos', () => {
    it('opens one for the assignee, finishes it on reassignment and on resolve, reopens it on reopen', async () => {
      const tenant = randomUUID();
      const todos = async (userId: string, state = '') =>
        (await h.tickets.listTodos({ tenantId: tenant, userId, state, page: undefined })).items;
      const ticket = await newTicket(tenant, { assigneeId: ANNA });
      expect((await todos(ANNA)).map((t) => [t.ticketId, t.ticketNumber, t.state])).toEqual([
        [ticket.id, ticket.number, 'open'],
      ]);

      await h.tickets.updateTicket(update(tenant, ticket.id, { assigneeId: BOB }));
      expect(await todos(ANNA)).toEqual([]);
      expect((await todos(ANNA, 'done')).map((t) => t.ticketId)).toEqual([ticket.id]);
      expect((await todos(BOB)).map((t) => t.ticketId)).toEqual([ticket.id]);

      await h.tickets.updateTicket(update(tenant, ticket.id, { status: 'resolved' }));
      expect(await todos(BOB)).toEqual([]);
      await h.tickets.updateTicket(update(tenant, ticket.id, { status: 'open' }));
      expect((await todos(BOB)).map((t) => t.state)).toEqual(['open']);
      expect(
        await h.tickets.listTodos({ tenantId: randomUUID(), userId: BOB, state: 'all', page: undefined }),
      ).toEqual({
        items: [],
        nextCursor: '',
      });
    });
  });

  describe('thread', () => {
    it('an agent reply sets firstRespondedAt once and waits on the customer; a customer reply reopens', async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      const first = await h.tickets.addMessage(
        reply(tenant, ticket.id, agent(ANNA), 'public_reply', 'Have you tried turning it off?'),
      );
      expect(first.outcome).toBe('appended');
      expect(first.ticket).toMatchObject({ status: 'waiting_on_customer' });
      const firstResponse = first.ticket!.firstRespondedAt!;

      const note = await h.tickets.addMessage(
        reply(tenant, ticket.id, agent(BOB), 'internal_note', 'Customer is VIP'),
      );
      expect(note.ticket!.status).toBe('waiting_on_customer');

      const customer = await h.tickets.addMessage(
        reply(tenant, ticket.id, system, 'email_in', 'Still broken', {
          message: ticketV1.NewMessage.fromPartial({
            kind: 'email_in',
            bodyText: 'Still broken',
            email: { messageId: '<abc@client.example>', from: 'dana@client.example', subject: 'Re: Outlook' },
          }),
        }),
      );
      expect(customer.ticket).toMatchObject({ status: 'open' });
      expect(customer.ticket!.lastCustomerReplyAt).toBeDefined();

      const second = await h.tickets.addMessage(
        reply(tenant, ticket.id, agent(ANNA), 'public_reply', 'Fixed it', {
          status: 'resolved',
          resolutionDetails: 'Reset profile',
        }),
      );
      expect(second.ticket).toMatchObject({ status: 'resolved', resolutionDetails: 'Reset profile' });
      expect(second.ticket!.firstRespondedAt).toEqual(firstResponse);

      const thread = (
        await h.tickets.listMessages({
          tenantId: tenant,
          ticketId: ticket.id,
          page: undefined,
          actor: undefined,
        })
      ).items;
      expect(thread.map((m) => m.kind)).toEqual([
        'public_reply',
        'internal_note',
        'email_in',
        'public_reply',
      ]);
      expect(thread[2]!.email).toMatchObject({
        messageId: 'abc@client.example',
        from: 'dana@client.example',
      });
      // the email_in is findable by its Message-ID (mail threading)
      const found = await h.tickets.findTicketByEmailMessageId({
        tenantId: tenant,
        messageIds: ['<nope@x>', '<abc@client.example>'],
      });
      expect([found.ticket!.id, found.matchedMessageId]).toEqual([ticket.id, 'abc@client.example']);
      expect(
        (
          await failure(
            h.tickets.findTicketByEmailMessageId({
              tenantId: randomUUID(),
              messageIds: ['abc@client.example'],
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');

      const history = (
        await h.tickets.listHistory({ tenantId: tenant, ticketId: ticket.id, page: undefined })
      ).items;
      expect(history.map((e) => e.cause)).toEqual(['message', 'message', 'message']);
      const added = ticketEventsV1.MessageAddedEvent.fromJSON(
        (
          await h.event(
            'helpdesk.ticket.message_added',
            (e) =>
              (e.data as { message: { kind: string; ticketId: string } }).message.ticketId === ticket.id &&
              (e.data as { message: { kind: string } }).message.kind === 'internal_note',
          )
        ).data,
      );
      expect(added.message!.bodyText).toBe('Customer is VIP');
    });

    it('records @handle mentions of active users of the tenant, only in agent messages', async () => {
      const tenant = randomUUID();
      await h.knowUser(tenant, { id: ANNA, handle: 'anna', name: 'Anna Agent' });
      await h.knowUser(tenant, { id: BOB, handle: 'bob.s', name: 'Bob Smith', active: false });
      await h.knowUser(randomUUID(), { id: randomUUID(), handle: 'carl', name: 'Carl Elsewhere' });
      const ticket = await newTicket(tenant);
      const note = await h.tickets.addMessage(
        reply(
          tenant,
          ticket.id,
          agent(),
          'internal_note',
          '@anna and @bob.s and @carl, see anna@client.example',
        ),
      );
      expect(note.message!.mentions).toEqual([ANNA]);
      const mail = await h.tickets.addMessage(reply(tenant, ticket.id, system, 'email_in', 'Hi @anna'));
      expect(mail.message!.mentions).toEqual([]);
      const listed = (
        await h.tickets.listMessages({
          tenantId: tenant,
          ticketId: ticket.id,
          page: undefined,
          actor: undefined,
        })
      ).items;
      expect(listed[0]!.mentions).toEqual([ANNA]);
    });

    it('refuses an empty message, a kind the author may not write, and replies on a closed ticket', async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      expect(
        (await failure(h.tickets.addMessage(reply(tenant, ticket.id, agent(), 'public_reply', '   ')))).code,
      ).toBe('INVALID_ARGUMENT');
      expect(
        (await failure(h.tickets.addMessage(reply(tenant, ticket.id, agent(), 'email_in', 'spoof')))).code,
      ).toBe('PERMISSION_DENIED');
      await h.tickets.updateTicket(update(tenant, ticket.id, { status: 'closed' }));
      expect(
        (await failure(h.tickets.addMessage(reply(tenant, ticket.id, agent(), 'public_reply', 'late')))).code,
      ).toBe('FAILED_PRECONDITION');
      // mail we sent about it and system notes are still recorded
      expect(
        (await h.tickets.addMessage(reply(tenant, ticket.id, system, 'email_out', 'Auto reply'))).outcome,
      ).toBe('appended');
      expect(
        (await failure(h.tickets.addMessage(reply(randomUUID(), ticket.id, agent(), 'internal_note', 'x'))))
          .code,
      ).toBe('NOT_FOUND');
    });

    it('opens a linked follow-up for a customer reply to a closed ticket, or reopens per the tenant setting', async () => {
      const tenant = randomUUID();
      const closed = await newTicket(tenant, { tags: { tags: ['printer'] }, assigneeId: ANNA });
      await h.tickets.updateTicket(update(tenant, closed.id, { status: 'closed' }));
      const followUp = await h.tickets.addMessage(
        reply(tenant, closed.id, system, 'email_in', 'It broke again'),
      );
      expect(followUp.outcome).toBe('follow_up');
      expect(followUp.ticket).toMatchObject({
        followUpOfId: closed.id,
        status: 'open',
        title: closed.title,
        tags: ['printer'],
        assigneeId: ANNA,
        source: 'email',
        contactId: closed.contactId,
      });
      expect(followUp.ticket!.id).not.toBe(closed.id);
      expect(followUp.message!.ticketId).toBe(followUp.ticket!.id);
      expect((await h.tickets.getTicket(get(tenant, closed.id))).ticket!.status).toBe('closed');

      await h.settings.updateTicketSettings(
        ticketSettingsV1.UpdateTicketSettingsRequest.fromPartial({
          tenantId: tenant,
          closedReplyPolicy: 'reopen',
        }),
      );
      const again = await h.tickets.addMessage(reply(tenant, closed.id, system, 'email_in', 'Please reopen'));
      expect([again.outcome, again.ticket!.id, again.ticket!.status]).toEqual([
        'appended',
        closed.id,
        'open',
      ]);
    });

    it('merges: the thread moves, the merged ticket closes and points at the survivor, replies follow it', async () => {
      const tenant = randomUUID();
      const source = await newTicket(tenant, {
        title: 'Printer jam',
        requester: { email: 'eve@client.example', name: 'Eve' },
      });
      const target = await newTicket(tenant, { title: 'Printer broken', assigneeId: BOB });
      await h.tickets.addMessage(reply(tenant, source.id, system, 'email_in', 'Paper everywhere'));
      await h.tickets.addMessage(reply(tenant, target.id, agent(BOB), 'internal_note', 'Ordering parts'));

      expect(
        (
          await failure(
            h.tickets.mergeTicket({
              tenantId: tenant,
              actor: agent(),
              ticketId: source.id,
              intoTicketId: source.id,
            }),
          )
        ).code,
      ).toBe('INVALID_ARGUMENT');
      expect(
        (
          await failure(
            h.tickets.mergeTicket({
              tenantId: randomUUID(),
              actor: agent(),
              ticketId: source.id,
              intoTicketId: target.id,
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      const merged = await h.tickets.mergeTicket({
        tenantId: tenant,
        actor: agent(ANNA),
        ticketId: source.id,
        intoTicketId: target.id,
      });
      expect(merged.ticket).toMatchObject({ status: 'closed', mergedIntoId: target.id });
      expect(merged.into!.cc).toEqual(['eve@client.example']);

      const onTarget = (
        await h.tickets.listMessages({
          tenantId: tenant,
          ticketId: target.id,
          page: undefined,
          actor: undefined,
        })
      ).items;
      expect(onTarget.map((m) => [m.kind, m.bodyText])).toEqual([
        ['email_in', 'Paper everywhere'],
        ['internal_note', 'Ordering parts'],
        ['system', `Ticket #${source.number} "Printer jam" was merged into this ticket.`],
      ]);
      const onSource = (
        await h.tickets.listMessages({
          tenantId: tenant,
          ticketId: source.id,
          page: undefined,
          actor: undefined,
        })
      ).items;
      expect(onSource.map((m) => m.kind)).toEqual(['system']);

      const redirected = await h.tickets.addMessage(
        reply(tenant, source.id, system, 'email_in', 'Any news?'),
      );
      expect([redirected.outcome, redirected.ticket!.id]).toEqual(['redirected', target.id]);
      expect((await failure(h.tickets.updateTicket(update(tenant, source.id, { reopen: true })))).code).toBe(
        'FAILED_PRECONDITION',
      );

      const event = ticketEventsV1.TicketMergedEvent.fromJSON(
        await h.ticketEvent('helpdesk.ticket.merged', source.id),
      );
      expect([event.into!.id, event.movedMessages]).toEqual([target.id, 1]);
    });
  });

  describe('dedupe keys (mail intake)', () => {
    it('answers the first ticket and message for a repeated key, even under concurrency', async () => {
      const tenant = randomUUID();
      const request = createRequest(tenant, {
        actor: system,
        source: 'email',
        dedupeKey: 'mbx-1:<first@client.example>',
        initialMessage: ticketV1.NewMessage.fromPartial({
          kind: 'email_in',
          bodyText: 'Help',
          email: { messageId: 'first@client.example' },
        }),
      });
      const answers = await Promise.all([1, 2, 3].map(() => h.tickets.createTicket(request)));
      expect(new Set(answers.map((a) => a.ticket!.id)).size).toBe(1);
      expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
      expect(answers.every((a) => a.message!.kind === 'email_in')).toBe(true);
      const ticketId = answers[0]!.ticket!.id;

      const add = reply(tenant, ticketId, system, 'email_in', 'Second mail', {
        dedupeKey: 'mbx-1:<second@client.example>',
      });
      const adds = await Promise.all([1, 2, 3].map(() => h.tickets.addMessage(add)));
      expect(new Set(adds.map((a) => a.message!.id)).size).toBe(1);
      expect(adds.filter((a) => a.outcome === 'duplicate')).toHaveLength(2);
      const thread = (
        await h.tickets.listMessages({ tenantId: tenant, ticketId, page: undefined, actor: undefined })
      ).items;
      expect(thread.map((m) => m.bodyText)).toEqual(['Help', 'Second mail']);
    });
  });

  describe('portal actions', () => {
    it('a contact confirms a resolved ticket (closed) and rates it; other states and strangers are refused', async () => {
      const tenant = randomUUID();
      const ticket = await newTicket(tenant);
      const { contact } = await h.directory.updateContact({
        tenantId: tenant,
        actor: agent(),
        id: ticket.contactId,
        portalAccess: 'own',
      });
      const me = contactActor(contact!.id);
      expect(
        (await failure(h.tickets.confirmResolution({ tenantId: tenant, actor: me, ticketId: ticket.id })))
          .code,
      ).toBe('FAILED_PRECONDITION');
      expect(
        (
          await failure(
            h.tickets.rateTicket({ tenantId: tenant, actor: me, ticketId: ticket.id, score: 5, comment: '' }),
          )
        ).code,
      ).toBe('FAILED_PRECONDITION');
      await h.tickets.updateTicket(update(tenant, ticket.id, { status: 'resolved' }));
      const confirmed = (
        await h.tickets.confirmResolution({ tenantId: tenant, actor: me, ticketId: ticket.id })
      ).ticket!;
      expect(confirmed.status).toBe('closed');
      expect(
        (
          await failure(
            h.tickets.rateTicket({ tenantId: tenant, actor: me, ticketId: ticket.id, score: 6, comment: '' }),
          )
        ).code,
      ).toBe('INVALID_ARGUMENT');
      const rated = (
        await h.tickets.rateTicket({
          tenantId: tenant,
          actor: me,
          ticketId: ticket.id,
          score: 4,
          comment: 'Quick, thanks',
        })
      ).ticket!;
      expect(rated.rating).toMatchObject({ score: 4, comment: 'Quick, thanks' });

      const stranger = (
        await h.directory.createContact({
          tenantId: tenant,
          actor: agent(),
          name: 'Mallory',
          email: 'mallory@elsewhere.example',
          phone: '',
          clientId: '',
          portalAccess: 'own',
          password: '',
        })
      ).contact!;
      expect(
        (
          await failure(
            h.tickets.rateTicket({
              tenantId: tenant,
              actor: contactActor(stranger.id),
              ticketId: ticket.id,
              score: 1,
              comment: '',
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      // an agent cannot confirm in the customer's name
      expect(
        (
          await failure(
            h.tickets.confirmResolution({ tenantId: tenant, actor: agent(), ticketId: ticket.id }),
          )
        ).code,
      ).toBe('PERMISSION_DENIED');
    });
  });
});
