// Traces end to end (issue 17): the platform as processes exports its spans over OTLP/HTTP to a receiver in this
// process; one mail into Dovecot and one API change must each come out as ONE trace tree across the services.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  delay,
  startDovecot,
  startSmtpSink,
  waitFor,
  type CollectedSpan,
  type SmtpSink,
  type TestImapServer,
} from '@helpdesk/testing';
import { createMailbox, imapAccount, rawMail } from './support/mail';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';

// SpanKind in OTLP: 1 internal, 2 server, 3 client, 4 producer, 5 consumer
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

let platform: TestPlatform;
let imap: TestImapServer;
let smtp: SmtpSink;
let receiver: http.Server;
let receiverUrl = '';
const received: string[] = [];
let admin: TenantSession;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
  platform = await startTestPlatform({
    label: 'traces',
    env: { notification: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200' } },
  });
  admin = await platform.createTenantAndLogin('Traced MSP');
}, 240_000);

afterAll(async () => {
  await platform?.stop();
  await Promise.all([imap?.stop(), smtp?.stop()]);
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
}, 60_000);

printOutputsOnFailure(() => platform);

/**
 * The spans of `traceId` once none has arrived for longer than the exporters' 500 ms batch delay (a child may be
 * exported before its parent, and consumers continue a trace on their own time).
 */
async function settledTrace(traceId: string): Promise<CollectedSpan[]> {
  let seen = -1;
  return waitFor(
    `trace ${traceId} to settle`,
    async () => {
      const now = platform.collector.spans().filter((s) => s.traceId === traceId);
      if (now.length === seen) return now;
      seen = now.length;
      await delay(1_500);
      return undefined;
    },
    60_000,
  );
}

/** The span and its ancestors up to the root, nearest first. */
function pathToRoot(spans: CollectedSpan[], span: CollectedSpan): CollectedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const path = [span];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId))
    path.push(parent);
  return path;
}

/** One tree: a single span without a parent in the trace, every other span's parent inside it. */
function rootsOf(spans: CollectedSpan[]): CollectedSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
}

function only(spans: CollectedSpan[], what: string, match: (s: CollectedSpan) => boolean): CollectedSpan {
  const found = spans.filter(match);
  if (found.length === 0)
    throw new Error(`no ${what} in the trace: ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`);
  return found[0]!;
}

describe('traces end to end', () => {
  it('follows one mail from the IMAP fetch through the pipeline, the ticket and the automatic reply to SMTP', async () => {
    const inbox = await imapAccount(imap, 'support@traced.test', 'imap-secret');
    try {
      await createMailbox(platform, admin.token, {
        imap: { server: imap, user: 'support@traced.test', password: 'imap-secret' },
        smtp,
        address: 'support@traced.test',
      });
      await inbox.append(
        rawMail({ from: 'erin@client.example', to: 'support@traced.test', subject: 'Scanner jam' }),
      );
      const [reply] = await smtp.waitFor((m) => m.envelopeTo.includes('erin@client.example'), 1, 90_000);
      expect(reply!.header('auto-submitted')).toBe('auto-replied');
    } finally {
      await inbox.close();
    }

    const fetch = await waitFor('the imap fetch span', () =>
      platform.collector
        .spans()
        .find(
          (s) =>
            s.service === 'mail-ingest' &&
            s.name === 'imap fetch INBOX' &&
            s.attributes['tenant.id'] === admin.tenantId,
        ),
    );
    await waitFor('the smtp send in the mail trace', () =>
      platform.collector.spans().some((s) => s.traceId === fetch.traceId && s.name === 'smtp send'),
    );
    const spans = await settledTrace(fetch.traceId);

    // one tree, rooted at the fetch
    expect(rootsOf(spans)).toEqual([fetch]);
    expect(fetch).toMatchObject({ kind: CONSUMER });
    expect(fetch.attributes).toMatchObject({
      'network.protocol.name': 'imap',
      'imap.uid': expect.any(Number),
    });

    // smtp send ← notification consumer ← publish of the mail event ← pipeline ← fetch: one unbroken chain
    const send = only(spans, 'smtp send', (s) => s.service === 'notification' && s.name === 'smtp send');
    const chain = pathToRoot(spans, send);
    const names = chain.map((s) => `${s.service}:${s.name}`);
    const at = (pattern: RegExp) => names.findIndex((n) => pattern.test(n));
    const consumed = at(/^notification:process .*helpdesk\.mail\.received$/);
    const published = at(/^mail-ingest:publish .*helpdesk\.mail\.received$/);
    const pipeline = at(/^mail-ingest:mail pipeline$/);
    const order = [0, consumed, published, pipeline, names.length - 1];
    expect({ names, order: order.every((i, n) => n === 0 || i > order[n - 1]!) }).toEqual({
      names,
      order: true,
    });

    // the ticket the mail opened: the ticket service's gRPC handler under the pipeline's client call, and its event
    const pipelineSpan = chain[pipeline]!;
    const ticketServer = only(
      spans,
      'the ticket service handling the mail',
      (s) => s.service === 'ticket' && s.kind === SERVER && /TicketService/.test(s.name),
    );
    expect(pathToRoot(spans, ticketServer)).toContain(pipelineSpan);
    const ticketCreated = only(
      spans,
      'publish helpdesk.ticket.created',
      (s) => s.service === 'ticket' && s.kind === PRODUCER && /helpdesk\.ticket\.created$/.test(s.name),
    );
    expect(pathToRoot(spans, ticketCreated)).toContain(pipelineSpan);

    // the tenant on the spans of every service in the chain; semantic-convention attributes per kind
    for (const span of [
      fetch,
      pipelineSpan,
      ticketServer,
      ticketCreated,
      chain[published]!,
      chain[consumed]!,
      send,
    ])
      expect({ span: `${span.service}:${span.name}`, tenant: span.attributes['tenant.id'] }).toEqual({
        span: `${span.service}:${span.name}`,
        tenant: admin.tenantId,
      });
    expect(ticketServer.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': expect.any(String),
    });
    expect(chain[consumed]!.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': expect.any(String),
    });
    expect(chain[published]!.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'send',
    });
    expect(send).toMatchObject({ kind: CLIENT });
    expect(send.attributes).toMatchObject({ 'network.protocol.name': 'smtp', 'server.address': smtp.host });
    // the ticket service's queries: the pg instrumentation's client spans with the database conventions
    const query = only(
      spans,
      'a query of the ticket service',
      (s) => s.service === 'ticket' && s.kind === CLIENT && s.name.startsWith('pg.query:INSERT'),
    );
    expect(query.attributes['db.system.name'] ?? query.attributes['db.system']).toBe('postgresql');
    expect(query.attributes['db.query.text'] ?? query.attributes['db.statement']).toMatch(/^INSERT /);
    expect([...new Set(spans.map((s) => s.service))]).toEqual(
      expect.arrayContaining(['mail-ingest', 'ticket', 'notification']),
    );
  }, 180_000);

  it('follows an API change through the outbox, NATS and the notification consumer to the webhook POST', async () => {
    const hook = await platform.api('POST', '/api/v1/webhooks', {
      token: admin.token,
      body: { url: receiverUrl, events: ['ticket.created'] },
    });
    expect(hook.status).toBe(201);
    const ticket = await platform.api('POST', '/api/v1/tickets', {
      token: admin.token,
      body: { title: 'Badge reader broken', requester: { email: 'finn@client.example', name: 'Finn' } },
    });
    expect(ticket.status).toBe(201);
    await waitFor('the webhook delivery', () => received.some((b) => b.includes(ticket.body.id)), 60_000);

    const post = await waitFor('the webhook POST span', () =>
      platform.collector
        .spans()
        .find(
          (s) =>
            s.service === 'notification' &&
            s.name === 'webhook POST' &&
            s.attributes['tenant.id'] === admin.tenantId,
        ),
    );
    const spans = await settledTrace(post.traceId);

    // one tree, rooted at the gateway's POST /api/v1/tickets
    const roots = rootsOf(spans);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'gateway', kind: SERVER });
    expect(roots[0]!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/v1/tickets',
      'http.response.status_code': 201,
      'tenant.id': admin.tenantId,
    });

    // webhook POST ← delivery recorder (notification consumer) ← publish ← ticket gRPC handler ← gateway
    const names = pathToRoot(spans, post).map((s) => `${s.service}:${s.name}`);
    const at = (pattern: RegExp) => names.findIndex((n) => pattern.test(n));
    const order = [
      at(/^notification:webhook POST$/),
      at(/^notification:process .*helpdesk\.ticket\.created$/),
      at(/^ticket:publish .*helpdesk\.ticket\.created$/),
      at(/^ticket:.*TicketService\/CreateTicket$/),
      at(/^gateway:/),
    ];
    expect({ names, order: order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!)) }).toEqual({
      names,
      order: true,
    });
    expect(post).toMatchObject({ kind: CLIENT });
    expect(post.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
    });
    // the gateway's client call and the ticket service's handler carry the RPC conventions
    const rpcClient = only(
      spans,
      'the gateway gRPC client span',
      (s) => s.service === 'gateway' && s.kind === CLIENT && /CreateTicket/.test(s.name),
    );
    expect(rpcClient.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.method': 'CreateTicket' });
  }, 120_000);
});
