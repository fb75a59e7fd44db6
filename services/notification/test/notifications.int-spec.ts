// In-app notifications through the notification service's real gRPC server and consumers, on the real PostgreSQL
// and NATS JetStream; identity is a small gRPC fake (teams), every other service's events are published exactly as
// they publish them (envelope + proto JSON on their stream).
import { noteAdded } from './support/events';
import { knowUsers } from './support/users';
import { randomBytes, randomUUID } from 'node:crypto';
import { connectBus, createEventEnvelope, type Bus } from '@helpdesk/bus';
import {
  commonV1,
  identityV1,
  notificationFeedV1,
  ticketV1,
  type EventData,
  type EventType,
} from '@helpdesk/contracts';
import {
  createGrpcClient,
  startGrpcServer,
  unary,
  type PromiseClient,
  type RunningGrpcServer,
} from '@helpdesk/grpc';
import { createLogger, notFound } from '@helpdesk/platform';
import {
  createTestDatabase,
  deletePrefixedStreams,
  delay,
  domainFailure,
  inProcessServiceEnv,
  NATS_URL,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@helpdesk/testing';
import { Pool } from 'pg';
import { notificationConfigSchema } from '../src/config';
import { buildNotificationService, type RunningNotificationService } from '../src/notification-service';

type FeedClient = PromiseClient<notificationFeedV1.NotificationFeedServiceClient>;

const A = randomUUID();
const B = randomUUID();
const anna = { id: randomUUID(), name: 'Anna Agent', handle: 'anna', role: 'agent' };
const bob = { id: randomUUID(), name: 'Bob Builder', handle: 'bob', role: 'agent' };
const root = { id: randomUUID(), name: 'Root Admin', handle: 'root', role: 'admin' };
const gone = { id: randomUUID(), name: 'Gone Agent', handle: 'gone', role: 'agent' };
const other = { id: randomUUID(), name: 'Other Tenant', handle: 'other', role: 'admin' };
const network = randomUUID();
const teams: Record<string, { tenantId: string; memberIds: string[] }> = {
  [network]: { tenantId: A, memberIds: [anna.id, bob.id, gone.id] },
};

const user = (id: string) => ({ type: commonV1.ActorType.ACTOR_TYPE_USER, id });
const contactActor = { type: commonV1.ActorType.ACTOR_TYPE_CONTACT, id: randomUUID() };

let db: TestDatabase;
let prefix: string;
let bus: Bus;
let pool: Pool;
let identity: RunningGrpcServer;
let service: RunningNotificationService;
let feed: FeedClient;

async function publish<K extends EventType>(type: K, tenantId: string, data: EventData<K>, id?: string) {
  const envelope = createEventEnvelope(type, tenantId, data);
  if (id) envelope.id = id;
  // a fresh Nats-Msg-Id each time, so that a "redelivery" passes JetStream's de-duplication
  await bus.js.publish(bus.subject(type), JSON.stringify(envelope), { msgID: randomUUID() });
  return envelope;
}

function ticket(over: Partial<ticketV1.Ticket> = {}): ticketV1.Ticket {
  return ticketV1.Ticket.fromPartial({
    id: randomUUID(),
    tenantId: A,
    number: 1001,
    title: 'Printer offline',
    status: 'open',
    priority: 'medium',
    version: 1,
    openedAt: new Date(),
    updatedAt: new Date(),
    requester: { email: 'carla@customer.example', name: 'Carla Customer' },
    ...over,
  });
}

const list = (tenantId: string, userId: string, unreadOnly = false, limit = 50, cursor = '') =>
  feed.listNotifications({ tenantId, userId, unreadOnly, page: { limit, cursor } });

async function notificationsOf(userId: string, tenantId = A) {
  return (await list(tenantId, userId)).items;
}

/** Waits until the user has `count` notifications, then a little longer to see that no more come. */
async function settle(userId: string, count: number, tenantId = A) {
  await waitFor(
    `${count} notifications`,
    async () => (await notificationsOf(userId, tenantId)).length >= count,
  );
  await delay(300);
  return notificationsOf(userId, tenantId);
}

beforeAll(async () => {
  prefix = uniquePrefix('notif');
  db = await createTestDatabase('notification');
  const silent = createLogger('notification-test', 'silent');
  bus = await connectBus({ servers: NATS_URL, prefix, name: 'notification-test', logger: silent });
  for (const d of ['identity', 'ticket', 'sla', 'automation', 'notify']) await bus.ensureStream(d);
  pool = new Pool({ connectionString: db.url, max: 2 });

  identity = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    logger: silent,
    services: [
      {
        definition: identityV1.IdentityServiceService,
        implementation: {
          getTeam: unary(async (req: identityV1.GetTeamRequest) => {
            const team = teams[req.id];
            if (!team || team.tenantId !== req.tenantId) throw notFound('team');
            return {
              team: { id: req.id, tenantId: team.tenantId, name: 'Network', memberIds: team.memberIds },
            };
          }, silent),
          getUser: unary(async () => {
            throw notFound('user');
          }, silent),
        },
      },
    ],
  });

  const config = notificationConfigSchema.parse({
    ...inProcessServiceEnv(db.url, prefix),
    MAIL_MESSAGE_ID_SECRET: 'x'.repeat(40),
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    IDENTITY_GRPC_URL: `127.0.0.1:${identity.port}`,
    // nothing answers there: ticket look-ups are not needed, mail stays queued
    TICKET_GRPC_URL: '127.0.0.1:1',
    MAIL_GRPC_URL: '127.0.0.1:1',
    GRPC_DEADLINE_MS: '500',
    NOTIFY_EMAIL_BATCH_MS: '1500',
    NOTIFY_EMAIL_INTERVAL_MS: '60000',
    DISPATCH_INTERVAL_MS: '60000',
  });
  service = await buildNotificationService(config);
  feed = createGrpcClient(notificationFeedV1.NotificationFeedServiceClient, `127.0.0.1:${service.grpcPort}`);

  await knowUsers(publish, pool, [
    [A, anna, true],
    [A, bob, true],
    [A, root, true],
    [A, gone, false],
    [B, other, true],
  ]);
});

afterAll(async () => {
  feed?.close();
  await service?.stop();
  await identity?.shutdown();
  await pool?.end();
  await bus?.close();
  await deletePrefixedStreams(prefix);
  await db?.drop();
});

describe('recipients and idempotency', () => {
  it('notifies the assignee once, however often the event is delivered, and publishes helpdesk.notify.created', async () => {
    const t = ticket({ number: 1002, assigneeId: bob.id, version: 2 });
    const event = await publish('helpdesk.ticket.assigned', A, {
      ticket: t,
      actor: user(anna.id),
      previousAssigneeId: '',
      previousTeamId: '',
    });
    // the same event again (a redelivery or a replay)
    await publish(
      'helpdesk.ticket.assigned',
      A,
      { ticket: t, actor: user(anna.id), previousAssigneeId: '', previousTeamId: '' },
      event.id,
    );
    const items = await settle(bob.id, 1);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'assigned',
      ticketId: t.id,
      ticketNumber: 1002,
      title: '#1002 assigned to you by Anna Agent',
      body: 'Printer offline',
      actor: { type: 'user', id: anna.id, name: 'Anna Agent' },
      userId: bob.id,
    });
    expect(items[0]!.readAt).toBeUndefined();

    const { rows } = await pool.query<{ payload: { type: string; data: { notification: { id: string } } } }>(
      `SELECT payload FROM outbox WHERE type = 'helpdesk.notify.created'`,
    );
    expect(rows.map((r) => r.payload.data.notification.id)).toEqual([items[0]!.id]);
    // and the relay published it on the notify stream
    await waitFor(
      'the notify.created event on the bus',
      async () => (await bus.jsm.streams.info(bus.streamName('notify'))).state.messages >= 1,
    );
  });

  it('does not notify a user who assigns a ticket to themself', async () => {
    const t = ticket({ assigneeId: anna.id });
    await publish('helpdesk.ticket.assigned', A, {
      ticket: t,
      actor: user(anna.id),
      previousAssigneeId: '',
      previousTeamId: '',
    });
    // a later event on the same durable shows the earlier one was handled
    await publish('helpdesk.ticket.message_added', A, noteAdded(t, bob.id, [anna.id], 'look @anna'));
    const items = await settle(anna.id, 1);
    expect(items.map((n) => n.type)).toEqual(['mentioned']);
    expect(items[0]).toMatchObject({
      title: 'Bob Builder mentioned you on #1001 (internal note)',
      body: 'look @anna',
    });
  });

  it('gives a team ticket to the active members but the actor, and a customer reply to them too', async () => {
    const t = ticket({ number: 1003, teamId: network });
    await publish('helpdesk.ticket.assigned', A, {
      ticket: t,
      actor: user(anna.id),
      previousAssigneeId: '',
      previousTeamId: '',
    });
    await publish('helpdesk.ticket.message_added', A, {
      ticket: { ...t, version: 2 },
      actor: { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' },
      message: {
        id: randomUUID(),
        ticketId: t.id,
        kind: 'email_in',
        author: contactActor,
        mentions: [],
        bodyText: 'Still broken',
        attachments: [],
        tenantId: A,
        bodyHtml: '',
        threadingRule: '',
        authorName: '',
      },
    });
    const bobs = await settle(bob.id, 3);
    expect(
      bobs
        .filter((n) => n.ticketId === t.id)
        .map((n) => n.type)
        .sort(),
    ).toEqual(['customer_replied', 'team_ticket']);
    const annas = await notificationsOf(anna.id);
    expect(annas.filter((n) => n.ticketId === t.id).map((n) => n.type)).toEqual(['customer_replied']);
    expect(annas.find((n) => n.type === 'customer_replied')).toMatchObject({
      title: 'Carla Customer replied on #1003',
      actor: { type: 'contact', id: contactActor.id, name: 'Carla Customer' },
    });
    // the inactive member got nothing
    expect(await notificationsOf(gone.id)).toEqual([]);
  });

  it('sends an SLA breach of a ticket of no one to the admins, in-app and (by default) by e-mail', async () => {
    const t = ticket({ number: 1004 });
    await publish('helpdesk.ticket.created', A, { ticket: t, actor: user(anna.id) });
    await publish('helpdesk.sla.breached', A, {
      ticketId: t.id,
      ticketNumber: 1004,
      target: 'resolution',
      sequence: 3,
      sla: undefined,
    });
    const items = await settle(root.id, 1);
    expect(items[0]).toMatchObject({ type: 'sla_breached', title: '#1004 resolution target breached' });
    const { rows } = await pool.query('SELECT user_id, type FROM agent_mail_items WHERE ticket_id = $1', [
      t.id,
    ]);
    expect(rows).toEqual([{ user_id: root.id, type: 'sla_breached' }]);
  });

  it('notifies the users, team and admins an automation rule names, each once', async () => {
    const t = ticket({ number: 1005 });
    const ruleId = randomUUID();
    await publish('helpdesk.automation.notify_requested', A, {
      ruleId,
      ruleName: 'Escalate unassigned',
      ruleVersion: 1,
      ticketId: t.id,
      ticketNumber: 1005,
      ticketTitle: 'VPN down',
      userIds: [bob.id],
      teamId: network,
      admins: true,
      message: 'Unassigned for 30 minutes',
    });
    for (const u of [anna, bob, root]) {
      await waitFor(`${u.handle}'s automation notification`, async () =>
        (await notificationsOf(u.id)).some((n) => n.type === 'automation'),
      );
    }
    const bobs = (await notificationsOf(bob.id)).filter((n) => n.type === 'automation');
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({
      title: '#1005 Escalate unassigned',
      body: 'Unassigned for 30 minutes',
      actor: { type: 'automation', id: ruleId, name: 'Escalate unassigned' },
    });
  });
});

describe('the feed RPCs', () => {
  it('pages newest first with a cursor, counts and marks unread ones', async () => {
    const all = await notificationsOf(bob.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const first = await list(A, bob.id, false, 2);
    expect(first.items.map((n) => n.id)).toEqual(all.slice(0, 2).map((n) => n.id));
    expect(first.nextCursor).not.toBe('');
    const second = await list(A, bob.id, false, 2, first.nextCursor);
    expect(second.items.map((n) => n.id)).toEqual(all.slice(2, 4).map((n) => n.id));
    expect(first.unreadCount).toBe(all.length);

    const { unreadCount } = await feed.markNotificationsRead({
      tenantId: A,
      userId: bob.id,
      ids: [all[0]!.id, 'junk'],
      all: false,
    });
    expect(unreadCount).toBe(all.length - 1);
    const unread = await list(A, bob.id, true);
    expect(unread.items.map((n) => n.id)).not.toContain(all[0]!.id);
    expect((await notificationsOf(bob.id))[0]!.readAt).toBeInstanceOf(Date);

    expect(
      (await feed.markNotificationsRead({ tenantId: A, userId: bob.id, ids: [], all: true })).unreadCount,
    ).toBe(0);
    expect((await list(A, bob.id, true)).items).toEqual([]);
  });

  it("never shows or marks another user's or tenant's notifications", async () => {
    const annas = await notificationsOf(anna.id);
    const before = (await list(A, anna.id, true)).unreadCount;
    expect(before).toBeGreaterThan(0);
    // bob marking anna's ids, and the same user id under another tenant, change nothing
    await feed.markNotificationsRead({
      tenantId: A,
      userId: bob.id,
      ids: annas.map((n) => n.id),
      all: false,
    });
    await feed.markNotificationsRead({ tenantId: B, userId: anna.id, ids: [], all: true });
    expect((await list(A, anna.id, true)).unreadCount).toBe(before);
    expect((await list(B, anna.id)).items).toEqual([]);
    expect((await list(B, other.id)).items).toEqual([]);
    const bad = await domainFailure(list(A, anna.id, false, 10, 'not-a-cursor'));
    expect(bad.code).toBe('INVALID_ARGUMENT');
  });

  it('answers the default preferences, keeps changes per user, refuses unknown types, and follows them', async () => {
    const { preferences } = await feed.getNotificationPreferences({ tenantId: A, userId: anna.id });
    expect(preferences!.inApp!.types).toMatchObject({ assigned: true, mentioned: true, sla_breached: true });
    expect(preferences!.email!.types).toMatchObject({
      assigned: false,
      sla_warning: false,
      sla_breached: true,
    });

    const updated = await feed.updateNotificationPreferences({
      tenantId: A,
      userId: anna.id,
      changes: { inApp: { types: { assigned: false } }, email: { types: { mentioned: true } } },
    });
    expect(updated.preferences!.inApp!.types.assigned).toBe(false);
    expect(updated.preferences!.inApp!.types.mentioned).toBe(true);
    expect(updated.preferences!.email!.types.mentioned).toBe(true);
    // bob's and another tenant's are untouched
    expect(
      (await feed.getNotificationPreferences({ tenantId: A, userId: bob.id })).preferences!.inApp!.types
        .assigned,
    ).toBe(true);
    expect(
      (await feed.getNotificationPreferences({ tenantId: B, userId: anna.id })).preferences!.inApp!.types
        .assigned,
    ).toBe(true);

    const bad = await domainFailure(
      feed.updateNotificationPreferences({
        tenantId: A,
        userId: anna.id,
        changes: { inApp: { types: { nonsense: true } }, email: undefined },
      }),
    );
    expect(bad.code).toBe('INVALID_ARGUMENT');

    // in-app off for assigned: an assignment to anna raises no notification; the mention after it does
    const t = ticket({ number: 1006, assigneeId: anna.id });
    await publish('helpdesk.ticket.assigned', A, {
      ticket: t,
      actor: user(bob.id),
      previousAssigneeId: '',
      previousTeamId: '',
    });
    const before = (await notificationsOf(anna.id)).length;
    await publish('helpdesk.ticket.message_added', A, {
      ticket: t,
      actor: user(bob.id),
      message: {
        id: randomUUID(),
        ticketId: t.id,
        kind: 'public_reply',
        author: user(bob.id),
        mentions: [anna.id],
        bodyText: '@anna see',
        attachments: [],
        tenantId: A,
        bodyHtml: '',
        threadingRule: '',
        authorName: '',
      },
    });
    const after = await settle(anna.id, before + 1);
    expect(after.filter((n) => n.ticketId === t.id).map((n) => n.type)).toEqual(['mentioned']);
  });
});

describe('agent e-mail', () => {
  it('makes one mail of a burst of notifications of one ticket, through the default mailbox, with a link', async () => {
    // anna has e-mail on for mentions (previous test); three mentions in a row on one ticket
    const t = ticket({ number: 1007, title: 'Mail server down' });
    for (let i = 0; i < 3; i++) {
      await publish(
        'helpdesk.ticket.message_added',
        A,
        noteAdded({ ...t, version: i + 1 }, bob.id, [anna.id], `@anna update ${i}`),
      );
    }
    await waitFor('three mail items', async () => {
      const { rows } = await pool.query('SELECT 1 FROM agent_mail_items WHERE ticket_id = $1', [t.id]);
      return rows.length === 3;
    });
    // not yet: the first waits for the batch window
    await service.notificationMailNow();
    const none = await pool.query(`SELECT 1 FROM outbound_mails WHERE ticket_id = $1`, [t.id]);
    expect(none.rows).toEqual([]);
    await delay(1600);
    expect(await service.notificationMailNow()).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query<{
      kind: string;
      to_addresses: string[];
      mailbox_id: string | null;
      subject: string;
      body_text: string;
      status: string;
    }>(
      'SELECT kind, to_addresses, mailbox_id, subject, body_text, status FROM outbound_mails WHERE ticket_id = $1',
      [t.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'agent_notification',
      to_addresses: ['anna@msp.example'],
      mailbox_id: null,
    });
    expect(rows[0]!.subject).toBe('#1007: 3 updates');
    expect(rows[0]!.body_text).toContain('update 0');
    expect(rows[0]!.body_text).toContain('update 2');
    expect(rows[0]!.body_text).toContain(`http://localhost:8080/tickets/${t.id}`);
    // a later round sends nothing more
    await service.notificationMailNow();
    expect((await pool.query('SELECT 1 FROM outbound_mails WHERE ticket_id = $1', [t.id])).rows).toHaveLength(
      1,
    );
  });
});
