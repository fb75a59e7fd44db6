// Webhooks end to end inside the notification service: the service in-process against the real PostgreSQL and
// NATS, events published on the bus, deliveries POSTed to a real HTTP receiver on 127.0.0.1 (which answers, fails,
// times out or answers 410 on demand), signatures checked by the independent `standardwebhooks` package, and the
// retry schedule driven by a test clock.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeEvent, webhookV1, type EventType } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { createLogger } from '@helpdesk/platform';
import type { LookupFunction } from '@helpdesk/security';
import { startTelemetry, type Telemetry } from '@helpdesk/telemetry';
import {
  createTestDatabase,
  deletePrefixedStreams,
  domainFailure,
  inProcessServiceEnv,
  promSample,
  scrapeMetrics,
  uniquePrefix,
  waitFor,
  type TestDatabase,
} from '@helpdesk/testing';
import { Webhook } from 'standardwebhooks';
import { DeliverWebhooksUseCase } from '../src/app/deliver-webhooks.use-case';
import { notificationConfigSchema } from '../src/config';
import { RETRY_SCHEDULE_MS } from '../src/domain/webhook';
import { GuardedWebhookSender } from '../src/infra/webhook-http';
import { PgDeliveryQueue } from '../src/infra/webhook-store.pg';
import { AesGcmSecretBox } from '@helpdesk/security';
import { buildNotificationService, type RunningNotificationService } from '../src/notification-service';

type Mode = 'ok' | 'fail' | 'slow' | 'gone';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A receiver on 127.0.0.1: per path, answers 204, 500, nothing in time, or 410. */
async function startReceiver() {
  const modes = new Map<string, Mode>();
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8') });
      const mode = modes.get(path) ?? 'ok';
      if (mode === 'ok') res.writeHead(204).end();
      else if (mode === 'fail') res.writeHead(500).end('receiver broke');
      else if (mode === 'gone') res.writeHead(410).end();
      else setTimeout(() => res.writeHead(204).end(), 1_500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    modes,
    at: (path: string) => received.filter((r) => r.path === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const TIMEOUT_MS = 500;

describe('webhooks (notification service)', () => {
  let db: TestDatabase;
  let prefix: string;
  let service: RunningNotificationService;
  let client: PromiseClient<webhookV1.WebhookServiceClient>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let now = new Date();
  const dns = new Map<string, string[]>();
  const disabledEvents: Array<{ endpointId: string; reason: string }> = [];
  const secretKey = randomBytes(32).toString('base64');
  const resolve: LookupFunction = (hostname, _options, callback) => {
    const list = dns.get(hostname);
    if (!list) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return callback(err, []);
    }
    callback(
      null,
      list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  const url = (path: string, host = '127.0.0.1') => `http://${host}:${receiver.port}${path}`;
  const tenant = () => randomUUID();

  let telemetry: Telemetry;
  beforeAll(async () => {
    // metrics on: the delivery outcomes are read from /metrics
    telemetry = startTelemetry({ serviceName: 'notification' });
    receiver = await startReceiver();
    db = await createTestDatabase('notification');
    prefix = uniquePrefix('wh');
    const config = notificationConfigSchema.parse({
      ...inProcessServiceEnv(db.url, prefix),
      MAIL_MESSAGE_ID_SECRET: randomBytes(32).toString('hex'),
      WEBHOOK_SECRET_KEY: secretKey,
      // the receiver is on loopback; metadata addresses stay refused in this mode too
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    service = await buildNotificationService(config, {
      webhooks: {
        clock: { now: () => now },
        random: () => 0.5,
        resolve,
        worker: false,
        disabled: {
          endpointDisabled: async (_store, e) => {
            disabledEvents.push({ endpointId: e.endpointId, reason: e.reason });
          },
        },
      },
    });
    client = createGrpcClient(webhookV1.WebhookServiceClient, `127.0.0.1:${service.grpcPort}`);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await receiver?.close();
    await deletePrefixedStreams(prefix);
    await db?.drop();
    await telemetry?.shutdown();
  });

  /** Publishes an event on the bus as a producer's relay would; `msgId` other than the id forces a redelivery. */
  async function publish(
    tenantId: string,
    type: EventType,
    data: Record<string, unknown>,
    options: { id?: string; msgId?: string } = {},
  ) {
    const id = options.id ?? randomUUID();
    const envelope = {
      id,
      type,
      version: 1,
      tenantId,
      occurredAt: now.toISOString(),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: encodeEvent(type, data as never),
    };
    const domain = type.split('.')[1]!;
    await service.bus.ensureStream(domain);
    await service.bus.js.publish(service.bus.subject(type), JSON.stringify(envelope), {
      msgID: options.msgId ?? id,
    });
    return envelope;
  }

  const deliveryRows = async (endpointId: string) =>
    (
      await service.pool.query<{ event_id: string; status: string }>(
        'SELECT event_id, status FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY seq',
        [endpointId],
      )
    ).rows;

  const waitForDeliveries = (endpointId: string, count: number) =>
    waitFor(`${count} deliveries`, async () => {
      const rows = await deliveryRows(endpointId);
      return rows.length >= count ? rows : undefined;
    });

  /** Until the webhook consumer has handled the event (its id is in the inbox). */
  const waitConsumed = (eventId: string) =>
    waitFor('the event consumed', async () => {
      const { rowCount } = await service.pool.query(
        "SELECT 1 FROM inbox WHERE event_id = $1 AND consumer LIKE 'notification--webhooks-%'",
        [eventId],
      );
      return (rowCount ?? 0) > 0;
    });

  const create = (tenantId: string, path: string, events = ['*'], host?: string) =>
    client.createWebhook({ tenantId, url: url(path, host), events, description: path });

  const ticketData = (title: string) => ({ ticket: { id: randomUUID(), number: 1, title } });

  it('creates an endpoint with a whsec_ secret shown once and sealed at rest; lists and changes it', async () => {
    const t = tenant();
    const created = await create(t, '/crud', ['ticket.created', 'ticket.created']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.webhook).toMatchObject({
      url: url('/crud'),
      events: ['ticket.created'],
      active: true,
      version: 1,
    });

    const stored = await service.pool.query<{ secret: Buffer }>(
      'SELECT secret FROM webhook_endpoints WHERE id = $1',
      [created.webhook!.id],
    );
    expect(stored.rows[0]!.secret.includes(Buffer.from(created.secret.slice(6), 'base64'))).toBe(false);
    expect(stored.rows[0]!.secret.toString('latin1')).not.toContain(created.secret);
    expect(new AesGcmSecretBox(secretKey).open(stored.rows[0]!.secret)).toBe(created.secret);

    const list = await client.listWebhooks({ tenantId: t, page: { limit: 10, cursor: '' } });
    expect(list.items.map((w) => w.id)).toEqual([created.webhook!.id]);
    expect(JSON.stringify(list)).not.toContain(created.secret);

    const changed = await client.updateWebhook({
      tenantId: t,
      id: created.webhook!.id,
      expectedVersion: 1,
      events: ['ticket.updated', 'sla.breached'],
      setEvents: true,
      description: 'changed',
      rotateSecret: false,
    });
    expect(changed.secret).toBe('');
    expect(changed.webhook).toMatchObject({
      events: ['ticket.updated', 'sla.breached'],
      description: 'changed',
      version: 2,
    });
    const stale = await domainFailure(
      client.updateWebhook({
        tenantId: t,
        id: created.webhook!.id,
        expectedVersion: 1,
        events: [],
        setEvents: false,
        rotateSecret: false,
      }),
    );
    expect(stale.code).toBe('CONFLICT');

    await client.deleteWebhook({ tenantId: t, id: created.webhook!.id });
    expect((await client.listWebhooks({ tenantId: t, page: { limit: 10, cursor: '' } })).items).toEqual([]);
  });

  it('pages the endpoints with a cursor', async () => {
    const t = tenant();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      now = new Date(now.getTime() + 1);
      ids.push((await create(t, `/page-${i}`)).webhook!.id);
    }
    const first = await client.listWebhooks({ tenantId: t, page: { limit: 2, cursor: '' } });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBe('');
    const second = await client.listWebhooks({ tenantId: t, page: { limit: 2, cursor: first.nextCursor } });
    expect([...first.items, ...second.items].map((w) => w.id)).toEqual(ids);
    expect(second.nextCursor).toBe('');
    for (const id of ids) await client.deleteWebhook({ tenantId: t, id });
  });

  it('refuses bad event names and unsafe URLs at save time with the reason', async () => {
    const t = tenant();
    const unknown = await domainFailure(
      client.createWebhook({ tenantId: t, url: url('/x'), events: ['ticket.exploded'], description: '' }),
    );
    expect(unknown).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(unknown.message).toMatch(/unknown event "ticket\.exploded"/);
    const mixed = await domainFailure(
      client.createWebhook({ tenantId: t, url: url('/x'), events: ['*', 'ticket.created'], description: '' }),
    );
    expect(mixed.message).toMatch(/alone/);

    dns.set('metadata.test', ['169.254.169.254']);
    for (const [bad, reason] of [
      ['ftp://example.com/hook', /only http and https/],
      ['http://169.254.169.254/latest/meta-data/', /metadata/],
      ['http://[fd00:ec2::254]/', /metadata/],
      [`http://metadata.test:${receiver.port}/`, /metadata\.test: 169\.254\.169\.254 is a cloud metadata/],
      ['http://nowhere.test/', /does not resolve/],
    ] as const) {
      const refused = await domainFailure(
        client.createWebhook({ tenantId: t, url: bad, events: ['*'], description: '' }),
      );
      expect(refused.code).toBe('INVALID_ARGUMENT');
      expect(refused.message).toMatch(reason);
    }
    expect((await client.listWebhooks({ tenantId: t, page: { limit: 10, cursor: '' } })).items).toEqual([]);
  });

  it("answers NOT_FOUND for another tenant's endpoint and deliveries", async () => {
    const [mine, theirs] = [tenant(), tenant()];
    const created = await create(mine, '/cross');
    await publish(mine, 'helpdesk.ticket.created', ticketData('Mine'));
    const [delivery] = await waitForDeliveries(created.webhook!.id, 1);
    const { items } = await client.listWebhookDeliveries({
      tenantId: mine,
      webhookId: created.webhook!.id,
      page: { limit: 10, cursor: '' },
    });
    expect(items.map((d) => d.eventId)).toEqual([delivery!.event_id]);
    const id = created.webhook!.id;
    for (const call of [
      client.updateWebhook({ tenantId: theirs, id, events: [], setEvents: false, rotateSecret: true }),
      client.deleteWebhook({ tenantId: theirs, id }),
      client.listWebhookDeliveries({ tenantId: theirs, webhookId: id, page: { limit: 10, cursor: '' } }),
      client.retryWebhookDelivery({ tenantId: theirs, webhookId: id, deliveryId: items[0]!.id }),
    ])
      expect((await domainFailure(call)).code).toBe('NOT_FOUND');
    expect((await client.listWebhooks({ tenantId: theirs, page: { limit: 10, cursor: '' } })).items).toEqual(
      [],
    );
    // another tenant's event reaches none of this tenant's endpoints
    await publish(theirs, 'helpdesk.ticket.created', ticketData('Theirs'));
    await publish(mine, 'helpdesk.ticket.updated', ticketData('Mine again'));
    await waitForDeliveries(id, 2);
    expect((await deliveryRows(id)).length).toBe(2);
    await client.deleteWebhook({ tenantId: mine, id });
  });

  it('delivers the envelope without traceparent, signed as Standard Webhooks verifies; a redelivered event makes none twice', async () => {
    now = new Date();
    const t = tenant();
    const created = await create(t, '/signed', ['ticket.created']);
    const id = created.webhook!.id;
    const event = await publish(t, 'helpdesk.ticket.created', ticketData('Printer offline'));
    await publish(t, 'helpdesk.ticket.updated', ticketData('not subscribed'));
    // the same event again (a producer's replay after the dedupe window): the inbox skips it
    await publish(t, 'helpdesk.ticket.created', ticketData('Printer offline'), {
      id: event.id,
      msgId: `${event.id}-again`,
    });
    await waitForDeliveries(id, 1);
    await publish(t, 'helpdesk.ticket.created', ticketData('marker'));
    await waitForDeliveries(id, 2);
    expect((await deliveryRows(id)).map((r) => r.event_id)).toEqual([event.id, expect.any(String)]);

    expect(await service.deliverWebhooksNow()).toBe(2);
    const [first] = receiver.at('/signed');
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.headers['webhook-id']).toBe(event.id);
    expect(Number(first!.headers['webhook-timestamp'])).toBe(Math.floor(now.getTime() / 1000));
    expect(first!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verified = new Webhook(created.secret).verify(first!.body, first!.headers);
    const { traceparent: _traceparent, ...withoutTrace } = event;
    expect(verified).toEqual(JSON.parse(JSON.stringify(withoutTrace)));
    expect(first!.body).not.toContain('traceparent');
    expect(() =>
      new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(first!.body, first!.headers),
    ).toThrow();

    const log = await client.listWebhookDeliveries({
      tenantId: t,
      webhookId: id,
      page: { limit: 1, cursor: '' },
    });
    expect(log.items).toHaveLength(1);
    expect(log.nextCursor).not.toBe('');
    const older = await client.listWebhookDeliveries({
      tenantId: t,
      webhookId: id,
      page: { limit: 1, cursor: log.nextCursor },
    });
    expect(older.items[0]).toMatchObject({
      eventId: event.id,
      eventType: 'ticket.created',
      status: 'delivered',
    });
    expect(older.items[0]!.attempts).toEqual([
      { at: now, statusCode: 204, durationMs: expect.any(Number), error: '' },
    ]);
    expect(older.items[0]!.nextAttemptAt).toBeUndefined();
    await client.deleteWebhook({ tenantId: t, id });
  });

  it("queues a rule's event for one endpoint of the tenant, whatever it subscribes to, signed and once", async () => {
    now = new Date();
    const t = tenant();
    const created = await create(t, '/rule', ['sla.breached']);
    const id = created.webhook!.id;
    expect((await client.getWebhook({ tenantId: t, id })).webhook).toMatchObject({ id, url: url('/rule') });
    const event = {
      id: randomUUID(),
      type: 'helpdesk.ticket.updated',
      version: 1,
      tenantId: t,
      occurredAt: now.toISOString(),
      data: encodeEvent('helpdesk.ticket.updated', ticketData('Printer offline') as never),
    };
    const eventJson = JSON.stringify(event);
    const first = await client.enqueueWebhookDelivery({ tenantId: t, webhookId: id, eventJson });
    expect(first.duplicate).toBe(false);
    // the action again (a retried run): the same delivery
    const again = await client.enqueueWebhookDelivery({ tenantId: t, webhookId: id, eventJson });
    expect(again).toEqual({ deliveryId: first.deliveryId, duplicate: true });
    expect(await deliveryRows(id)).toEqual([{ event_id: event.id, status: 'pending' }]);

    expect(await service.deliverWebhooksNow()).toBe(1);
    const [sent] = receiver.at('/rule');
    expect(sent!.headers['webhook-id']).toBe(event.id);
    expect(new Webhook(created.secret).verify(sent!.body, sent!.headers)).toEqual(JSON.parse(eventJson));

    // another tenant's endpoint, an event of another tenant, one webhooks never deliver, a disabled endpoint
    const other = tenant();
    expect(
      (await domainFailure(client.enqueueWebhookDelivery({ tenantId: other, webhookId: id, eventJson })))
        .code,
    ).toBe('NOT_FOUND');
    expect((await domainFailure(client.getWebhook({ tenantId: other, id }))).code).toBe('NOT_FOUND');
    const foreign = JSON.stringify({ ...event, id: randomUUID(), tenantId: other });
    expect(
      (await domainFailure(client.enqueueWebhookDelivery({ tenantId: t, webhookId: id, eventJson: foreign })))
        .code,
    ).toBe('INVALID_ARGUMENT');
    const internal = JSON.stringify({ ...event, id: randomUUID(), type: 'helpdesk.notify.created' });
    expect(
      (
        await domainFailure(
          client.enqueueWebhookDelivery({ tenantId: t, webhookId: id, eventJson: internal }),
        )
      ).code,
    ).toBe('INVALID_ARGUMENT');
    await client.updateWebhook({
      tenantId: t,
      id,
      events: [],
      setEvents: false,
      active: false,
      rotateSecret: false,
    });
    const later = JSON.stringify({ ...event, id: randomUUID() });
    expect(
      (await domainFailure(client.enqueueWebhookDelivery({ tenantId: t, webhookId: id, eventJson: later })))
        .code,
    ).toBe('FAILED_PRECONDITION');
    expect(await deliveryRows(id)).toEqual([{ event_id: event.id, status: 'delivered' }]);
    await client.deleteWebhook({ tenantId: t, id });
  });

  it('retries on the schedule (test clock) until failed; a timeout counts as a failure; a manual retry sends once more', async () => {
    const outcomes = async () => {
      const text = await scrapeMetrics(service.healthPort);
      const of = (outcome: string) => promSample(text, 'helpdesk_webhook_deliveries_total', { outcome }) ?? 0;
      return { delivered: of('delivered'), retrying: of('retrying'), failed: of('failed') };
    };
    const before = await outcomes();
    const start = new Date('2027-01-04T08:00:00.000Z');
    now = start;
    const t = tenant();
    receiver.modes.set('/flaky', 'slow');
    const created = await create(t, '/flaky', ['ticket.created']);
    const id = created.webhook!.id;
    await publish(t, 'helpdesk.ticket.created', ticketData('Retry me'));
    await waitForDeliveries(id, 1);

    const log = async () =>
      (await client.listWebhookDeliveries({ tenantId: t, webhookId: id, page: { limit: 10, cursor: '' } }))
        .items[0]!;
    expect(await service.deliverWebhooksNow()).toBe(1);
    let delivery = await log();
    expect(delivery.attempts[0]).toMatchObject({ statusCode: 0, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(delivery.status).toBe('pending');
    receiver.modes.set('/flaky', 'fail');

    let elapsed = 0;
    for (const [i, wait] of RETRY_SCHEDULE_MS.entries()) {
      elapsed += wait;
      expect(delivery.nextAttemptAt).toEqual(new Date(start.getTime() + elapsed + i * 0));
      // not due a millisecond early
      now = new Date(delivery.nextAttemptAt!.getTime() - 1);
      expect(await service.deliverWebhooksNow()).toBe(0);
      now = delivery.nextAttemptAt!;
      expect(await service.deliverWebhooksNow()).toBe(1);
      delivery = await log();
      elapsed = now.getTime() - start.getTime();
    }
    expect(delivery.status).toBe('failed');
    expect(delivery.nextAttemptAt).toBeUndefined();
    expect(delivery.attempts).toHaveLength(10);
    expect(
      delivery.attempts.slice(1).every((a) => a.statusCode === 500 && a.error === 'HTTP 500: receiver broke'),
    ).toBe(true);
    // 10 tries: the first, then one after each wait of the schedule
    expect(receiver.at('/flaky')).toHaveLength(10);

    receiver.modes.set('/flaky', 'ok');
    const retried = await client.retryWebhookDelivery({
      tenantId: t,
      webhookId: id,
      deliveryId: delivery.id,
    });
    expect(retried.delivery).toMatchObject({ status: 'pending', nextAttemptAt: now });
    expect(await service.deliverWebhooksNow()).toBe(1);
    delivery = await log();
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts).toHaveLength(11);
    expect(receiver.at('/flaky').map((r) => r.headers['webhook-id'])).toEqual(
      new Array(11).fill(delivery.eventId),
    );
    // 9 attempts left it pending, the 10th failed it, the manual retry delivered it
    const after = await outcomes();
    expect({
      delivered: after.delivered - before.delivered,
      retrying: after.retrying - before.retrying,
      failed: after.failed - before.failed,
    }).toEqual({ delivered: 1, retrying: 9, failed: 1 });
    await client.deleteWebhook({ tenantId: t, id });
  });

  it('disables an endpoint at once on 410, and makes no deliveries for it afterwards', async () => {
    now = new Date('2027-02-01T08:00:00.000Z');
    const t = tenant();
    receiver.modes.set('/gone', 'gone');
    const created = await create(t, '/gone', ['*']);
    const id = created.webhook!.id;
    await publish(t, 'helpdesk.ticket.created', ticketData('one'));
    await publish(t, 'helpdesk.ticket.created', ticketData('two'));
    await waitForDeliveries(id, 2);
    expect(await service.deliverWebhooksNow()).toBe(1);
    const [endpoint] = (await client.listWebhooks({ tenantId: t, page: { limit: 10, cursor: '' } })).items;
    expect(endpoint).toMatchObject({ active: false, disabledReason: 'gone', disabledAt: now });
    expect(disabledEvents).toContainEqual({ endpointId: id, reason: 'gone' });
    const statuses = (await deliveryRows(id)).map((r) => r.status);
    expect(statuses).toEqual(['failed', 'pending']);
    await waitConsumed((await publish(t, 'helpdesk.ticket.created', ticketData('three'))).id);
    const marker = await create(t, '/gone-marker', ['ticket.created']);
    await publish(t, 'helpdesk.ticket.created', ticketData('four'));
    await waitForDeliveries(marker.webhook!.id, 1);
    expect(await deliveryRows(id)).toHaveLength(2);
    expect(await service.deliverWebhooksNow()).toBe(1);
    expect(receiver.at('/gone')).toHaveLength(1);
    // a retry while disabled is refused; enabled again, the pending one goes out
    const retry = await domainFailure(
      client.retryWebhookDelivery({ tenantId: t, webhookId: id, deliveryId: randomUUID() }),
    );
    expect(retry.code).toBe('FAILED_PRECONDITION');
    receiver.modes.set('/gone', 'ok');
    const enabled = await client.updateWebhook({
      tenantId: t,
      id,
      active: true,
      events: [],
      setEvents: false,
      rotateSecret: false,
    });
    expect(enabled.webhook).toMatchObject({ active: true, disabledReason: '' });
    expect(await service.deliverWebhooksNow()).toBe(1);
    expect((await deliveryRows(id)).map((r) => r.status)).toEqual(['failed', 'delivered']);
    for (const w of [id, marker.webhook!.id]) await client.deleteWebhook({ tenantId: t, id: w });
  });

  it('disables an endpoint whose deliveries all failed for 5 days', async () => {
    const start = new Date('2027-03-01T08:00:00.000Z');
    now = start;
    const t = tenant();
    receiver.modes.set('/failing', 'fail');
    const created = await create(t, '/failing', ['ticket.created']);
    const id = created.webhook!.id;
    await publish(t, 'helpdesk.ticket.created', ticketData('A'));
    await waitForDeliveries(id, 1);
    expect(await service.deliverWebhooksNow()).toBe(1);
    now = new Date(start.getTime() + 4 * 86400_000);
    await publish(t, 'helpdesk.ticket.created', ticketData('B'));
    await waitForDeliveries(id, 2);
    // every due attempt fails, and after 4 days the endpoint is still on
    while ((await service.deliverWebhooksNow()) > 0);
    expect(
      (await client.listWebhooks({ tenantId: t, page: { limit: 10, cursor: '' } })).items[0]!.active,
    ).toBe(true);
    now = new Date(start.getTime() + 5 * 86400_000);
    while ((await service.deliverWebhooksNow()) > 0);
    const [endpoint] = (await client.listWebhooks({ tenantId: t, page: { limit: 10, cursor: '' } })).items;
    expect(endpoint).toMatchObject({ active: false, disabledReason: 'failing' });
    expect(disabledEvents).toContainEqual({ endpointId: id, reason: 'failing' });
    await client.deleteWebhook({ tenantId: t, id });
  });

  it('signs with the old secret too for 24 hours after a rotation', async () => {
    now = new Date();
    const t = tenant();
    const created = await create(t, '/rotated', ['ticket.created']);
    const id = created.webhook!.id;
    const rotated = await client.updateWebhook({
      tenantId: t,
      id,
      events: [],
      setEvents: false,
      rotateSecret: true,
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.webhook!.previousSecretExpiresAt).toEqual(new Date(now.getTime() + 24 * 3600_000));
    await publish(t, 'helpdesk.ticket.created', ticketData('rotated'));
    await waitForDeliveries(id, 1);
    expect(await service.deliverWebhooksNow()).toBe(1);
    const [during] = receiver.at('/rotated');
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.secret).verify(during!.body, during!.headers)).toBeTruthy();
    expect(new Webhook(created.secret).verify(during!.body, during!.headers)).toBeTruthy();

    now = new Date(now.getTime() + 24 * 3600_000 + 1000);
    await publish(t, 'helpdesk.ticket.created', ticketData('after'));
    await waitForDeliveries(id, 2);
    expect(await service.deliverWebhooksNow()).toBe(1);
    const after = receiver.at('/rotated')[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    await client.deleteWebhook({ tenantId: t, id });
  });

  it('checks the address of every connection: a name that now resolves to a metadata address is refused', async () => {
    now = new Date();
    const t = tenant();
    dns.set('rebind.test', ['127.0.0.1']);
    const created = await create(t, '/rebind', ['ticket.created'], 'rebind.test');
    const id = created.webhook!.id;
    dns.set('rebind.test', ['169.254.169.254']);
    await publish(t, 'helpdesk.ticket.created', ticketData('rebind'));
    await waitForDeliveries(id, 1);
    expect(await service.deliverWebhooksNow()).toBe(1);
    const [delivery] = (
      await client.listWebhookDeliveries({ tenantId: t, webhookId: id, page: { limit: 10, cursor: '' } })
    ).items;
    expect(delivery!.attempts[0]!.statusCode).toBe(0);
    expect(delivery!.attempts[0]!.error).toMatch(
      /^refused: rebind\.test: 169\.254\.169\.254 is a cloud metadata/,
    );
    expect(receiver.at('/rebind')).toHaveLength(0);
    await client.deleteWebhook({ tenantId: t, id });
  });

  it('shares the work between two workers: each delivery once, in order per endpoint', async () => {
    now = new Date();
    const t = tenant();
    const endpoints: string[] = [];
    for (let i = 0; i < 4; i++)
      endpoints.push((await create(t, `/shared-${i}`, ['ticket.created'])).webhook!.id);
    const events: string[] = [];
    for (let i = 0; i < 12; i++)
      events.push((await publish(t, 'helpdesk.ticket.created', ticketData(`e${i}`))).id);
    for (const e of endpoints) await waitForDeliveries(e, 12);

    const logger = createLogger('webhook-test', 'silent');
    const secrets = new AesGcmSecretBox(secretKey);
    const senders = [1, 2].map(
      () =>
        new GuardedWebhookSender({
          policy: { allowPrivateNetworks: true },
          timeoutMs: 2_000,
          maxResponseBytes: 1024,
        }),
    );
    const workers = senders.map(
      (sender) =>
        new DeliverWebhooksUseCase({
          queue: new PgDeliveryQueue(service.pool),
          sender,
          secrets,
          clock: { now: () => now },
          ids: { newId: () => randomUUID() },
          random: () => 0.5,
          disabled: { endpointDisabled: async () => undefined },
          logger,
          // a few deliveries per claim, so that the workers take turns on the same endpoints
          options: { endpointsPerRound: 2, deliveriesPerEndpoint: 3, leaseMs: 30_000, attemptMs: 2_000 },
        }),
    );
    const made = [0, 0];
    let rounds = 0;
    while (rounds++ < 100) {
      const counts = await Promise.all(workers.map((w) => w.round()));
      counts.forEach((c, i) => (made[i]! += c));
      if (counts.every((c) => c === 0)) break;
    }
    for (const sender of senders) sender.close();
    expect(made[0]! + made[1]!).toBe(48);
    expect(made[0]).toBeGreaterThan(0);
    expect(made[1]).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      expect(receiver.at(`/shared-${i}`).map((r) => r.headers['webhook-id'])).toEqual(events);
    }
    for (const id of endpoints) await client.deleteWebhook({ tenantId: t, id });
  });
});
