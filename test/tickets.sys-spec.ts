// The ticket REST resources (docs/product/tickets.md) through the whole platform: identity, ticket and gateway as
// separate processes, driven over REST like an agent or an integration would.
import { createHash, randomUUID } from 'node:crypto';
import { waitFor } from '@helpdesk/testing';
import { Client as PgClient } from 'pg';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
let agentA: { id: string; token: string };

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'tksys' });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Ticket MSP'),
    platform.createTenantAndLogin('Other Ticket MSP'),
  ]);
  const created = await platform.api('POST', '/api/v1/users', {
    token: a.token,
    body: {
      email: `anna-${randomUUID().slice(0, 6)}@ticket-msp.example`,
      name: 'Anna Agent',
      handle: 'anna',
      password: 'anna passphrase 1',
    },
  });
  expect(created.status).toBe(201);
  agentA = { id: created.body.id, token: await platform.login(created.body.email, 'anna passphrase 1') };
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

const api = (...args: Parameters<TestPlatform['api']>) => platform.api(...args);

describe('tickets through the gateway', () => {
  it('creates with every field, joins the requester to its client, and reads back the SPEC §2 shape', async () => {
    const client = await api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'Acme', domains: ['acme.example'] },
    });
    const created = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: {
        title: 'Printer offline',
        description: '<p>Since <b>Monday</b></p><script>alert(1)</script>',
        priority: 'high',
        type: 'Incident',
        category: 'Hardware',
        requester: { email: 'Jane@Acme.example', name: 'Jane' },
        assigneeId: agentA.id,
        tags: ['Printer'],
        cc: ['boss@acme.example'],
        links: { project: 'PRJ-1' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 1001,
      title: 'Printer offline',
      description: '<p>Since <b>Monday</b></p>',
      status: 'open',
      priority: 'high',
      type: 'Incident',
      category: 'Hardware',
      source: 'agent',
      raisedBy: 'jane@acme.example',
      clientId: client.body.id,
      assigneeId: agentA.id,
      tags: ['printer'],
      cc: ['boss@acme.example'],
      links: { project: 'PRJ-1', lead: null },
      firstRespondedAt: null,
      sla: null,
      timeSpentMinutes: 0,
      version: 1,
    });
    const contact = await api('GET', `/api/v1/contacts/${created.body.contactId}`, { token: a.token });
    expect(contact.body).toMatchObject({ email: 'jane@acme.example', clientId: client.body.id });
    expect((await api('GET', `/api/v1/tickets/${created.body.id}`, { token: a.token })).body).toEqual(
      created.body,
    );
  });

  it('refuses an assignee or team that is not of the tenant, and unknown types, with 400 and a reason', async () => {
    const base = { title: 'x', requester: { email: 'x@y.example' } };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ assigneeId: b.adminId }, 'assigneeId'],
      [{ assigneeId: randomUUID() }, 'assigneeId'],
      [{ teamId: randomUUID() }, 'teamId'],
      [{ type: 'Outage' }, 'type'],
      [{ status: 'closed' }, 'status'],
    ];
    for (const [extra, field] of cases) {
      const res = await api('POST', '/api/v1/tickets', { token: a.token, body: { ...base, ...extra } });
      expect([field, res.status]).toEqual([field, 400]);
      expect(res.body.error.message).toContain(field);
    }
  });

  it('changes each outside reference on its own: an absent one is kept, null clears it', async () => {
    const t = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'CRM sync', links: { project: 'PRJ-9' } },
      })
    ).body;
    const lead = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: a.token,
      body: { links: { lead: 'LEAD-3' } },
    });
    expect(lead.status).toBe(200);
    expect(lead.body.links).toEqual({ project: 'PRJ-9', lead: 'LEAD-3' });
    const cleared = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: a.token,
      body: { links: { project: null } },
    });
    expect(cleared.body.links).toEqual({ project: null, lead: 'LEAD-3' });
    expect((await api('GET', `/api/v1/tickets/${t.id}`, { token: a.token })).body.links).toEqual({
      project: null,
      lead: 'LEAD-3',
    });
  });

  it('walks the workflow: reply, customer reply, resolve; history, to-dos and If-Match', async () => {
    const t = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'VPN drops', requester: { email: 'dan@acme.example' } },
      })
    ).body;
    const patched = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { assigneeId: agentA.id, status: 'in_progress', priority: 'critical' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, status: 'in_progress', assigneeId: agentA.id });
    const stale = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { priority: 'low' },
    });
    expect(stale.status).toBe(409);

    const todos = await api('GET', '/api/v1/me/todos', { token: agentA.token });
    expect(todos.body.items.map((d: { ticketId: string }) => d.ticketId)).toContain(t.id);

    const replied = await api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agentA.token,
      body: { kind: 'public_reply', bodyText: 'Please restart the client' },
    });
    expect(replied.status).toBe(201);
    expect(replied.body.ticket).toMatchObject({ status: 'waiting_on_customer' });
    expect(replied.body.ticket.firstRespondedAt).not.toBeNull();
    expect(replied.body.message).toMatchObject({
      kind: 'public_reply',
      author: { type: 'user', id: agentA.id, name: 'Anna Agent' },
    });

    const resolved = await api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: agentA.token,
      body: {
        kind: 'public_reply',
        bodyHtml: '<p>Fixed</p>',
        status: 'resolved',
        resolutionDetails: 'New profile',
      },
    });
    expect(resolved.body.ticket).toMatchObject({ status: 'resolved', resolutionDetails: 'New profile' });
    expect(
      (await api('GET', '/api/v1/me/todos', { token: agentA.token })).body.items.map(
        (d: { ticketId: string }) => d.ticketId,
      ),
    ).not.toContain(t.id);

    const history = await api('GET', `/api/v1/tickets/${t.id}/history`, { token: a.token });
    expect(history.status).toBe(200);
    const first = history.body.items[0];
    expect(first.actor).toEqual({ type: 'user', id: expect.any(String) });
    expect(first.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'open', to: 'in_progress' },
        { field: 'priority', from: 'medium', to: 'critical' },
        { field: 'assigneeId', from: null, to: agentA.id },
      ]),
    );
    expect(history.body.items.map((e: { cause: string }) => e.cause)).toEqual([
      'update',
      'message',
      'message',
    ]);
  });

  it('records @mentions of the tenant’s agents (learned from identity’s events)', async () => {
    const t = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'Mention me', requester: { email: 'm@acme.example' } },
      })
    ).body;
    const note = await waitFor('the mention to resolve', async () => {
      const res = await api('POST', `/api/v1/tickets/${t.id}/messages`, {
        token: a.token,
        body: { kind: 'internal_note', bodyText: 'Can you look, @anna?' },
      });
      return res.body.message.mentions.length > 0 ? res : undefined;
    });
    expect(note.body.message.mentions).toEqual([agentA.id]);
  });

  it('lists with the filters of SPEC §9 and full-text search, and pages with a cursor', async () => {
    const mine = await api('GET', '/api/v1/tickets?assigneeId=me&status=resolved', { token: agentA.token });
    expect(mine.body.items.map((t: { title: string }) => t.title)).toEqual(['VPN drops']);
    const search = await api('GET', '/api/v1/tickets?q=printers', { token: a.token });
    expect(search.body.items.map((t: { title: string }) => t.title)).toEqual(['Printer offline']);
    const thread = await api('GET', '/api/v1/tickets?q=restart', { token: a.token });
    expect(thread.body.items.map((t: { title: string }) => t.title)).toEqual(['VPN drops']);
    const unassigned = await api('GET', '/api/v1/tickets?assigneeId=none&tag=printer', { token: a.token });
    expect(unassigned.body.items).toEqual([]);
    const page1 = await api('GET', '/api/v1/tickets?limit=1&sort=number', { token: a.token });
    const page2 = await api('GET', `/api/v1/tickets?limit=1&sort=number&cursor=${page1.body.nextCursor}`, {
      token: a.token,
    });
    expect([page1.body.items[0].number, page2.body.items[0].number]).toEqual([1001, 1002]);
    expect((await api('GET', '/api/v1/tickets?sort=sideways', { token: a.token })).status).toBe(400);
    expect((await api('GET', '/api/v1/tickets?slaState=late', { token: a.token })).status).toBe(400);
    // another tenant finds none of it
    expect((await api('GET', '/api/v1/tickets?q=printer', { token: b.token })).body.items).toEqual([]);
  });

  it('uploads a file, sends it with a reply, and downloads it; another tenant gets 404', async () => {
    const t = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'Screenshot', requester: { email: 's@acme.example' } },
      })
    ).body;
    const content = Buffer.from('\x89PNG fake image bytes '.repeat(1000));
    const up = await platform.upload(`/api/v1/tickets/${t.id}/attachments`, a.token, {
      name: 'screen shot.png',
      type: 'image/png',
      content,
    });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      filename: 'screen shot.png',
      contentType: 'image/png',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      url: `/api/v1/attachments/${up.body.id}`,
    });
    const sent = await api('POST', `/api/v1/tickets/${t.id}/messages`, {
      token: a.token,
      body: { kind: 'internal_note', bodyText: 'see file', attachmentIds: [up.body.id] },
    });
    expect(sent.body.message.attachments.map((f: { id: string }) => f.id)).toEqual([up.body.id]);
    const got = await platform.download(up.body.url, a.token);
    expect(got.status).toBe(200);
    expect(got.body.equals(content)).toBe(true);
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="screen shot.png"');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await platform.download(up.body.url, b.token)).status).toBe(404);
    expect(
      (
        await platform.upload(`/api/v1/tickets/${t.id}/attachments`, b.token, {
          name: 'x.txt',
          type: 'text/plain',
          content: Buffer.from('x'),
        })
      ).status,
    ).toBe(404);
    const notMultipart = await api('POST', `/api/v1/tickets/${t.id}/attachments`, {
      token: a.token,
      body: { file: 'x' },
    });
    expect(notMultipart.status).toBe(415);
  });

  it('answers 413 for a file over the tenant limit', async () => {
    const settings = await api('PATCH', '/api/v1/ticket-settings', {
      token: a.token,
      body: { attachmentMaxBytes: 64 * 1024 },
    });
    expect(settings.status).toBe(200);
    const t = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'Big file', requester: { email: 's@acme.example' } },
      })
    ).body;
    const big = await platform.upload(`/api/v1/tickets/${t.id}/attachments`, a.token, {
      name: 'big.bin',
      type: 'application/octet-stream',
      content: Buffer.alloc(200 * 1024, 7),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    await api('PATCH', '/api/v1/ticket-settings', {
      token: a.token,
      body: { attachmentMaxBytes: 25 * 1024 * 1024 },
    });
  });

  it('merges one ticket into another', async () => {
    const one = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'Dup 1', requester: { email: 'x@acme.example' } },
      })
    ).body;
    const two = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'Dup 2', requester: { email: 'y@acme.example' } },
      })
    ).body;
    const merged = await api('POST', `/api/v1/tickets/${one.id}/merge`, {
      token: a.token,
      body: { intoTicketId: two.id },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.ticket).toMatchObject({ status: 'closed', mergedIntoId: two.id });
    expect(merged.body.into.cc).toContain('x@acme.example');
    const again = await api('POST', `/api/v1/tickets/${one.id}/merge`, {
      token: a.token,
      body: { intoTicketId: two.id },
    });
    expect(again.status).toBe(409);
    expect(
      (
        await api('POST', `/api/v1/tickets/${one.id}/merge`, {
          token: b.token,
          body: { intoTicketId: two.id },
        })
      ).status,
    ).toBe(404);
  });

  it('manages templates and creates from them; settings are the admin’s', async () => {
    const template = await api('POST', '/api/v1/ticket-templates', {
      token: a.token,
      body: {
        name: 'Monthly backup check',
        title: 'Backup check',
        description: 'Verify last night’s backup',
        category: 'Software',
        tags: ['backup'],
      },
    });
    expect(template.status).toBe(201);
    const t = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { templateId: template.body.id, requester: { email: 'ops@acme.example' }, priority: 'low' },
    });
    expect(t.body).toMatchObject({
      title: 'Backup check',
      category: 'Software',
      tags: ['backup'],
      priority: 'low',
      templateId: template.body.id,
    });
    expect(
      (
        await api('PATCH', `/api/v1/ticket-templates/${template.body.id}`, {
          token: a.token,
          headers: { 'if-match': '1' },
          body: { title: 'Nightly backup check' },
        })
      ).body.version,
    ).toBe(2);
    expect(
      (await api('GET', `/api/v1/ticket-templates/${template.body.id}`, { token: b.token })).status,
    ).toBe(404);
    expect(
      (await api('DELETE', `/api/v1/ticket-templates/${template.body.id}`, { token: a.token })).status,
    ).toBe(200);
    expect(
      (await api('GET', `/api/v1/ticket-templates/${template.body.id}`, { token: a.token })).status,
    ).toBe(404);

    expect(
      (await api('PATCH', '/api/v1/ticket-settings', { token: agentA.token, body: { types: ['Change'] } }))
        .status,
    ).toBe(403);
    const settings = await api('GET', '/api/v1/ticket-settings', { token: agentA.token });
    expect(settings.body.categories).toContain('Software');
  });

  it("answers 404 for another tenant's ticket on every route", async () => {
    const t = (
      await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'Private', requester: { email: 'p@acme.example' } },
      })
    ).body;
    for (const [method, path, body] of [
      ['GET', `/api/v1/tickets/${t.id}`],
      ['PATCH', `/api/v1/tickets/${t.id}`, { priority: 'low' }],
      ['GET', `/api/v1/tickets/${t.id}/messages`],
      ['POST', `/api/v1/tickets/${t.id}/messages`, { kind: 'internal_note', bodyText: 'x' }],
      ['GET', `/api/v1/tickets/${t.id}/history`],
    ] as Array<[string, string, unknown?]>) {
      const res = await api(method, path, { token: b.token, body });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
  });
});

describe('a ticket for the client an agent picks', () => {
  const targets = (firstResponseMinutes: number, resolutionMinutes: number) => {
    const t = { firstResponseMinutes, resolutionMinutes };
    return { critical: t, high: t, medium: t, low: t };
  };
  const MINUTE = 60_000;
  let acme = { id: '', policyId: '' };
  let globex = { id: '', policyId: '' };

  /** The client the timekeeping service's own copy of the ticket names (what its events left there). */
  async function timekeepingClientOf(ticketId: string): Promise<string | null | undefined> {
    const db = new PgClient({ connectionString: platform.db('timekeeping').url });
    await db.connect();
    try {
      const { rows } = await db.query<{ client_id: string | null }>(
        'SELECT client_id FROM tickets WHERE id = $1',
        [ticketId],
      );
      return rows[0]?.client_id;
    } finally {
      await db.end();
    }
  }

  const slaOf = (id: string, policyId: string) =>
    waitFor(
      `SLA of ${id} under ${policyId}`,
      async () => {
        const res = await api('GET', `/api/v1/tickets/${id}/sla`, { token: a.token });
        return res.status === 200 && res.body.policyId === policyId ? res.body : undefined;
      },
      30_000,
    );

  beforeAll(async () => {
    const make = async (name: string, domain: string, minutes: [number, number]) => {
      const policy = await api('POST', '/api/v1/sla-policies', {
        token: a.token,
        body: { name: `${name} 24×7`, calendarId: null, targets: targets(...minutes) },
      });
      expect(policy.status).toBe(201);
      const client = await api('POST', '/api/v1/clients', {
        token: a.token,
        body: { name, domains: [domain], slaPolicyId: policy.body.id },
      });
      expect(client.status).toBe(201);
      return { id: client.body.id as string, policyId: policy.body.id as string };
    };
    acme = await make('Acme Picked', 'acme-picked.example', [40, 80]);
    globex = await make('Globex Picked', 'globex-picked.example', [90, 180]);
  });

  it('opens it for the picked client with a free-mail requester; an unknown or foreign client is 404, another client’s contact 400', async () => {
    const email = `jo-${randomUUID().slice(0, 6)}@gmail.example`;
    const created = await api('POST', '/api/v1/tickets', {
      token: agentA.token,
      body: { title: 'Mail on the phone', clientId: acme.id, requester: { email, name: 'Jo' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ clientId: acme.id, requester: { email, name: 'Jo' } });
    const contact = await api('GET', `/api/v1/contacts/${created.body.contactId}`, { token: a.token });
    expect(contact.body).toMatchObject({ email, clientId: acme.id });

    const foreign = await api('POST', '/api/v1/clients', { token: b.token, body: { name: 'Not yours' } });
    for (const clientId of [foreign.body.id, randomUUID()]) {
      const res = await api('POST', '/api/v1/tickets', {
        token: a.token,
        body: {
          title: 'x',
          clientId,
          requester: { email: `nobody-${randomUUID().slice(0, 6)}@gmail.example` },
        },
      });
      expect([clientId, res.status]).toEqual([clientId, 404]);
    }
    const bob = await api('POST', '/api/v1/contacts', {
      token: a.token,
      body: { name: 'Bob', email: `bob-${randomUUID().slice(0, 6)}@globex-picked.example` },
    });
    expect(bob.body.clientId).toBe(globex.id);
    const mismatch = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'x', clientId: acme.id, contactId: bob.body.id },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.message).toMatch(/contactId: .*another client/);
  });

  it('moves it to another client and contact: history, the SLA policy (time used kept) and timekeeping follow', async () => {
    const created = await api('POST', '/api/v1/tickets', {
      token: agentA.token,
      body: {
        title: 'Laptop will not boot',
        clientId: acme.id,
        requester: { email: `kim-${randomUUID().slice(0, 6)}@gmail.example` },
      },
    });
    expect(created.status).toBe(201);
    const t = created.body;
    const openedAt = Date.parse(t.openedAt);
    const before = await slaOf(t.id, acme.policyId);
    expect(before.firstResponseDueAt).toBe(new Date(openedAt + 40 * MINUTE).toISOString());
    const early = await api('POST', '/api/v1/time-entries', {
      token: agentA.token,
      body: { ticketId: t.id, durationMinutes: 15 },
    });
    expect(early.body.clientId).toBe(acme.id);

    const dora = await api('POST', '/api/v1/contacts', {
      token: a.token,
      body: { name: 'Dora', email: `dora-${randomUUID().slice(0, 6)}@globex-picked.example` },
    });
    expect(dora.body.clientId).toBe(globex.id);
    // the requester joined Acme: the ticket cannot go to Globex with it
    const alone = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agentA.token,
      headers: { 'if-match': '1' },
      body: { clientId: globex.id },
    });
    expect(alone.status).toBe(400);
    expect(alone.body.error.message).toContain('contactId');
    const foreign = await api('POST', '/api/v1/clients', {
      token: b.token,
      body: { name: 'Still not yours' },
    });
    const elsewhere = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agentA.token,
      body: { clientId: foreign.body.id, contactId: dora.body.id },
    });
    expect(elsewhere.status).toBe(404);

    const moved = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agentA.token,
      headers: { 'if-match': '1' },
      body: { clientId: globex.id, contactId: dora.body.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      clientId: globex.id,
      contactId: dora.body.id,
      requester: { email: dora.body.email, name: 'Dora' },
      version: 2,
    });
    const stale = await api('PATCH', `/api/v1/tickets/${t.id}`, {
      token: agentA.token,
      headers: { 'if-match': '1' },
      body: { clientId: acme.id },
    });
    expect(stale.status).toBe(409);

    const history = await api('GET', `/api/v1/tickets/${t.id}/history`, { token: a.token });
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({
      actor: { type: 'user', id: agentA.id },
      at: moved.body.updatedAt,
      changes: [
        { field: 'clientId', from: acme.id, to: globex.id },
        { field: 'contactId', from: t.contactId, to: dora.body.id },
      ],
    });

    // Globex's policy from the opening: the business time already used is kept (24×7, so exactly)
    const after = await slaOf(t.id, globex.policyId);
    expect(after.firstResponseDueAt).toBe(new Date(openedAt + 90 * MINUTE).toISOString());
    expect(after.resolutionDueAt).toBe(new Date(openedAt + 180 * MINUTE).toISOString());

    // timekeeping's copy follows the events before any time command names the ticket again
    await waitFor('timekeeping copy of the move', async () =>
      (await timekeepingClientOf(t.id)) === globex.id ? true : undefined,
    );
    const late = await api('POST', '/api/v1/time-entries', {
      token: agentA.token,
      body: { ticketId: t.id, durationMinutes: 20 },
    });
    expect(late.status).toBe(201);
    expect(late.body.clientId).toBe(globex.id);
    // an entry belongs to its ticket's current client (README): the earlier one is now Globex's time too
    const log = await api('GET', `/api/v1/tickets/${t.id}/time-entries`, { token: agentA.token });
    expect(log.body.items.map((e: { clientId: string }) => e.clientId)).toEqual([globex.id, globex.id]);
  });
});
