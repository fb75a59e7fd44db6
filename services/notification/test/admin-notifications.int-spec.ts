// The tenant's admins are notified of what needs them (ADR 42): a webhook endpoint the delivery worker disabled
// (410 at once, or 5 days of failures), in the disabling transaction, and a mailbox mail-ingest says needs a new
// OAuth2 sign-in, from its event. The service in-process on the real PostgreSQL and NATS, deliveries POSTed to a
// real receiver on 127.0.0.1, the webhook clock a test clock.
import { knowUsers } from './support/users';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventEnvelope } from '@helpdesk/bus';
import { notificationFeedV1, webhookV1, type EventData, type EventType } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import {
  createTestDatabase,
  deletePrefixedStreams,
  delay,
  inProcessServiceEnv,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@helpdesk/testing';
import { notificationConfigSchema } from '../src/config';
import { buildNotificationService, type RunningNotificationService } from '../src/notification-service';

const A = randomUUID();
const B = randomUUID();
const root = { id: randomUUID(), name: 'Root Admin', handle: 'root', role: 'admin' };
const quiet = { id: randomUUID(), name: 'Quiet Admin', handle: 'quiet', role: 'admin' };
const former = { id: randomUUID(), name: 'Former Admin', handle: 'former', role: 'admin' };
const anna = { id: randomUUID(), name: 'Anna Agent', handle: 'anna', role: 'agent' };
const other = { id: randomUUID(), name: 'Other Admin', handle: 'other', role: 'admin' };

let db: TestDatabase;
let prefix: string;
let service: RunningNotificationService;
let feed: PromiseClient<notificationFeedV1.NotificationFeedServiceClient>;
let webhooks: PromiseClient<webhookV1.WebhookServiceClient>;
let receiver: http.Server;
let receiverPort: number;
const answers = new Map<string, number>();
let now = new Date('2027-03-01T08:00:00.000Z');

async function publish<K extends EventType>(type: K, tenantId: string, data: EventData<K>, id?: string) {
  const envelope = createEventEnvelope(type, tenantId, data);
  if (id) envelope.id = id;
  envelope.occurredAt = now.toISOString();
  await service.bus.ensureStream(type.split('.')[1]!);
  // a fresh Nats-Msg-Id each time, so that a "redelivery" passes JetStream's de-duplication
  await service.bus.js.publish(service.bus.subject(type), JSON.stringify(envelope), { msgID: randomUUID() });
  return envelope;
}

const feedOf = async (tenantId: string, userId: string) =>
  (await feed.listNotifications({ tenantId, userId, unreadOnly: false, page: { limit: 50, cursor: '' } }))
    .items;

const ofType = async (tenantId: string, userId: string, type: string) =>
  (await feedOf(tenantId, userId)).filter((n) => n.type === type);

const mailItems = async (userId: string, type: string) =>
  (
    await service.pool.query<{ title: string; ticket_id: string | null }>(
      'SELECT title, ticket_id FROM agent_mail_items WHERE user_id = $1 AND type = $2',
      [userId, type],
    )
  ).rows;

/** The helpdesk.notify.created events in the outbox for a user and type (what /events streams live). */
const liveEvents = async (userId: string, type: string) =>
  (
    await service.pool.query<{ id: string }>(
      `SELECT id FROM outbox WHERE type = 'helpdesk.notify.created'
         AND payload->'data'->'notification'->>'userId' = $1
         AND payload->'data'->'notification'->>'type' = $2`,
      [userId, type],
    )
  ).rows;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0]!;
    req.on('end', () => res.writeHead(answers.get(path) ?? 204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;

  prefix = uniquePrefix('adm');
  db = await createTestDatabase('notification');
  const config = notificationConfigSchema.parse({
    ...inProcessServiceEnv(db.url, prefix),
    MAIL_MESSAGE_ID_SECRET: randomBytes(32).toString('hex'),
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    // the receiver is on loopback
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_TIMEOUT_MS: '1000',
    // nothing answers there: admins come from the users read model, mail stays queued
    IDENTITY_GRPC_URL: '127.0.0.1:1',
    TICKET_GRPC_URL: '127.0.0.1:1',
    MAIL_GRPC_URL: '127.0.0.1:1',
    GRPC_DEADLINE_MS: '500',
    NOTIFY_EMAIL_INTERVAL_MS: '60000',
    DISPATCH_INTERVAL_MS: '60000',
  });
  // no `disabled` hook given: the service's own notifies the admins
  service = await buildNotificationService(config, {
    webhooks: { clock: { now: () => now }, random: () => 0.5, worker: false },
  });
  feed = createGrpcClient(notificationFeedV1.NotificationFeedServiceClient, `127.0.0.1:${service.grpcPort}`);
  webhooks = createGrpcClient(webhookV1.WebhookServiceClient, `127.0.0.1:${service.grpcPort}`);

  await knowUsers(publish, service.pool, [
    [A, root, true],
    [A, quiet, true],
    [A, former, false],
    [A, anna, true],
    [B, other, true],
  ]);
  // one admin wants these by e-mail only: preferences per type, as for the other types
  await feed.updateNotificationPreferences({
    tenantId: A,
    userId: quiet.id,
    changes: {
      inApp: { types: { webhook_disabled: false, mailbox_reauthorization: false } },
      email: undefined,
    },
  });
});

afterAll(async () => {
  feed?.close();
  webhooks?.close();
  await service?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await deletePrefixedStreams(prefix);
  await db?.drop();
});

const ticketData = (title: string) =>
  ({ ticket: { id: randomUUID(), number: 1, title } }) as unknown as EventData<'helpdesk.ticket.created'>;

async function endpoint(tenantId: string, path: string) {
  const created = await webhooks.createWebhook({
    tenantId,
    url: `http://127.0.0.1:${receiverPort}${path}?token=receiver-secret`,
    events: ['ticket.created'],
    description: path,
  });
  return created.webhook!.id;
}

async function waitForDeliveries(endpointId: string, count: number) {
  await waitFor(`${count} deliveries`, async () => {
    const { rows } = await service.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1',
      [endpointId],
    );
    return rows[0]!.n >= count;
  });
}

describe('webhook_disabled', () => {
  it("notifies the tenant's active admins, once, in the transaction that disables on a 410", async () => {
    now = new Date('2027-03-01T08:00:00.000Z');
    answers.set('/gone', 410);
    const id = await endpoint(A, '/gone');
    // another tenant's endpoint that keeps working
    answers.set('/b-ok', 204);
    const bId = await endpoint(B, '/b-ok');
    await publish('helpdesk.ticket.created', A, ticketData('one'));
    await publish('helpdesk.ticket.created', A, ticketData('two'));
    await publish('helpdesk.ticket.created', B, ticketData('b'));
    await waitForDeliveries(id, 2);
    await waitForDeliveries(bId, 1);
    expect(await service.deliverWebhooksNow()).toBe(2);

    const [stored] = (
      await service.pool.query<{ active: boolean; disabled_at: Date }>(
        'SELECT active, disabled_at FROM webhook_endpoints WHERE id = $1',
        [id],
      )
    ).rows;
    expect(stored).toMatchObject({ active: false, disabled_at: now });
    const items = await ofType(A, root.id, 'webhook_disabled');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'webhook_disabled',
      ticketId: '',
      ticketNumber: 0,
      title: `Webhook http://127.0.0.1:${receiverPort}/gone disabled`,
      actor: { type: 'system', name: 'Webhooks' },
    });
    expect(items[0]!.body).toMatch(/^The receiver answered 410 Gone/);
    // the receiver's token in the query is in no notification
    expect(JSON.stringify(items)).not.toContain('receiver-secret');
    expect(await liveEvents(root.id, 'webhook_disabled')).toHaveLength(1);
    // e-mail on by default for it; the admin who switched in-app off gets the mail only
    expect(await mailItems(root.id, 'webhook_disabled')).toEqual([
      { title: items[0]!.title, ticket_id: null },
    ]);
    expect(await ofType(A, quiet.id, 'webhook_disabled')).toEqual([]);
    expect(await mailItems(quiet.id, 'webhook_disabled')).toHaveLength(1);
    // not an agent, not an inactive admin, not another tenant's admin
    for (const [tenantId, userId] of [
      [A, anna.id],
      [A, former.id],
      [B, other.id],
    ] as const)
      expect(await feedOf(tenantId, userId)).toEqual([]);

    // more rounds (the pending delivery stays) disable nothing again and notify nobody again
    await publish('helpdesk.ticket.created', A, ticketData('three'));
    await delay(300);
    await service.deliverWebhooksNow();
    expect(await ofType(A, root.id, 'webhook_disabled')).toHaveLength(1);
    expect(await mailItems(root.id, 'webhook_disabled')).toHaveLength(1);
    await webhooks.deleteWebhook({ tenantId: A, id });
    await webhooks.deleteWebhook({ tenantId: B, id: bId });
  });

  it('notifies them when every delivery failed for 5 days, saying since when', async () => {
    const start = new Date('2027-04-01T08:00:00.000Z');
    now = start;
    answers.set('/failing', 500);
    const id = await endpoint(A, '/failing');
    await publish('helpdesk.ticket.created', A, ticketData('A'));
    await waitForDeliveries(id, 1);
    expect(await service.deliverWebhooksNow()).toBe(1);
    now = new Date(start.getTime() + 4 * 86400_000);
    await publish('helpdesk.ticket.created', A, ticketData('B'));
    await waitForDeliveries(id, 2);
    while ((await service.deliverWebhooksNow()) > 0);
    // four days: still on, nobody told
    expect(await ofType(A, root.id, 'webhook_disabled')).toHaveLength(1);
    now = new Date(start.getTime() + 5 * 86400_000);
    while ((await service.deliverWebhooksNow()) > 0);

    const items = await ofType(A, root.id, 'webhook_disabled');
    expect(items).toHaveLength(2);
    const failing = items.find(
      (n) => n.title === `Webhook http://127.0.0.1:${receiverPort}/failing disabled`,
    );
    expect(failing!.body).toContain(`failed since ${start.toISOString()} (5 days)`);
    expect(await feedOf(B, other.id)).toEqual([]);
    await webhooks.deleteWebhook({ tenantId: A, id });
  });
});

describe('mailbox_reauthorization', () => {
  const data = (mailboxId: string) => ({
    mailboxId,
    mailboxName: 'Support',
    mailboxAddress: 'support@msp.example',
    provider: 'google',
    reason: 'invalid_grant: Token has been expired or revoked.',
  });

  it("notifies the tenant's active admins once, however often mail-ingest's event is delivered", async () => {
    now = new Date();
    const mailboxId = randomUUID();
    const event = await publish('helpdesk.mail.mailbox_needs_reauthorization', A, data(mailboxId));
    // the same event again (a redelivery or a replay)
    await publish('helpdesk.mail.mailbox_needs_reauthorization', A, data(mailboxId), event.id);
    await waitFor(
      'the notification',
      async () => (await ofType(A, root.id, 'mailbox_reauthorization')).length > 0,
    );
    await waitFor('both deliveries handled', async () => {
      const { rows } = await service.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM inbox WHERE consumer = 'notification--feed-mailboxes' AND event_id = $1",
        [event.id],
      );
      return rows[0]!.n === 1;
    });
    await delay(500);

    const items = await ofType(A, root.id, 'mailbox_reauthorization');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      ticketId: '',
      ticketNumber: 0,
      title: 'Mailbox Support <support@msp.example> needs a new sign-in',
      actor: { type: 'system', name: 'Mail' },
    });
    expect(items[0]!.body).toContain(
      'Google refused to renew its access: invalid_grant: Token has been expired',
    );
    expect(await liveEvents(root.id, 'mailbox_reauthorization')).toHaveLength(1);
    expect(await mailItems(root.id, 'mailbox_reauthorization')).toHaveLength(1);
    expect(await ofType(A, quiet.id, 'mailbox_reauthorization')).toEqual([]);
    expect(await mailItems(quiet.id, 'mailbox_reauthorization')).toHaveLength(1);
    expect(await ofType(A, anna.id, 'mailbox_reauthorization')).toEqual([]);
    expect(await ofType(A, former.id, 'mailbox_reauthorization')).toEqual([]);
    expect(await feedOf(B, other.id)).toEqual([]);
  });

  it("another tenant's mailbox notifies that tenant's admins only", async () => {
    const event = await publish('helpdesk.mail.mailbox_needs_reauthorization', B, data(randomUUID()));
    await waitFor('the notification', async () => (await feedOf(B, other.id)).length > 0);
    expect((await feedOf(B, other.id)).map((n) => n.type)).toEqual(['mailbox_reauthorization']);
    // A's admins have still the one of their own mailbox
    expect(await ofType(A, root.id, 'mailbox_reauthorization')).toHaveLength(1);
    // A's feed asked with B's tenant finds nothing of B's
    expect(await feedOf(A, other.id)).toEqual([]);
    expect(event.tenantId).toBe(B);
  });
});
