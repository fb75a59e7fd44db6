// Issue 18: every service as 3 processes (as `HELPDESK_REPLICAS=3 npm start` runs them), and still one effect per
// cause: one ticket and one automatic reply per mail, one webhook delivery per event and endpoint, one rule firing
// per chain, one notification per recipient, one breach per SLA target. The replicas share their databases; the
// gateways share one port behind the launcher's balancer, and every gRPC client balances over its peer's replicas.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  startDovecot,
  startSmtpSink,
  waitFor,
  type CaughtMail,
  type SmtpSink,
  type TestImapServer,
} from '@helpdesk/testing';
import { allTickets, createMailbox, imapAccount, messagesOf, pushMail, rawMail } from './support/mail';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';
import { SERVICE_MANIFESTS } from '../services/manifests';

const REPLICAS = 3;

interface Delivery {
  type: string;
  eventId: string;
  ticketId: string;
}

let platform: TestPlatform;
let imap: TestImapServer;
let smtp: SmtpSink;
let receiver: http.Server;
const deliveries: Delivery[] = [];
let admin: TenantSession;
let agent: { id: string; token: string };

const api: TestPlatform['api'] = (...args) => platform.api(...args);
const NOTE = 'Rule: printer ticket';

/** Holds `check` true for `ms` (polling), for "and no second one comes". */
async function stays(what: string, check: () => boolean | Promise<boolean>, ms = 6_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!(await check())) throw new Error(`no longer true: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      deliveries.push({ type: body.type, eventId: body.id, ticketId: body.data?.ticket?.id ?? '' });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  [imap, smtp] = await Promise.all([startDovecot(), startSmtpSink()]);
  platform = await startTestPlatform({
    label: 'replicas',
    replicas: Object.fromEntries(SERVICE_MANIFESTS.map((m) => [m.name, REPLICAS])),
    env: {
      notification: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200' },
      'mail-ingest': { IMAP_RESYNC_SECONDS: '2' },
    },
  });
  admin = await platform.createTenantAndLogin('Replica MSP');
  const email = `agent-${randomBytes(4).toString('hex')}@replicamsp.example`;
  const created = await api('POST', '/api/v1/users', {
    token: admin.token,
    body: { email, name: 'Agent', role: 'agent', password: 'agent password 1' },
  });
  if (created.status !== 201)
    throw new Error(`creating an agent answered ${created.status}: ${created.text}`);
  agent = { id: created.body.id, token: await platform.login(email, 'agent password 1') };
}, 600_000);

afterAll(async () => {
  await platform?.stop();
  await Promise.all([imap?.stop(), smtp?.stop()]);
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
}, 120_000);

printOutputsOnFailure(() => platform);

describe(`the platform with ${REPLICAS} processes of every service`, () => {
  const slaTickets: string[] = [];
  const apiTickets: string[] = [];

  it('runs every process, each ready, behind one gateway port', async () => {
    for (const m of SERVICE_MANIFESTS) expect(platform.processNames[m.name]).toHaveLength(REPLICAS);
    for (const name of Object.values(platform.processNames).flat())
      expect(platform.procs[name]!.child.exitCode).toBeNull();
    // a new connection per request: the balancer hands them round, and every gateway answers the same
    const answers = await Promise.all(
      Array.from({ length: 2 * REPLICAS }, () =>
        fetch(`${platform.base}/readyz`, { headers: { connection: 'close' } }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(2 * REPLICAS).fill(200));
  });

  it('sets up the rules, the webhook and the SLA policy once', async () => {
    const hook = await api('POST', '/api/v1/webhooks', {
      token: admin.token,
      body: {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
        events: ['ticket.created'],
      },
    });
    expect(hook.status).toBe(201);
    const rule = await api('POST', '/api/v1/automation-rules', {
      token: admin.token,
      body: {
        name: 'Printers get a note',
        trigger: { type: 'event', events: ['ticket.created'] },
        conditions: { all: [{ field: 'title', op: 'contains', value: 'printer' }], any: [] },
        actions: [{ type: 'add_note', bodyText: NOTE }],
      },
    });
    expect(rule.status).toBe(201);
    const policy = await api('POST', '/api/v1/sla-policies', {
      token: admin.token,
      body: {
        name: 'Critical in a minute',
        calendarId: null,
        targets: {
          critical: { firstResponseMinutes: 1, resolutionMinutes: 600 },
          high: { firstResponseMinutes: 600, resolutionMinutes: 6000 },
          medium: { firstResponseMinutes: 600, resolutionMinutes: 6000 },
          low: { firstResponseMinutes: 600, resolutionMinutes: 6000 },
        },
        warnAtPercent: 100,
        match: { priorities: ['critical'] },
      },
    });
    expect(policy.status).toBe(201);
    // the first-response clock of these runs out in a minute: checked at the end
    for (let i = 0; i < 2; i++) {
      const res = await api('POST', '/api/v1/tickets', {
        token: admin.token,
        body: {
          title: `Server room hot ${i}`,
          priority: 'critical',
          requester: { email: 'ops@customer.example' },
          assigneeId: agent.id,
        },
      });
      expect(res.status).toBe(201);
      slaTickets.push(res.body.id);
    }
  });

  it('creates every API ticket once, retried or not, with one webhook delivery, rule firing and notification each', async () => {
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const create = (key: string, i: number) =>
      api('POST', '/api/v1/tickets', {
        token: admin.token,
        headers: { 'idempotency-key': key },
        body: {
          title: `Printer ${i} jammed`,
          requester: { email: `user${i}@customer.example` },
          assigneeId: agent.id,
        },
      });
    // every request twice at once (a client retrying), through the balancer onto different gateways: the one
    // that finds the other still running answers 409 IDEMPOTENCY_KEY_IN_USE, and its retry the same ticket
    const createdOnce = async (key: string, i: number) => {
      for (let attempt = 0; ; attempt++) {
        const res = await create(key, i);
        if (res.status === 201) return res.body.id as string;
        expect({ status: res.status, code: res.body?.error?.code }).toEqual({
          status: 409,
          code: 'IDEMPOTENCY_KEY_IN_USE',
        });
        if (attempt > 20) throw new Error(`key ${key} still in use`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const answers = await Promise.all(keys.flatMap((key, i) => [createdOnce(key, i), createdOnce(key, i)]));
    keys.forEach((_, i) => expect(answers[2 * i]).toBe(answers[2 * i + 1]));
    const ids = new Set(answers);
    expect(ids.size).toBe(keys.length);
    apiTickets.push(...ids);

    await waitFor(
      'a webhook delivery for every ticket',
      () => apiTickets.every((id) => deliveries.some((d) => d.ticketId === id)),
      90_000,
    );
    await waitFor(
      "the rule's note on every ticket",
      async () => {
        for (const id of apiTickets)
          if (!(await messagesOf(platform, admin.token, id)).some((m) => m.bodyText === NOTE)) return false;
        return true;
      },
      90_000,
    );
    await waitFor(
      'an assignment notification for every ticket',
      async () => {
        const mine = await api('GET', '/api/v1/me/notifications?limit=100', { token: agent.token });
        const assigned = mine.body.items.filter((n: { type: string }) => n.type === 'assigned');
        return apiTickets.every((id) => assigned.some((n: { ticketId: string }) => n.ticketId === id));
      },
      90_000,
    );
    // and none of them comes twice
    await stays('one of each per ticket', async () => {
      const created = countBy(
        deliveries.filter((d) => d.type === 'helpdesk.ticket.created'),
        (d) => d.ticketId,
      );
      if (apiTickets.some((id) => created.get(id) !== 1)) return false;
      const mine = await api('GET', '/api/v1/me/notifications?limit=100', { token: agent.token });
      const assigned = countBy(
        mine.body.items.filter((n: { type: string }) => n.type === 'assigned'),
        (n: { ticketId: string }) => n.ticketId,
      );
      return apiTickets.every((id) => assigned.get(id) === 1);
    });
    for (const id of apiTickets) {
      const notes = (await messagesOf(platform, admin.token, id)).filter((m) => m.bodyText === NOTE);
      expect(notes).toHaveLength(1);
    }
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(deliveries.length);
  });

  it('makes one ticket and one automatic reply of every mail, read by IMAP or pushed', async () => {
    const inbox = await imapAccount(imap, 'support@replica.test', 'imap-secret');
    try {
      const mailbox = await createMailbox(platform, admin.token, {
        imap: { server: imap, user: 'support@replica.test', password: 'imap-secret' },
        smtp,
        address: 'support@replica.test',
      });
      const subjects: string[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const messageId = `imap-${i}-${randomUUID()}@client.example`;
        ids.push(messageId);
        subjects.push(`Mail ${i} printer`);
        await inbox.append(
          rawMail({ to: mailbox.address, from: `m${i}@client.example`, subject: subjects[i], messageId }),
        );
      }
      // two copies of mails already sent (a sender's retry), to the same mailbox
      for (const i of [2, 7])
        await inbox.append(
          rawMail({
            to: mailbox.address,
            from: `m${i}@client.example`,
            subject: subjects[i],
            messageId: ids[i],
          }),
        );
      for (let i = 10; i < 15; i++) {
        subjects.push(`Mail ${i} printer`);
        const res = await pushMail(
          platform,
          mailbox,
          rawMail({ to: mailbox.address, from: `m${i}@client.example`, subject: subjects[i] }),
        );
        expect(res.status).toBe(202);
      }
      const fromMail = () =>
        allTickets(platform, admin.token).then((all) => all.filter((t) => subjects.includes(t.title)));
      await waitFor(
        'a ticket for every mail',
        async () => (await fromMail()).length >= subjects.length,
        120_000,
      );
      const replyTo = (m: CaughtMail) => m.header('auto-submitted') === 'auto-replied';
      await smtp.waitFor(replyTo, subjects.length, 120_000);
      // and no second one comes
      await new Promise((r) => setTimeout(r, 6_000));
      const tickets = await fromMail();
      expect(tickets.map((t) => t.title).sort()).toEqual([...subjects].sort());
      // one automatic reply to each sender
      const repliedTo = countBy(smtp.mails.filter(replyTo), (m) => m.envelopeTo.join(','));
      expect([...repliedTo.values()]).toEqual(Array(subjects.length).fill(1));
      // the rule fired once on each of them too
      const notesOf = async (id: string) =>
        (await messagesOf(platform, admin.token, id)).filter((m) => m.bodyText === NOTE);
      await waitFor(
        "the rule's note on every mail's ticket",
        async () => (await Promise.all(tickets.map((t) => notesOf(t.id)))).every((n) => n.length > 0),
        90_000,
      );
      for (const t of tickets)
        expect(
          (await messagesOf(platform, admin.token, t.id)).filter((m) => m.bodyText === NOTE),
        ).toHaveLength(1);
    } finally {
      await inbox.close();
    }
  });

  it('breaches each SLA target once, with one notification to the assignee', async () => {
    const breached = async () => {
      const mine = await api('GET', '/api/v1/me/notifications?limit=100', { token: agent.token });
      return mine.body.items.filter((n: { type: string }) => n.type === 'sla_breached');
    };
    await waitFor(
      'both first-response breaches',
      async () => {
        const items = await breached();
        return slaTickets.every((id) => items.some((n: { ticketId: string }) => n.ticketId === id));
      },
      150_000,
    );
    await stays('one breach notification per ticket', async () => {
      const counts = countBy(await breached(), (n: { ticketId: string }) => n.ticketId);
      return slaTickets.every((id) => counts.get(id) === 1);
    });
    for (const id of slaTickets) {
      const sla = await api('GET', `/api/v1/tickets/${id}/sla`, { token: admin.token });
      expect(sla.body.firstResponse.state).toBe('breached');
    }
  });
});
