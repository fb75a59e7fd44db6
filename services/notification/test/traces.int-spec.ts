// Traces of the notification service's sends (issue 14 "Traces"), exported over OTLP/HTTP to the OTLP receiver of
// @helpdesk/testing: an agent's notification mail that batches several changes starts a trace of its own whose
// `smtp send` span links to each change's trace; one of a single change is a child of that change's trace; a webhook
// delivery's POST continues the trace of the event that caused it. The service runs as its own process (its OTLP
// exporter loads `http` with a dynamic import, which Jest's module sandbox refuses) on the real PostgreSQL and NATS
// JetStream, and sends to a real SMTP listener and a real HTTP receiver on 127.0.0.1; identity and mail-ingest are
// small gRPC fakes in this process (the team look-up, the default mailbox's SMTP settings).
import { noteAdded } from './support/events';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectBus, createEventEnvelope, type Bus } from '@helpdesk/bus';
import {
  commonV1,
  identityV1,
  mailV1,
  notificationFeedV1,
  ticketV1,
  webhookV1,
  type EventData,
  type EventType,
} from '@helpdesk/contracts';
import { createGrpcClient, startGrpcServer, unary, type RunningGrpcServer } from '@helpdesk/grpc';
import { createLogger, notFound } from '@helpdesk/platform';
import {
  createTestDatabase,
  deletePrefixedStreams,
  freePort,
  NATS_URL,
  startOtlpCollector,
  startProcess,
  startSmtpSink,
  uniquePrefix,
  waitFor,
  waitForHttp,
  type CollectedSpan,
  type OtlpCollector,
  type ServiceProcess,
  type SmtpSink,
  type TestDatabase,
} from '@helpdesk/testing';
import { Pool } from 'pg';
import { headers } from 'nats';

const A = randomUUID();
const anna = { id: randomUUID(), name: 'Anna Agent', handle: 'anna' };
const bob = { id: randomUUID(), name: 'Bob Builder', handle: 'bob' };
const user = (id: string) => ({ type: commonV1.ActorType.ACTOR_TYPE_USER, id });

/** A fresh W3C traceparent of a change made elsewhere (the ticket service's request). */
function changeTrace() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

let collector: OtlpCollector;
let smtp: SmtpSink;
let db: TestDatabase;
let prefix: string;
let bus: Bus;
let pool: Pool;
let identity: RunningGrpcServer;
let mailIngest: RunningGrpcServer;
let service: ServiceProcess;
let grpcAddress: string;
let receiver: http.Server;
const received: string[] = [];

async function publish<K extends EventType>(type: K, data: EventData<K>, traceparent: string) {
  const envelope = createEventEnvelope(type, A, data);
  envelope.traceparent = traceparent;
  // as the outbox relay publishes: the trace context in the message headers too
  const h = headers();
  h.set('traceparent', traceparent);
  await bus.js.publish(bus.subject(type), JSON.stringify(envelope), { msgID: envelope.id, headers: h });
  return envelope;
}

function ticket(number: number): ticketV1.Ticket {
  return ticketV1.Ticket.fromPartial({
    id: randomUUID(),
    tenantId: A,
    number,
    title: 'Printer offline',
    status: 'open',
    priority: 'medium',
    version: 1,
    openedAt: new Date(),
    updatedAt: new Date(),
    requester: { email: 'carla@customer.example', name: 'Carla Customer' },
  });
}

/** bob mentions anna in an internal note of `t`, in the trace `traceparent`. */
function mention(t: ticketV1.Ticket, i: number, traceparent: string) {
  return publish(
    'helpdesk.ticket.message_added',
    noteAdded({ ...t, version: i + 1 }, bob.id, [anna.id], `@anna update ${i}`),
    traceparent,
  );
}

/** The notification service's `process <subject>` span with this id (SpanKind 5 = CONSUMER). */
function consumerSpan(spanId: string): CollectedSpan | undefined {
  return collector.spans().find((s) => s.spanId === spanId && s.kind === 5 && s.name.startsWith('process '));
}

async function spansNamed(name: string, count: number): Promise<CollectedSpan[]> {
  let found: CollectedSpan[] = [];
  await waitFor(`${count} ${name} spans`, async () => {
    found = collector.spans().filter((s) => s.name === name);
    return found.length >= count;
  });
  return found;
}

beforeAll(async () => {
  collector = await startOtlpCollector();
  smtp = await startSmtpSink();
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['webhook-id']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

  prefix = uniquePrefix('notiftrace');
  db = await createTestDatabase('notification');
  const silent = createLogger('notification-test', 'silent');
  bus = await connectBus({ servers: NATS_URL, prefix, name: 'notification-trace-test', logger: silent });
  for (const d of ['identity', 'ticket', 'sla', 'automation', 'notify', 'mail', 'time'])
    await bus.ensureStream(d);
  pool = new Pool({ connectionString: db.url, max: 2 });

  identity = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    logger: silent,
    services: [
      {
        definition: identityV1.IdentityServiceService,
        implementation: {
          getTeam: unary(async () => {
            throw notFound('team');
          }, silent),
          getUser: unary(async () => {
            throw notFound('user');
          }, silent),
        },
      },
    ],
  });
  const mailboxId = randomUUID();
  mailIngest = await startGrpcServer({
    port: 0,
    host: '127.0.0.1',
    logger: silent,
    services: [
      {
        definition: mailV1.MailIngestServiceService,
        implementation: {
          getOutboundSettings: unary(
            async (): Promise<mailV1.GetOutboundSettingsResponse> => ({
              mailboxId,
              name: 'MSP Support',
              address: 'support@msp.example',
              host: smtp.host,
              port: smtp.port,
              tls: 'none',
              user: '',
              password: '',
              version: 1,
              auth: 'password',
              accessToken: '',
            }),
            silent,
          ),
        },
      },
    ],
  });

  const [grpcPort, healthPort] = [await freePort(), await freePort()];
  grpcAddress = `127.0.0.1:${grpcPort}`;
  service = startProcess('notification', 'services/notification/src/main.ts', {
    DATABASE_URL: db.url,
    GRPC_PORT: String(grpcPort),
    HEALTH_PORT: String(healthPort),
    MAIL_MESSAGE_ID_SECRET: randomBytes(32).toString('hex'),
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    NATS_URL,
    BUS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '100',
    IDENTITY_GRPC_URL: `127.0.0.1:${identity.port}`,
    // nothing answers there: no ticket look-ups are needed
    TICKET_GRPC_URL: '127.0.0.1:1',
    MAIL_GRPC_URL: `127.0.0.1:${mailIngest.port}`,
    GRPC_DEADLINE_MS: '2000',
    NOTIFY_EMAIL_BATCH_MS: '1500',
    NOTIFY_EMAIL_INTERVAL_MS: '200',
    DISPATCH_INTERVAL_MS: '200',
  });
  await waitForHttp(`http://127.0.0.1:${healthPort}/readyz`, 60_000);

  for (const u of [anna, bob]) {
    await publish(
      'helpdesk.identity.user_created',
      {
        userId: u.id,
        email: `${u.handle}@msp.example`,
        name: u.name,
        role: 'agent',
        handle: u.handle,
        active: true,
      },
      changeTrace().traceparent,
    );
  }
  await waitFor('the users read model', async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notify_users');
    return rows[0]!.n === 2;
  });
  const feed = createGrpcClient(notificationFeedV1.NotificationFeedServiceClient, grpcAddress);
  await feed.updateNotificationPreferences({
    tenantId: A,
    userId: anna.id,
    changes: { inApp: undefined, email: { types: { mentioned: true } } },
  });
  feed.close();
});

afterAll(async () => {
  await service?.stop(5_000);
  await identity?.shutdown();
  await mailIngest?.shutdown();
  await pool?.end();
  await bus?.close();
  await deletePrefixedStreams(prefix);
  await db?.drop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await smtp?.stop();
  await collector?.close();
});

describe('traces of batched and single sends', () => {
  it("links an agent mail batching three changes to each change's trace; one change's mail joins its trace", async () => {
    const burst = ticket(2001);
    const changes = [changeTrace(), changeTrace(), changeTrace()];
    for (const [i, c] of changes.entries()) await mention(burst, i, c.traceparent);
    const lone = ticket(2002);
    const single = changeTrace();
    await mention(lone, 0, single.traceparent);
    const mails = await smtp.waitFor((m) => m.envelopeTo.includes('anna@msp.example'), 2);
    expect(mails.map((m) => m.parsed.subject).sort()).toEqual([
      '#2001: 3 updates',
      expect.stringContaining('#2002'),
    ]);

    const sends = await spansNamed('smtp send', 2);
    const batched = sends.find((s) => s.links.length > 0);
    expect(batched).toBeDefined();
    // a trace of its own, linked to each change
    expect(batched!.parentSpanId).toBe('');
    expect(changes.map((c) => c.traceId)).not.toContain(batched!.traceId);
    // each link names the consumer span that handled a change, in that change's trace
    expect(batched!.links.map((l) => l.traceId).sort()).toEqual(changes.map((c) => c.traceId).sort());
    for (const link of batched!.links) {
      const change = changes.find((c) => c.traceId === link.traceId)!;
      expect(consumerSpan(link.spanId)).toMatchObject({
        traceId: change.traceId,
        parentSpanId: change.spanId,
      });
    }
    // the mail of one change: under the consumer span that handled it, in the change's trace
    const alone = sends.find((s) => s !== batched)!;
    expect(alone).toMatchObject({ traceId: single.traceId, links: [] });
    expect(consumerSpan(alone.parentSpanId)).toMatchObject({
      traceId: single.traceId,
      parentSpanId: single.spanId,
    });
  });

  it('POSTs a webhook delivery in the trace of the event that caused it', async () => {
    const client = createGrpcClient(webhookV1.WebhookServiceClient, grpcAddress);
    try {
      await client.createWebhook({
        tenantId: A,
        actor: undefined,
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        events: ['ticket.created'],
        description: '',
      });
    } finally {
      client.close();
    }
    const change = changeTrace();
    const envelope = await publish(
      'helpdesk.ticket.created',
      { ticket: ticket(2003), actor: user(bob.id), message: undefined },
      change.traceparent,
    );
    await waitFor('the delivery row', async () => {
      const { rows } = await pool.query('SELECT 1 FROM webhook_deliveries WHERE event_id = $1', [
        envelope.id,
      ]);
      return rows.length === 1;
    });
    await waitFor('the delivery', async () => received.includes(envelope.id));
    const posts = await spansNamed('webhook POST', 1);
    expect(posts[0]).toMatchObject({ traceId: change.traceId });
    expect(consumerSpan(posts[0]!.parentSpanId)).toMatchObject({
      traceId: change.traceId,
      parentSpanId: change.spanId,
    });
  });
});
