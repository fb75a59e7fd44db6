// The first vertical slice, driven like a user: the platform's services run as separate processes
// against the real PostgreSQL, NATS and Redis; each run has its own databases, stream prefix and ports.
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { delay, NATS_URL, startProcess, waitFor } from '@helpdesk/testing';
import { startTestPlatform, type TestPlatform } from './support/platform';

interface Envelope {
  id: string;
  type: string;
  version: number;
  tenantId: string;
  occurredAt: string;
  traceparent?: string;
  data: { ticket?: { id: string; number: number | string; title: string } };
}
interface Received {
  envelope: Envelope;
  msgId: string | undefined;
}

let platform: TestPlatform;
let nc: NatsConnection;
let sub: Subscription;
const received: Received[] = [];

const api: TestPlatform['api'] = (...args) => platform.api(...args);
const createTenant = (name: string) => platform.createTenant(name);
const login = (email: string, password: string) => platform.login(email, password);

function eventsFor(ticketId: string): Received[] {
  return received.filter((r) => r.envelope.data.ticket?.id === ticketId);
}

beforeAll(async () => {
  platform = await startTestPlatform({ label: 'sys' });
  nc = await connect({ servers: NATS_URL });
  sub = nc.subscribe(`${platform.prefix}.helpdesk.ticket.>`);
  void (async () => {
    for await (const m of sub) {
      received.push({
        envelope: JSON.parse(new TextDecoder().decode(m.data)),
        msgId: m.headers?.get('Nats-Msg-Id'),
      });
    }
  })();
}, 180_000);

afterAll(async () => {
  await sub?.drain();
  await nc?.close();
  await platform?.stop();
}, 60_000);

// Prints a failing service's own words next to the assertion.
afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls > 0 && state.suppressedErrors.length > 0) console.error(platform.outputs());
});

let tenantA: { email: string; password: string };
let tokenA = '';
let tokenB = '';

describe('platform slice: sign in, create a ticket, see its event and trace', () => {
  let ticketId = '';

  it('lets only the platform operator create tenants', async () => {
    tenantA = await createTenant('Acme MSP');
    const tenantB = await createTenant('Other MSP');
    tokenA = await login(tenantA.email, tenantA.password);
    tokenB = await login(tenantB.email, tenantB.password);
    const asAdmin = await api('POST', '/api/v1/tenants', {
      token: tokenA,
      body: { name: 'Sneaky', admin: { email: 'x@sneaky.example', name: 'X', password: 'long enough pw' } },
    });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.error.code).toBeTruthy();
  });

  it('answers /me for the signed-in agent', async () => {
    const me = await api('GET', '/api/v1/me', { token: tokenA });
    expect(me.status).toBe(200);
    expect(me.body.email ?? me.body.user?.email).toBe(tenantA.email);
  });

  it('creates, reads and lists a ticket, numbered from 1001', async () => {
    const created = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body: {
        title: 'Printer on floor 2 is offline',
        description: '<p>It says <b>PC LOAD LETTER</b></p><script>alert(1)</script>',
        priority: 'high',
        requester: { email: 'Jane.Doe@customer.example', name: 'Jane Doe' },
      },
    });
    expect(created.status).toBe(201);
    ticketId = created.body.id;
    expect(Number(created.body.number)).toBe(1001);
    expect(created.body.status).toBe('open');
    expect(created.body.description).not.toContain('<script>');

    const read = await api('GET', `/api/v1/tickets/${ticketId}`, { token: tokenA });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: ticketId,
      title: 'Printer on floor 2 is offline',
      priority: 'high',
    });

    const list = await api('GET', '/api/v1/tickets?limit=10', { token: tokenA });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(ticketId);
    expect(list.body).toHaveProperty('nextCursor');
  });

  it('publishes helpdesk.ticket.created on NATS in the SPEC envelope', async () => {
    const [event] = await waitFor('ticket.created event', () =>
      eventsFor(ticketId).length ? eventsFor(ticketId) : undefined,
    );
    expect(event!.envelope).toMatchObject({ type: 'helpdesk.ticket.created', version: 1 });
    expect(event!.envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event!.msgId).toBe(event!.envelope.id);
    expect(new Date(event!.envelope.occurredAt).toString()).not.toBe('Invalid Date');
    expect(event!.envelope.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('records one trace across the gateway, the ticket gRPC handler, the publish and the consumers', async () => {
    const [event] = eventsFor(ticketId);
    const traceId = event!.envelope.traceparent!.split('-')[1]!;
    // SpanKind: 2 = SERVER, 3 = CLIENT, 4 = PRODUCER.
    const inTrace = () => platform.collector.spans().filter((s) => s.traceId === traceId);
    await waitFor(
      'spans of the create trace',
      () => {
        const spans = inTrace();
        const gatewayServer = spans.some((s) => s.service === 'gateway' && s.kind === 2);
        const ticketHandler = spans.some(
          (s) => s.service === 'ticket' && s.kind === 2 && /CreateTicket/.test(s.name),
        );
        const publish = spans.some(
          (s) => s.kind === 4 && /^publish .*helpdesk\.ticket\.created$/.test(s.name),
        );
        return gatewayServer && ticketHandler && publish;
      },
      20_000,
    );
    // The consumers of the event (sla, timekeeping, notification, and the ticket service again for sla.updated)
    // continue the trace on their own time, and a child span may be exported before its parent: the trace is
    // judged once no span has arrived for longer than the exporters' 500 ms batch delay.
    let seen = -1;
    const spans = await waitFor(
      'the create trace to settle',
      async () => {
        const now = inTrace();
        if (now.length === seen) return now;
        seen = now.length;
        await delay(1_500);
        return undefined;
      },
      30_000,
    );
    // One tree: every span of every service but the gateway's entry span has its parent inside the same trace.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'gateway', kind: 2 });
  });

  it("answers 404 for another tenant's ticket", async () => {
    const res = await api('GET', `/api/v1/tickets/${ticketId}`, { token: tokenB });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    const list = await api('GET', '/api/v1/tickets', { token: tokenB });
    expect(list.body.items).toEqual([]);
  });

  it('answers 400 with a reason for a bad body', async () => {
    const missing = await api('POST', '/api/v1/tickets', { token: tokenA, body: { priority: 'high' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(typeof missing.body.error.message).toBe('string');
    const unknownField = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body: { title: 'x', tenantId: 'other' },
    });
    expect(unknownField.status).toBe(400);
    const badJson = await api('POST', '/api/v1/tickets', { token: tokenA, raw: '{"title": ' });
    expect(badJson.status).toBe(400);
  });

  it('creates one ticket for one Idempotency-Key', async () => {
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const body = { title: 'VPN drops every hour', requester: { email: 'bob@customer.example', name: 'Bob' } };
    const first = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body,
      headers: { 'idempotency-key': key },
    });
    const second = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const list = await api('GET', '/api/v1/tickets?limit=200', { token: tokenA });
    expect(list.body.items.filter((t: { title: string }) => t.title === body.title)).toHaveLength(1);
  });

  it('rejects what the OWASP API Top 10 warns of', async () => {
    const big = await api('POST', '/api/v1/tickets', {
      token: tokenA,
      body: { title: 'big', description: 'x'.repeat(3 * 1024 * 1024) },
    });
    expect(big.status).toBe(413);
    const tooMany = await api('GET', '/api/v1/tickets?limit=201', { token: tokenA });
    expect(tooMany.status).toBe(400);
    const noToken = await api('GET', '/api/v1/tickets');
    expect(noToken.status).toBe(401);

    const victim = `victim-${randomBytes(4).toString('hex')}@acme.example`;
    let last = await api('POST', '/api/v1/auth/login', {
      body: { email: victim, password: 'wrong password 1' },
    });
    for (let i = 0; i < 10 && last.status !== 429; i++) {
      expect(last.status).toBe(401);
      last = await api('POST', '/api/v1/auth/login', {
        body: { email: victim, password: `wrong password ${i}` },
      });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('outbox: the event survives a crash between commit and publish', () => {
  it('publishes a committed event exactly once after kill -9 and restart', async () => {
    const token = tokenA;
    // The relay is off, so the ticket and its outbox row commit but nothing is published.
    await platform.procs.ticket!.stop();
    await platform.startService('ticket', { OUTBOX_RELAY_ENABLED: 'false' });
    const created = await api('POST', '/api/v1/tickets', {
      token,
      body: { title: 'Committed, not yet published', requester: { email: 'c@crash.example' } },
    });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsFor(created.body.id)).toHaveLength(0);

    await platform.procs.ticket!.kill9();
    await platform.startService('ticket');
    await waitFor('event after restart', () => (eventsFor(created.body.id).length ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000));
    expect(eventsFor(created.body.id)).toHaveLength(1);
  });

  it('re-drives every event into JetStream after the stream is lost', async () => {
    const jsm = await nc.jetstreamManager();
    const stream = `${platform.prefix}_HELPDESK_TICKET`;
    const before = await jsm.streams.info(stream);
    const count = before.state.messages;
    expect(count).toBeGreaterThanOrEqual(3);
    await jsm.streams.delete(stream);

    const replay = (): Promise<number | null> => {
      const p = startProcess(
        'replay',
        'libs/bus/src/cli.ts',
        { ...platform.commonEnv(), DATABASE_URL: platform.db('ticket').url },
        ['replay'],
      );
      return new Promise((resolve) => p.child.once('exit', resolve));
    };
    expect(await replay()).toBe(0);
    const after = await jsm.streams.info(stream);
    expect(after.state.messages).toBe(count);
    // A second replay inside the duplicate window adds nothing: Nats-Msg-Id is the event id.
    expect(await replay()).toBe(0);
    expect((await jsm.streams.info(stream)).state.messages).toBe(count);
  });
});
