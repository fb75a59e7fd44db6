// Webhooks (issue 14, docs/product/webhooks.md) through the gateway, with the platform's services as separate
// processes: an admin creates a webhook, a ticket is created, a real receiver on 127.0.0.1 gets the delivery
// signed as the `standardwebhooks` package verifies, and the delivery log shows it.
import { randomBytes } from 'node:crypto';
import { waitFor } from '@helpdesk/testing';
import { Webhook } from 'standardwebhooks';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './support/webhook-receiver';

let platform: TestPlatform;
let receiver: WebhookReceiver;
let receiverUrl = '';
let received: ReceivedRequest[] = [];
let tenantA: TenantSession;
let tenantB: TenantSession;
let agentA = '';

const api: TestPlatform['api'] = (...args) => platform.api(...args);

beforeAll(async () => {
  receiver = await startWebhookReceiver('/hooks/helpdesk', { status: 200, body: 'ok' });
  received = receiver.received;
  receiverUrl = receiver.url;
  // the receiver is on loopback: the operator's switch for tests and on-premise installs
  platform = await startTestPlatform({
    label: 'webhooks',
    env: { notification: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200' } },
  });
  tenantA = await platform.createTenantAndLogin('Webhook MSP');
  tenantB = await platform.createTenantAndLogin('Other Webhook MSP');
  const email = `agent-${randomBytes(4).toString('hex')}@webhookmsp.example`;
  const created = await api('POST', '/api/v1/users', {
    token: tenantA.token,
    body: { email, name: 'Agent', role: 'agent', password: 'agent password 1' },
  });
  if (created.status !== 201)
    throw new Error(`creating an agent answered ${created.status}: ${created.text}`);
  agentA = await platform.login(email, 'agent password 1');
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
}, 60_000);

printOutputsOnFailure(() => platform);

describe('webhooks through the gateway', () => {
  let webhookId = '';
  let secret = '';

  it('creates a webhook (admins only) and answers its secret once', async () => {
    const body = { url: receiverUrl, events: ['ticket.created'], description: 'CRM sync' };
    expect((await api('POST', '/api/v1/webhooks', { token: agentA, body })).status).toBe(403);
    const created = await api('POST', '/api/v1/webhooks', { token: tenantA.token, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: receiverUrl, events: ['ticket.created'], active: true });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    webhookId = created.body.id;
    secret = created.body.secret;
    const list = await api('GET', '/api/v1/webhooks', { token: tenantA.token });
    expect(list.body).toMatchObject({
      items: [{ id: webhookId, description: 'CRM sync' }],
      nextCursor: null,
    });
    expect(list.text).not.toContain(secret.slice(6));
  });

  it('refuses a metadata address and unknown events with 400 and the reason', async () => {
    const metadata = await api('POST', '/api/v1/webhooks', {
      token: tenantA.token,
      body: { url: 'http://169.254.169.254/latest/meta-data/', events: ['*'] },
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.message).toMatch(/metadata/);
    expect(metadata.body.error.details.fields[0].path).toEqual(['url']);
    const scheme = await api('POST', '/api/v1/webhooks', {
      token: tenantA.token,
      body: { url: 'ftp://example.com/', events: ['*'] },
    });
    expect(scheme.status).toBe(400);
    const unknown = await api('POST', '/api/v1/webhooks', {
      token: tenantA.token,
      body: { url: receiverUrl, events: ['ticket.teleported'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/unknown event/);
  });

  it('delivers a created ticket to the receiver, verified, and logs the delivery', async () => {
    const ticket = await api('POST', '/api/v1/tickets', {
      token: tenantA.token,
      body: { title: 'Printer offline', requester: { email: 'jane@customer.example', name: 'Jane' } },
    });
    expect(ticket.status).toBe(201);
    const delivery = await waitFor(
      'the webhook delivery',
      () => received.find((r) => r.body.includes(ticket.body.id)),
      30_000,
    );
    const event = new Webhook(secret).verify(delivery.body, delivery.headers) as {
      id: string;
      type: string;
      tenantId: string;
      data: { ticket: { id: string; title: string } };
    };
    expect(event).toMatchObject({
      type: 'helpdesk.ticket.created',
      tenantId: tenantA.tenantId,
      data: { ticket: { id: ticket.body.id, title: 'Printer offline' } },
    });
    expect(event).not.toHaveProperty('traceparent');
    expect(delivery.headers['webhook-id']).toBe(event.id);
    // no internal trace context leaks to the receiver, yet the delivery is in the trace of the ticket's creation
    expect(delivery.headers).not.toHaveProperty('traceparent');
    await waitFor('the delivery span in the create trace', () => {
      const spans = platform.collector.spans();
      const post = spans.find((s) => s.service === 'notification' && s.name === 'webhook POST');
      // SpanKind 2 = SERVER: the gateway's POST /api/v1/tickets
      return post && spans.some((s) => s.traceId === post.traceId && s.service === 'gateway' && s.kind === 2);
    });

    const log = await waitFor('the delivery log', async () => {
      const res = await api('GET', `/api/v1/webhooks/${webhookId}/deliveries`, { token: tenantA.token });
      return res.body.items?.[0]?.status === 'delivered' ? res : undefined;
    });
    expect(log.body.items).toEqual([
      {
        id: expect.any(String),
        eventId: event.id,
        eventType: 'ticket.created',
        status: 'delivered',
        attempts: [{ at: expect.any(String), statusCode: 200, durationMs: expect.any(Number), error: null }],
        nextAttemptAt: null,
        createdAt: expect.any(String),
      },
    ]);

    const retried = await api(
      'POST',
      `/api/v1/webhooks/${webhookId}/deliveries/${log.body.items[0].id}/retry`,
      { token: tenantA.token },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('pending');
    await waitFor(
      'the second delivery',
      () => received.filter((r) => r.headers['webhook-id'] === event.id).length === 2,
    );
  });

  it('rotates the secret: both sign for 24 hours', async () => {
    const rotated = await api('PATCH', `/api/v1/webhooks/${webhookId}`, {
      token: tenantA.token,
      body: { rotateSecret: true },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
    const ticket = await api('POST', '/api/v1/tickets', {
      token: tenantA.token,
      body: { title: 'After rotation', requester: { email: 'jane@customer.example', name: 'Jane' } },
    });
    const delivery = await waitFor(
      'the delivery',
      () => received.find((r) => r.body.includes(ticket.body.id)),
      30_000,
    );
    expect(delivery.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(rotated.body.secret).verify(delivery.body, delivery.headers)).toBeTruthy();
    expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toBeTruthy();
    // the PATCH without rotateSecret answers no secret
    const plain = await api('PATCH', `/api/v1/webhooks/${webhookId}`, {
      token: tenantA.token,
      body: { description: 'CRM' },
    });
    expect(plain.body).not.toHaveProperty('secret');
  });

  it("answers 404 for another tenant's webhook", async () => {
    for (const [method, path] of [
      ['PATCH', `/api/v1/webhooks/${webhookId}`],
      ['DELETE', `/api/v1/webhooks/${webhookId}`],
      ['GET', `/api/v1/webhooks/${webhookId}/deliveries`],
    ] as const) {
      const res = await api(method, path, {
        token: tenantB.token,
        ...(method === 'PATCH' ? { body: { active: false } } : {}),
      });
      expect(res.status).toBe(404);
    }
    expect((await api('GET', '/api/v1/webhooks', { token: tenantB.token })).body.items).toEqual([]);
    const deleted = await api('DELETE', `/api/v1/webhooks/${webhookId}`, { token: tenantA.token });
    expect(deleted.status).toBe(200);
    expect((await api('GET', '/api/v1/webhooks', { token: tenantA.token })).body.items).toEqual([]);
  });
});
