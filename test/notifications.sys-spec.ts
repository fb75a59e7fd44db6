// Notifications and the live event stream (docs/product/notifications.md) through the whole platform: two agents
// each see only their own notifications on GET /events, a reconnect with Last-Event-ID gets what was missed, the
// feed and preferences over REST, a contact's stream carries only public changes of its tickets, and a gateway
// restart loses nothing within the window.
import { randomUUID } from 'node:crypto';
import { openSse, type SseStream } from './support/sse';
import { startTestPlatform, type TenantSession, type TestPlatform } from './support/platform';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
const agents: Record<'anna' | 'bob', { id: string; token: string }> = {
  anna: { id: '', token: '' },
  bob: { id: '', token: '' },
};
const streams: SseStream[] = [];

beforeAll(async () => {
  platform = await startTestPlatform({
    label: 'notifsys',
    env: { gateway: { SSE_HEARTBEAT_MS: '500' }, notification: { NOTIFY_EMAIL_BATCH_MS: '500' } },
  });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Notify MSP'),
    platform.createTenantAndLogin('Other Notify MSP'),
  ]);
  for (const handle of ['anna', 'bob'] as const) {
    const email = `${handle}-${randomUUID().slice(0, 6)}@notify-msp.example`;
    const created = await platform.api('POST', '/api/v1/users', {
      token: a.token,
      body: {
        email,
        name: `${handle[0]!.toUpperCase()}${handle.slice(1)} Agent`,
        handle,
        role: 'agent',
        password: `${handle} passphrase 1`,
      },
    });
    expect(created.status).toBe(201);
    agents[handle] = { id: created.body.id, token: await platform.login(email, `${handle} passphrase 1`) };
  }
}, 240_000);

afterAll(async () => {
  for (const s of streams) s.close();
  await platform?.stop();
}, 60_000);

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls > 0 && state.suppressedErrors.length > 0) console.error(platform.outputs());
});

const api = (...args: Parameters<TestPlatform['api']>) => platform.api(...args);

async function events(token: string, path = '/api/v1/events', lastEventId?: string): Promise<SseStream> {
  const stream = await openSse(`${platform.base}${path}`, { token, lastEventId });
  streams.push(stream);
  return stream;
}

/** Until the notification service knows both agents (identity's events), a mention may find no one. */
async function waitForMentionable(): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const probe = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'probe', requester: { email: 'probe@customer.example' }, assigneeId: agents.bob.id },
    });
    expect(probe.status).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    const mine = await api('GET', '/api/v1/me/notifications', { token: agents.bob.token });
    if (mine.body.items.some((n: { ticketId: string }) => n.ticketId === probe.body.id)) {
      await api('POST', '/api/v1/me/notifications/read', { token: agents.bob.token, body: { all: true } });
      return;
    }
  }
  throw new Error('the notification service never learnt of the agents');
}

describe('notifications and GET /events', () => {
  let ticketId = '';
  let annaStream: SseStream;
  let bobStream: SseStream;
  let otherTenant: SseStream;

  beforeAll(async () => {
    await waitForMentionable();
    annaStream = await events(agents.anna.token);
    bobStream = await events(agents.bob.token);
    otherTenant = await events(b.token);
    expect([annaStream.status, bobStream.status, otherTenant.status]).toEqual([200, 200, 200]);
  }, 60_000);

  it('refuses a stream without the Authorization header, with the token in the URL, and a contact on /events', async () => {
    const none = await openSse(`${platform.base}/api/v1/events`);
    expect(none.status).toBe(401);
    const inUrl = await openSse(`${platform.base}/api/v1/events`, {
      query: `?access_token=${agents.anna.token}`,
    });
    expect(inUrl.status).toBe(401);
  });

  it('sends the tenant’s ticket changes to every agent, and each notification to its recipient only', async () => {
    const created = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: {
        title: 'Router down',
        requester: { email: 'carla@customer.example', name: 'Carla' },
        assigneeId: agents.bob.id,
      },
    });
    expect(created.status).toBe(201);
    ticketId = created.body.id;

    for (const s of [annaStream, bobStream]) {
      const e = await s.next('ticket.created', (e) => e.event === 'ticket' && e.data.ticket.id === ticketId);
      expect(e.data).toMatchObject({
        type: 'ticket.created',
        ticket: {
          id: ticketId,
          number: created.body.number,
          title: 'Router down',
          status: 'open',
          assigneeId: agents.bob.id,
        },
      });
      expect(e.id).toMatch(/^\d+\.\d+$/);
    }
    const assigned = await bobStream.next(
      'bob’s assigned notification',
      (e) => e.event === 'notification' && e.data.ticketId === ticketId,
    );
    expect(assigned.data).toMatchObject({
      type: 'assigned',
      ticketNumber: created.body.number,
      readAt: null,
      actor: { type: 'user', id: a.adminId },
    });

    // bob mentions anna in an internal note: anna is notified, bob is not
    const note = await api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: agents.bob.token,
      body: { kind: 'internal_note', bodyText: '@anna can you look at the uplink?' },
    });
    expect(note.status).toBe(201);
    const mention = await annaStream.next('anna’s mention', (e) => e.event === 'notification');
    expect(mention.data).toMatchObject({
      type: 'mentioned',
      ticketId,
      actor: { type: 'user', id: agents.bob.id, name: 'Bob Agent' },
    });
    await annaStream.next('the note as a ticket change', (e) => e.data?.type === 'ticket.message_added');

    await new Promise((r) => setTimeout(r, 500));
    expect(annaStream.events.filter((e) => e.event === 'notification').map((e) => e.data.type)).toEqual([
      'mentioned',
    ]);
    expect(bobStream.events.filter((e) => e.event === 'notification').map((e) => e.data.type)).toEqual([
      'assigned',
    ]);
    // another tenant sees nothing of it
    expect(otherTenant.events.filter((e) => e.event !== 'http-error')).toEqual([]);
    // a comment line keeps idle streams open
    expect(otherTenant.comments).toContain('keep-alive');
  });

  it('serves each agent’s own feed over REST: unread count, read marks, no one else’s', async () => {
    const annas = await api('GET', '/api/v1/me/notifications?unread=true', { token: agents.anna.token });
    expect(annas.status).toBe(200);
    expect(annas.body.unreadCount).toBe(1);
    expect(annas.body.items).toHaveLength(1);
    expect(annas.body.items[0]).toMatchObject({ type: 'mentioned', ticketId, readAt: null });
    expect(Object.keys(annas.body.items[0]).sort()).toEqual(
      ['actor', 'body', 'createdAt', 'id', 'readAt', 'ticketId', 'ticketNumber', 'title', 'type'].sort(),
    );
    const annaId = annas.body.items[0].id as string;

    // bob marking anna's notification read changes nothing for anna
    const bobMarks = await api('POST', '/api/v1/me/notifications/read', {
      token: agents.bob.token,
      body: { ids: [annaId] },
    });
    expect(bobMarks.status).toBe(200);
    expect(
      (await api('GET', '/api/v1/me/notifications', { token: agents.anna.token })).body.unreadCount,
    ).toBe(1);
    // nor does another tenant's admin see any of it
    const other = await api('GET', '/api/v1/me/notifications', { token: b.token });
    expect(other.body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });

    const read = await api('POST', '/api/v1/me/notifications/read', {
      token: agents.anna.token,
      body: { ids: [annaId] },
    });
    expect(read.body).toEqual({ unreadCount: 0 });
    const after = await api('GET', '/api/v1/me/notifications', { token: agents.anna.token });
    expect(after.body.items[0].readAt).not.toBeNull();
    expect(
      (await api('GET', '/api/v1/me/notifications?unread=true', { token: agents.anna.token })).body.items,
    ).toEqual([]);

    const all = await api('POST', '/api/v1/me/notifications/read', {
      token: agents.bob.token,
      body: { all: true },
    });
    expect(all.body).toEqual({ unreadCount: 0 });
    const bad = await api('POST', '/api/v1/me/notifications/read', {
      token: agents.bob.token,
      body: { all: false },
    });
    expect(bad.status).toBe(400);
  });

  it('answers and changes the preferences, with the SPEC defaults', async () => {
    const prefs = await api('GET', '/api/v1/me/notification-preferences', { token: agents.anna.token });
    expect(prefs.status).toBe(200);
    expect(prefs.body.inApp).toEqual({
      assigned: true,
      mentioned: true,
      team_ticket: true,
      customer_replied: true,
      sla_warning: true,
      sla_breached: true,
      automation: true,
      webhook_disabled: true,
      mailbox_reauthorization: true,
    });
    expect(Object.entries(prefs.body.email).filter(([, on]) => on)).toEqual([
      ['sla_breached', true],
      ['webhook_disabled', true],
      ['mailbox_reauthorization', true],
    ]);
    const patched = await api('PATCH', '/api/v1/me/notification-preferences', {
      token: agents.anna.token,
      body: { email: { mentioned: true } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.email).toMatchObject({ mentioned: true, sla_breached: true, assigned: false });
    expect(
      (await api('GET', '/api/v1/me/notification-preferences', { token: agents.bob.token })).body.email
        .mentioned,
    ).toBe(false);
    const unknown = await api('PATCH', '/api/v1/me/notification-preferences', {
      token: agents.anna.token,
      body: { email: { everything: true } },
    });
    expect(unknown.status).toBe(400);
  });

  it('replays what a client missed when it reconnects with Last-Event-ID, then goes on live', async () => {
    const lastId = annaStream.lastEventId!;
    expect(lastId).toMatch(/^\d+\.\d+$/);
    annaStream.close();

    const patched = await api('PATCH', `/api/v1/tickets/${ticketId}`, {
      token: a.token,
      headers: {
        'if-match': String(
          (await api('GET', `/api/v1/tickets/${ticketId}`, { token: a.token })).body.version,
        ),
      },
      body: { priority: 'critical' },
    });
    expect(patched.status).toBe(200);
    await api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: agents.bob.token,
      body: { kind: 'internal_note', bodyText: 'again, @anna' },
    });
    // bob's stream shows both happened before anna comes back
    await bobStream.next(
      'the second note',
      () => bobStream.events.filter((x) => x.data?.type === 'ticket.message_added').length >= 2,
    );

    const back = await events(agents.anna.token, '/api/v1/events', lastId);
    expect(back.status).toBe(200);
    const priority = await back.next(
      'the missed priority change',
      (e) => e.data?.type === 'ticket.updated' && e.data.ticket.priority === 'critical',
    );
    const mention = await back.next(
      'the missed mention',
      (e) => e.event === 'notification' && e.data.body.includes('again'),
    );
    expect(mention.data.type).toBe('mentioned');
    // nothing from before the id it came back with
    expect(back.events.some((e) => e.data?.type === 'ticket.created' && e.data.ticket.id === ticketId)).toBe(
      false,
    );
    // in stream order: the priority change came before the second note
    expect(back.events.indexOf(priority)).toBeLessThan(back.events.indexOf(mention));

    // and it is live again
    await api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      token: a.token,
      body: { kind: 'internal_note', bodyText: 'third, @anna' },
    });
    await back.next(
      'a live mention after the replay',
      (e) => e.event === 'notification' && e.data.body.includes('third'),
    );
    annaStream = back;
  });

  it('e-mails a burst of notifications of one ticket as one mail to the agent', async () => {
    // anna switched e-mail on for mentions: three mentions so far after the switch → the outbox of mail shows one
    const db = platform.db('notification');
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const deadline = Date.now() + 20_000;
      let rows: Array<{ kind: string; subject: string; body_text: string }> = [];
      while (Date.now() < deadline) {
        ({ rows } = await pool.query(
          `SELECT kind, subject, body_text FROM outbound_mails WHERE kind = 'agent_notification' AND ticket_id = $1`,
          [ticketId],
        ));
        if (rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(rows).toHaveLength(1);
      expect(rows[0]!.body_text).toContain(`/tickets/${ticketId}`);
      expect(rows[0]!.body_text).toContain('again');
      expect(rows[0]!.body_text).toContain('third');
    } finally {
      await pool.end();
    }
  });

  it('gives a contact only the public changes of the tickets it may see', async () => {
    const tenant = await api('GET', '/api/v1/tenant', { token: a.token });
    const email = `dora-${randomUUID().slice(0, 6)}@customer.example`;
    const contact = await api('POST', '/api/v1/contacts', {
      token: a.token,
      body: { name: 'Dora', email, portalAccess: 'own', password: 'portal passphrase 1' },
    });
    expect(contact.status).toBe(201);
    const login = await api('POST', '/api/v1/portal/auth/login', {
      body: { tenant: tenant.body.slug, email, password: 'portal passphrase 1' },
    });
    expect(login.status).toBe(200);
    const portalToken = login.body.token as string;
    expect((await openSse(`${platform.base}/api/v1/events`, { token: portalToken })).status).toBe(403);
    expect(
      (await openSse(`${platform.base}/api/v1/portal/events`, { token: agents.anna.token })).status,
    ).toBe(403);
    const mine = await events(portalToken, '/api/v1/portal/events');
    expect(mine.status).toBe(200);

    const doraTicket = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'Dora’s laptop', contactId: contact.body.id },
    });
    expect(doraTicket.status).toBe(201);
    const id = doraTicket.body.id as string;
    await api('POST', `/api/v1/tickets/${id}/messages`, {
      token: a.token,
      body: { kind: 'internal_note', bodyText: 'internal only' },
    });
    await api('POST', `/api/v1/tickets/${id}/messages`, {
      token: a.token,
      body: { kind: 'public_reply', bodyText: 'We are on it' },
    });
    // someone else's ticket
    await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'Not Dora’s', requester: { email: 'eve@customer.example' } },
    });

    await mine.next('the public reply', (e) => e.data?.type === 'ticket.message_added');
    await new Promise((r) => setTimeout(r, 500));
    const types = mine.events.map((e) => e.data.type as string);
    // created, the reply's status change, the reply; the internal note is not there
    expect(types).toEqual(['ticket.created', 'ticket.updated', 'ticket.message_added']);
    expect(mine.events[1]!.data.ticket.status).toBe('waiting_on_customer');
    for (const e of mine.events) {
      expect(e.data.ticket.id).toBe(id);
      expect(Object.keys(e.data.ticket).sort()).toEqual([
        'id',
        'number',
        'priority',
        'status',
        'title',
        'updatedAt',
      ]);
    }
  });

  it('survives a gateway restart: the streams end, and a reconnect misses nothing', async () => {
    const lastId = bobStream.lastEventId!;
    await platform.procs.gateway!.stop();
    expect(bobStream.ended || annaStream.ended).toBe(true);
    // a change while no gateway runs
    const created = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'While away', requester: { email: 'x@customer.example' } },
    }).catch(() => null);
    expect(created).toBeNull();
    await platform.startService('gateway');
    const during = await api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'After restart', requester: { email: 'x@customer.example' }, assigneeId: agents.bob.id },
    });
    expect(during.status).toBe(201);
    const back = await events(agents.bob.token, '/api/v1/events', lastId);
    await back.next('the ticket made after the restart', (e) => e.data?.ticket?.id === during.body.id);
    await back.next(
      'its notification',
      (e) => e.event === 'notification' && e.data.ticketId === during.body.id,
    );
  });
});
