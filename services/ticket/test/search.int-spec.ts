// Lists and full-text search through the real ticket service: every filter of
// docs/product/tickets.md "Search and lists", every sort with keyset pages, relevance ranking over title,
// description and thread, templates and tenant settings.
import { randomUUID } from 'node:crypto';
import { templateV1, ticketSettingsV1, ticketV1 } from '@helpdesk/contracts';
import { domainFailure as failure } from '@helpdesk/testing';
import {
  agent,
  createRequest,
  list,
  reply,
  startTicketHarness,
  system,
  update,
  type TicketHarness,
} from './support/ticket-harness';

describe('ticket lists, search, templates and settings (gRPC, PostgreSQL)', () => {
  let h: TicketHarness;
  const tenant = randomUUID();
  const ANNA = randomUUID();
  const TEAM = randomUUID();
  const made: ticketV1.Ticket[] = [];

  beforeAll(async () => {
    h = await startTicketHarness();
    const specs: Array<Partial<ticketV1.CreateTicketRequest>> = [
      {
        title: 'Printer on floor 2 jams',
        priority: 'high',
        type: 'Incident',
        category: 'Hardware',
        tags: { tags: ['printer', 'floor-2'] },
        assigneeId: ANNA,
      },
      {
        title: 'VPN drops every hour',
        priority: 'critical',
        category: 'Network',
        tags: { tags: ['vpn'] },
        teamId: TEAM,
      },
      {
        title: 'New laptop for Ann',
        priority: 'low',
        type: 'Service Request',
        category: 'Hardware',
        requester: { email: 'ann@acme.example', name: 'Ann' },
      },
      {
        title: 'Password reset',
        description: 'The printer asks for a password too',
        priority: 'medium',
        tags: { tags: ['printer'] },
      },
      { title: 'Mailbox full', priority: 'medium', assigneeId: ANNA },
    ];
    for (const spec of specs) made.push((await h.tickets.createTicket(createRequest(tenant, spec))).ticket!);
    // thread text is searchable too
    await h.tickets.addMessage(
      reply(tenant, made[4]!.id, system, 'email_in', 'The quarterly spreadsheet bounced back'),
    );
    await h.tickets.updateTicket(update(tenant, made[1]!.id, { status: 'in_progress' }));
    await h.tickets.createTicket(createRequest(randomUUID(), { title: 'Printer of another tenant' }));
  });

  afterAll(async () => {
    await h?.stop();
  });

  const titles = async (over: Partial<ticketV1.ListTicketsRequest>) =>
    (await h.tickets.listTickets(list(tenant, over))).items.map((t) => t.title);

  it('filters by every field of SPEC §9, combined with AND', async () => {
    expect(await titles({ status: ['in_progress'] })).toEqual(['VPN drops every hour']);
    expect((await titles({ priority: ['medium'] })).sort()).toEqual(['Mailbox full', 'Password reset']);
    expect((await titles({ assigneeId: [ANNA] })).sort()).toEqual([
      'Mailbox full',
      'Printer on floor 2 jams',
    ]);
    expect((await titles({ unassigned: true })).length).toBe(3);
    expect((await titles({ assigneeId: [ANNA], unassigned: true })).length).toBe(5);
    expect(await titles({ teamId: [TEAM] })).toEqual(['VPN drops every hour']);
    expect((await titles({ category: ['hardware'] })).sort()).toEqual([
      'New laptop for Ann',
      'Printer on floor 2 jams',
    ]);
    expect(await titles({ type: ['Service Request'] })).toEqual(['New laptop for Ann']);
    expect((await titles({ tag: ['printer'] })).sort()).toEqual([
      'Password reset',
      'Printer on floor 2 jams',
    ]);
    expect(await titles({ tag: ['printer', 'floor-2'] })).toEqual(['Printer on floor 2 jams']);
    expect(await titles({ contactId: made[2]!.contactId })).toEqual(['New laptop for Ann']);
    expect(await titles({ tag: ['printer'], priority: ['high'] })).toEqual(['Printer on floor 2 jams']);
    expect(await titles({ slaState: 'breached' })).toEqual([]);
  });

  it('searches title, description and thread with stemming, ranks title matches first, and finds #numbers', async () => {
    expect(await titles({ q: 'printers' })).toEqual(['Printer on floor 2 jams', 'Password reset']);
    expect(await titles({ q: 'spreadsheet' })).toEqual(['Mailbox full']);
    expect(await titles({ q: 'printer -password' })).toEqual(['Printer on floor 2 jams']);
    expect(await titles({ q: '"floor 2"' })).toEqual(['Printer on floor 2 jams']);
    expect(await titles({ q: `#${made[2]!.number}` })).toEqual(['New laptop for Ann']);
    expect(await titles({ q: 'printer', sort: '-openedAt' })).toEqual([
      'Password reset',
      'Printer on floor 2 jams',
    ]);
    expect(await titles({ q: 'nothing-matches-this' })).toEqual([]);
  });

  it('re-indexes a ticket when its title changes', async () => {
    await h.tickets.updateTicket(update(tenant, made[3]!.id, { title: 'Password reset for Zebulon' }));
    expect(await titles({ q: 'zebulon' })).toEqual(['Password reset for Zebulon']);
    await h.tickets.updateTicket(update(tenant, made[3]!.id, { title: 'Password reset' }));
  });

  it('walks every sort in both directions with keyset pages of one, without gaps or repeats', async () => {
    const walk = async (sort: string, q = '') => {
      const ids: string[] = [];
      let cursor = '';
      do {
        const page = await h.tickets.listTickets(list(tenant, { sort, q, page: { limit: 1, cursor } }));
        ids.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor && ids.length < 20);
      return ids;
    };
    const all = (await h.tickets.listTickets(list(tenant, { page: { limit: 200, cursor: '' } }))).items;
    const rank = { low: 0, medium: 1, high: 2, critical: 3 } as Record<string, number>;
    const by = (key: (t: ticketV1.Ticket) => number) =>
      [...all].sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : 1)).map((t) => t.id);
    const number = by((t) => t.number);
    expect(await walk('number')).toEqual(number);
    expect(await walk('-number')).toEqual([...number].reverse());
    const opened = by((t) => t.openedAt!.getTime());
    expect(await walk('openedAt')).toEqual(opened);
    expect(await walk('-openedAt')).toEqual([...opened].reverse());
    const updated = by((t) => t.updatedAt!.getTime());
    expect(await walk('updatedAt')).toEqual(updated);
    const priority = [...all]
      .sort(
        (a, b) =>
          rank[a.priority]! - rank[b.priority]! ||
          a.openedAt!.getTime() - b.openedAt!.getTime() ||
          (a.id < b.id ? -1 : 1),
      )
      .map((t) => t.id);
    expect(await walk('priority')).toEqual(priority);
    expect(await walk('-priority')).toEqual([...priority].reverse());
    expect((await walk('relevance', 'printer')).length).toBe(2);
    // a cursor of one order is refused by another
    const page = await h.tickets.listTickets(
      list(tenant, { sort: 'number', page: { limit: 1, cursor: '' } }),
    );
    expect(
      (
        await failure(
          h.tickets.listTickets(
            list(tenant, { sort: '-number', page: { limit: 1, cursor: page.nextCursor } }),
          ),
        )
      ).code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('pre-fills from a template, explicit fields winning; validates template values against the tenant lists', async () => {
    const template = (
      await h.templates.createTemplate({
        tenantId: tenant,
        actor: agent(),
        fields: templateV1.TemplateFields.fromPartial({
          name: 'New starter',
          title: 'New starter: accounts',
          description: '<p>Create <b>accounts</b></p><script>x()</script>',
          type: 'Service Request',
          category: 'account',
          priority: 'high',
          tags: ['onboarding'],
          setTags: true,
        }),
      })
    ).template!;
    expect(template).toMatchObject({
      category: 'Account',
      descriptionHtml: '<p>Create <b>accounts</b></p>',
      version: 1,
    });
    const fromTemplate = (
      await h.tickets.createTicket(
        createRequest(tenant, { title: '', description: '', templateId: template.id }),
      )
    ).ticket!;
    expect(fromTemplate).toMatchObject({
      title: 'New starter: accounts',
      descriptionText: 'Create accounts',
      type: 'Service Request',
      category: 'Account',
      priority: 'high',
      tags: ['onboarding'],
      templateId: template.id,
    });
    const overridden = (
      await h.tickets.createTicket(
        createRequest(tenant, {
          title: 'Starter: Zoe',
          priority: 'low',
          templateId: template.id,
          tags: { tags: [] },
        }),
      )
    ).ticket!;
    expect(overridden).toMatchObject({
      title: 'Starter: Zoe',
      priority: 'low',
      tags: [],
      type: 'Service Request',
    });

    expect(
      (await failure(h.tickets.createTicket(createRequest(tenant, { templateId: randomUUID() })))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (await failure(h.tickets.createTicket(createRequest(randomUUID(), { templateId: template.id })))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(
      (
        await failure(
          h.templates.createTemplate({
            tenantId: tenant,
            actor: agent(),
            fields: templateV1.TemplateFields.fromPartial({ name: 'new STARTER' }),
          }),
        )
      ).code,
    ).toBe('ALREADY_EXISTS');
    expect(
      (
        await failure(
          h.templates.createTemplate({
            tenantId: tenant,
            actor: agent(),
            fields: templateV1.TemplateFields.fromPartial({ name: 'Bad', type: 'Outage' }),
          }),
        )
      ).code,
    ).toBe('INVALID_ARGUMENT');

    const changed = (
      await h.templates.updateTemplate({
        tenantId: tenant,
        actor: agent(),
        id: template.id,
        expectedVersion: 1,
        fields: templateV1.TemplateFields.fromPartial({ priority: '' }),
      })
    ).template!;
    expect([changed.priority, changed.version]).toEqual(['', 2]);
    expect(
      (
        await failure(
          h.templates.updateTemplate({
            tenantId: tenant,
            actor: agent(),
            id: template.id,
            expectedVersion: 1,
            fields: templateV1.TemplateFields.fromPartial({ title: 'x' }),
          }),
        )
      ).code,
    ).toBe('CONFLICT');
    expect((await failure(h.templates.getTemplate({ tenantId: randomUUID(), id: template.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await h.templates.listTemplates({ tenantId: tenant, page: undefined })).items.map((t) => t.name),
    ).toEqual(['New starter']);
    await h.templates.deleteTemplate({ tenantId: tenant, actor: agent(), id: template.id });
    expect(
      (await failure(h.templates.deleteTemplate({ tenantId: tenant, actor: agent(), id: template.id }))).code,
    ).toBe('NOT_FOUND');
    // tickets made from it keep their values
    expect(
      (
        await h.tickets.getTicket(
          ticketV1.GetTicketRequest.fromPartial({ tenantId: tenant, id: fromTemplate.id }),
        )
      ).ticket!.title,
    ).toBe('New starter: accounts');
  });

  it('keeps per-tenant type and category lists that the ticket fields must use', async () => {
    const other = randomUUID();
    const defaults = (await h.settings.getTicketSettings({ tenantId: other })).settings!;
    expect(defaults).toMatchObject({
      types: ['Incident', 'Service Request', 'Problem', 'Question'],
      closedReplyPolicy: 'follow_up',
      version: 0,
    });
    const changed = (
      await h.settings.updateTicketSettings(
        ticketSettingsV1.UpdateTicketSettingsRequest.fromPartial({
          tenantId: other,
          expectedVersion: 0,
          types: { values: ['Change', 'Outage'] },
        }),
      )
    ).settings!;
    expect([changed.types, changed.version]).toEqual([['Change', 'Outage'], 1]);
    expect((await h.tickets.createTicket(createRequest(other, { type: 'outage' }))).ticket!.type).toBe(
      'Outage',
    );
    expect((await failure(h.tickets.createTicket(createRequest(other, { type: 'Incident' })))).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      (
        await failure(
          h.settings.updateTicketSettings(
            ticketSettingsV1.UpdateTicketSettingsRequest.fromPartial({
              tenantId: other,
              expectedVersion: 0,
              categories: { values: ['X'] },
            }),
          ),
        )
      ).code,
    ).toBe('CONFLICT');
    expect(
      (
        await failure(
          h.settings.updateTicketSettings(
            ticketSettingsV1.UpdateTicketSettingsRequest.fromPartial({
              tenantId: other,
              types: { values: ['A', 'a'] },
            }),
          ),
        )
      ).code,
    ).toBe('INVALID_ARGUMENT');
    // the first tenant kept the defaults
    expect((await h.settings.getTicketSettings({ tenantId: tenant })).settings!.types).toContain('Incident');
  });
});
