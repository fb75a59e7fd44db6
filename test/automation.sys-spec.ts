// Automation (docs/product/automation.md) through the whole platform: rules over REST behind the gateway, served by
// the automation service; a ticket created through the API fires a rule, whose changes the ticket service makes as
// the automation actor; the run log and dry runs; webhook actions of event and time rules; and, last because it kills
// and restarts the service, time rules' timers that come due while the automation process is down.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { delay, startSmtpSink, type CaughtMail } from '@helpdesk/testing';
import { createMailbox } from './support/mail';
import {
  printOutputsOnFailure,
  startTestPlatform,
  type TenantSession,
  type TestPlatform,
} from './support/platform';
import { startWebhookReceiver } from './support/webhook-receiver';

let platform: TestPlatform;
let a: TenantSession;
let b: TenantSession;
let agentKey = '';

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The one run of a rule's query (`ruleId=…`, `ticketId=…`) once every action of it is applied. */
function theRunApplied(query: string, token: string): Promise<Array<Record<string, unknown>>> {
  return until('the run applied', async () => {
    const res = await platform.api('GET', `/api/v1/automation-runs?${query}`, { token });
    const items = res.body.items as Array<{ actions: Array<{ result: string }> }>;
    return items.length === 1 && items[0]!.actions.every((x) => x.result !== 'pending') && items;
  });
}

beforeAll(async () => {
  platform = await startTestPlatform({
    label: 'autosys',
    // the webhook receiver of the webhook action's test is on loopback
    env: { notification: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200' } },
  });
  [a, b] = await Promise.all([
    platform.createTenantAndLogin('Automation MSP'),
    platform.createTenantAndLogin('Other Automation MSP'),
  ]);
  const key = await platform.api('POST', '/api/v1/api-keys', {
    token: a.token,
    body: { name: 'integration' },
  });
  expect(key.status).toBe(201);
  agentKey = key.body.secret;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

printOutputsOnFailure(() => platform);

const printerRule = {
  name: 'Printers to hardware',
  trigger: { type: 'event', events: ['ticket.created'] },
  conditions: {
    all: [{ field: 'title', op: 'contains', value: 'printer' }],
    any: [],
  },
  actions: [
    { type: 'set', field: 'priority', value: 'high' },
    { type: 'add_tags', tags: ['hardware'] },
    { type: 'add_note', bodyText: 'Rule: #{{ticket.number}} is a printer problem' },
  ],
};

describe('automation through the gateway', () => {
  let ruleId = '';

  it('lets admins write rules and agents read them; another tenant finds none', async () => {
    const created = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: printerRule,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Printers to hardware',
      version: 1,
      active: true,
      stopProcessing: false,
      trigger: printerRule.trigger,
      stats: { fired: 0, skipped: 0, lastFiredAt: null },
    });
    ruleId = created.body.id;

    const asAgent = await platform.api('GET', '/api/v1/automation-rules', { token: agentKey });
    expect(asAgent.status).toBe(200);
    expect(asAgent.body.items.map((r: { id: string }) => r.id)).toContain(ruleId);
    const agentWrite = await platform.api('POST', '/api/v1/automation-rules', {
      token: agentKey,
      body: printerRule,
    });
    expect(agentWrite.status).toBe(403);

    for (const [method, path] of [
      ['GET', `/api/v1/automation-rules/${ruleId}`],
      ['PATCH', `/api/v1/automation-rules/${ruleId}`],
      ['DELETE', `/api/v1/automation-rules/${ruleId}`],
      ['POST', `/api/v1/automation-rules/${ruleId}/dry-run`],
    ] as const) {
      const res = await platform.api(method, path, {
        token: b.token,
        body:
          method === 'PATCH' ? { name: 'mine' } : method === 'POST' ? { ticketId: randomUUID() } : undefined,
      });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const other = await platform.api('GET', '/api/v1/automation-rules', { token: b.token });
    expect(other.body.items.map((r: { id: string }) => r.id)).not.toContain(ruleId);
  });

  it('makes every change a new version and answers 409 to a stale If-Match', async () => {
    const patched = await platform.api('PATCH', `/api/v1/automation-rules/${ruleId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { name: 'Printers to hardware (v2)' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, name: 'Printers to hardware (v2)' });
    const stale = await platform.api('PATCH', `/api/v1/automation-rules/${ruleId}`, {
      token: a.token,
      headers: { 'if-match': '1' },
      body: { active: false },
    });
    expect(stale.status).toBe(409);
  });

  it('answers 400 with the path of an unknown operator or a duration under a second', async () => {
    const badOp = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: { ...printerRule, conditions: { all: [{ field: 'title', op: 'resembles', value: 'x' }] } },
    });
    expect(badOp.status).toBe(400);
    expect(badOp.body.error.details.fields).toEqual([
      expect.objectContaining({ path: ['conditions', 'all', '0', 'op'] }),
    ]);
    const short = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: { ...printerRule, trigger: { type: 'time', after: 'PT0S', since: 'created' } },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details.fields).toEqual([
      expect.objectContaining({ path: ['trigger', 'after'] }),
    ]);
  });

  it('fires on a ticket created through the API, as the automation actor, and logs the run', async () => {
    const created = await platform.api('POST', '/api/v1/tickets', {
      token: a.token,
      body: {
        title: 'Printer offline on floor 2',
        requester: { email: 'jane@customer.example', name: 'Jane' },
      },
    });
    expect(created.status).toBe(201);
    const ticketId: string = created.body.id;
    const ticket = await until('the rule applied', async () => {
      const res = await platform.api('GET', `/api/v1/tickets/${ticketId}`, { token: a.token });
      return res.body.priority === 'high' && res.body.tags?.includes('hardware') && res.body;
    });
    expect(ticket).toMatchObject({ priority: 'high', tags: ['hardware'] });

    const history = await platform.api('GET', `/api/v1/tickets/${ticketId}/history`, { token: a.token });
    const byRule = history.body.items.filter(
      (e: { actor: { type: string } }) => e.actor.type === 'automation',
    );
    expect(byRule.length).toBeGreaterThanOrEqual(2);
    for (const entry of byRule) expect(entry.actor).toEqual({ type: 'automation', id: ruleId });

    const thread = await until('the note', async () => {
      const res = await platform.api('GET', `/api/v1/tickets/${ticketId}/messages`, { token: a.token });
      const items = res.body.items as Array<{ kind: string; bodyText: string }>;
      return items.some((m) => m.kind === 'internal_note') && items;
    });
    expect(thread).toContainEqual(
      expect.objectContaining({
        kind: 'internal_note',
        bodyText: `Rule: #${ticket.number} is a printer problem`,
      }),
    );

    const runs = await theRunApplied(`ruleId=${ruleId}&ticketId=${ticketId}`, agentKey);
    expect(runs).toEqual([
      {
        id: expect.any(String),
        ruleId,
        ruleVersion: 2,
        ticketId,
        trigger: { type: 'event', eventId: expect.any(String) },
        outcome: 'fired',
        reason: null,
        actions: [
          { type: 'set', result: 'ok', error: null },
          { type: 'add_tags', result: 'ok', error: null },
          { type: 'add_note', result: 'ok', error: null },
        ],
        at: expect.any(String),
      },
    ]);
    const rule = await platform.api('GET', `/api/v1/automation-rules/${ruleId}`, { token: a.token });
    expect(rule.body.stats).toMatchObject({ fired: 1, skipped: 0, lastFiredAt: expect.any(String) });

    // a ticket the rule's conditions do not match is logged as skipped, with the reason
    const other = await platform.api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'VPN down', requester: { email: 'jane@customer.example', name: 'Jane' } },
    });
    const skipped = await until('the skipped run', async () => {
      const res = await platform.api('GET', `/api/v1/automation-runs?ticketId=${other.body.id}`, {
        token: a.token,
      });
      return res.body.items.length > 0 && res.body.items;
    });
    expect(skipped[0]).toMatchObject({
      ruleId,
      outcome: 'skipped',
      reason: 'conditions_not_met',
      actions: [],
    });
    const elsewhere = await platform.api('GET', `/api/v1/automation-runs?ticketId=${other.body.id}`, {
      token: b.token,
    });
    expect(elsewhere.body.items).toEqual([]);
  });

  it('seeds the default rules for every tenant', async () => {
    const rules = await until('the defaults', async () => {
      const res = await platform.api('GET', '/api/v1/automation-rules', { token: b.token });
      return res.body.items.length >= 4 && res.body.items;
    });
    expect(
      rules.map((r: { name: string; trigger: { type: string; after: string } }) => [r.name, r.trigger.after]),
    ).toEqual([
      ['Close tickets waiting on the customer for 7 days', 'P7D'],
      ['Close resolved tickets after 3 days without activity', 'P3D'],
      ['Remind the customer after 3 days waiting on them', 'P3D'],
      ['Tell the admins about high and critical tickets unassigned for 30 minutes', 'PT30M'],
    ]);
  });

  it('fires a time rule a few seconds after a ticket entered its status', async () => {
    const rule = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: {
        name: 'Stale work',
        trigger: { type: 'time', after: 'PT3S', since: 'status_entered' },
        conditions: { all: [{ field: 'status', op: 'equals', value: 'in_progress' }] },
        actions: [
          { type: 'add_tags', tags: ['stale'] },
          { type: 'add_note', bodyText: 'No progress on #{{ticket.number}} for 3 seconds' },
        ],
      },
    });
    expect(rule.status).toBe(201);
    const created = await platform.api('POST', '/api/v1/tickets', {
      token: a.token,
      body: { title: 'Mailbox full', requester: { email: 'jane@customer.example', name: 'Jane' } },
    });
    const ticketId: string = created.body.id;
    const started = await platform.api('PATCH', `/api/v1/tickets/${ticketId}`, {
      token: a.token,
      headers: { 'if-match': String(created.body.version) },
      body: { status: 'in_progress' },
    });
    expect(started.status).toBe(200);
    const enteredAt = Date.parse(started.body.updatedAt);
    const ticket = await until('the time rule fired', async () => {
      const res = await platform.api('GET', `/api/v1/tickets/${ticketId}`, { token: a.token });
      return res.body.tags?.includes('stale') && res.body;
    });
    expect(ticket.status).toBe('in_progress');
    const runs = await platform.api('GET', `/api/v1/automation-runs?ruleId=${rule.body.id}`, {
      token: a.token,
    });
    expect(runs.body.items).toEqual([
      expect.objectContaining({
        ticketId,
        outcome: 'fired',
        trigger: expect.objectContaining({ type: 'time' }),
      }),
    ]);
    const firedAt = Date.parse(runs.body.items[0].at);
    expect(firedAt - enteredAt).toBeGreaterThanOrEqual(3_000);
    const history = await platform.api('GET', `/api/v1/tickets/${ticketId}/history`, { token: a.token });
    expect(history.body.items).toContainEqual(
      expect.objectContaining({ actor: { type: 'automation', id: rule.body.id } }),
    );
  });

  it('dry-runs a saved and an unsaved rule with the actual values, changing nothing', async () => {
    const created = await platform.api('POST', '/api/v1/tickets', {
      token: a.token,
      body: {
        title: 'Keyboard broken',
        priority: 'low',
        requester: { email: 'jo@customer.example', name: 'Jo' },
      },
    });
    const ticketId: string = created.body.id;
    const saved = await platform.api('POST', `/api/v1/automation-rules/${ruleId}/dry-run`, {
      token: a.token,
      body: { ticketId },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      matched: false,
      conditions: [
        { field: 'title', op: 'contains', value: 'printer', actual: 'Keyboard broken', result: false },
      ],
      actions: [
        { type: 'set', field: 'priority', value: 'high' },
        { type: 'add_tags', tags: ['hardware'] },
        { type: 'add_note', bodyText: `Rule: #${created.body.number} is a printer problem` },
      ],
    });
    const unsaved = await platform.api('POST', '/api/v1/automation-rules/dry-run', {
      token: a.token,
      body: {
        ticketId,
        rule: {
          trigger: { type: 'event', events: ['ticket.updated'] },
          conditions: { all: [{ field: 'priority', op: 'in', value: ['low', 'medium'] }] },
          actions: [{ type: 'set', field: 'status', value: 'in_progress' }],
        },
      },
    });
    expect(unsaved.status).toBe(200);
    expect(unsaved.body.matched).toBe(true);
    expect(unsaved.body.conditions[0]).toMatchObject({ actual: 'low', result: true });
    const after = await platform.api('GET', `/api/v1/tickets/${ticketId}`, { token: a.token });
    expect(after.body).toMatchObject({ status: 'open', priority: 'low', version: created.body.version });
  });
});

describe('schedule rules', () => {
  it('checks a schedule rule when saved and dry-runs its next occurrences without a ticket', async () => {
    const client = await platform.api('POST', '/api/v1/clients', {
      token: a.token,
      body: { name: 'Acme GmbH' },
    });
    expect(client.status).toBe(201);
    const schedule = (rrule: string, action: Record<string, unknown>) => ({
      name: 'Monthly maintenance',
      trigger: { type: 'schedule', rrule, timezone: 'Europe/Berlin' },
      actions: [{ type: 'create_ticket', title: 'Monthly maintenance', ...action }],
    });
    const badHour = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: schedule('FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=25', { clientId: client.body.id }),
    });
    expect(badHour.status).toBe(400);
    expect(badHour.body.error.details.fields).toEqual([
      expect.objectContaining({ path: ['trigger', 'rrule'] }),
    ]);
    const noClient = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: schedule('FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9', {}),
    });
    expect(noClient.status).toBe(400);
    expect(noClient.body.error.details.fields).toEqual([
      expect.objectContaining({ path: ['actions', '0', 'clientId'] }),
    ]);

    const saved = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: schedule('FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9', { clientId: client.body.id }),
    });
    expect(saved.status).toBe(201);
    const dry = await platform.api('POST', `/api/v1/automation-rules/${saved.body.id}/dry-run`, {
      token: a.token,
      body: {},
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ matched: true, conditions: [], actions: saved.body.actions });
    const occurrences = dry.body.occurrences as string[];
    expect(occurrences).toHaveLength(10);
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (const at of occurrences) expect(berlin.format(new Date(at))).toBe('01, 09:00');
    expect(Date.parse(occurrences[0]!)).toBeGreaterThan(Date.now());
    expect([...occurrences].sort()).toEqual(occurrences);
    const other = await platform.api('POST', `/api/v1/automation-rules/${saved.body.id}/dry-run`, {
      token: b.token,
      body: {},
    });
    expect(other.status).toBe(404);
    await platform.api('DELETE', `/api/v1/automation-rules/${saved.body.id}`, {
      token: a.token,
      headers: { 'if-match': '1' },
    });
  });
});

describe('webhook actions', () => {
  it("sends the triggering event to the tenant's webhook, signed; another tenant's webhook is refused", async () => {
    const receiver = await startWebhookReceiver('/rule');
    const { received, url } = receiver;
    try {
      // subscribed to something else: the rule's delivery does not depend on the endpoint's events
      const hook = await platform.api('POST', '/api/v1/webhooks', {
        token: a.token,
        body: { url, events: ['sla.breached'] },
      });
      expect(hook.status).toBe(201);
      const foreign = await platform.api('POST', '/api/v1/webhooks', {
        token: b.token,
        body: { url, events: ['*'] },
      });
      expect(foreign.status).toBe(201);
      const rule = (webhookId: string) => ({
        name: 'Tell the CRM',
        trigger: { type: 'event', events: ['ticket.created'] },
        conditions: { all: [{ field: 'title', op: 'contains', value: 'crm sync' }] },
        actions: [{ type: 'webhook', webhookId }],
      });
      const refused = await platform.api('POST', '/api/v1/automation-rules', {
        token: a.token,
        body: rule(foreign.body.id),
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.fields).toEqual([
        expect.objectContaining({ path: ['actions', '0', 'webhookId'] }),
      ]);
      const saved = await platform.api('POST', '/api/v1/automation-rules', {
        token: a.token,
        body: rule(hook.body.id),
      });
      expect(saved.status).toBe(201);

      const ticket = await platform.api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'CRM sync broken', requester: { email: 'jane@customer.example', name: 'Jane' } },
      });
      expect(ticket.status).toBe(201);
      await until('the delivery', async () => received.length >= 1);
      const [delivery] = received;
      const event = new Webhook(hook.body.secret).verify(delivery!.body, delivery!.headers) as {
        id: string;
        type: string;
        tenantId: string;
        data: { ticket: { id: string } };
      };
      expect(event).toMatchObject({
        type: 'helpdesk.ticket.created',
        tenantId: a.tenantId,
        data: { ticket: { id: ticket.body.id } },
      });
      expect(delivery!.headers['webhook-id']).toBe(event.id);

      const runs = await theRunApplied(`ruleId=${saved.body.id}`, a.token);
      expect(runs[0]).toMatchObject({
        ticketId: ticket.body.id,
        trigger: { type: 'event', eventId: event.id },
        actions: [{ type: 'webhook', result: 'ok', error: null }],
      });
      const log = await platform.api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, {
        token: a.token,
      });
      expect(log.body.items).toEqual([
        expect.objectContaining({ eventId: event.id, eventType: 'ticket.created', status: 'delivered' }),
      ]);
      await delay(1_000);
      expect(received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("sends a time rule's rule_fired to the tenant's webhook once, signed, with the ticket, and logs the delivery", async () => {
    const receiver = await startWebhookReceiver('/aged');
    try {
      // subscribed to something else: what arrives is the rule's delivery alone
      const hook = await platform.api('POST', '/api/v1/webhooks', {
        token: a.token,
        body: { url: receiver.url, events: ['sla.breached'] },
      });
      expect(hook.status).toBe(201);
      const rule = await platform.api('POST', '/api/v1/automation-rules', {
        token: a.token,
        body: {
          name: 'Tell the CRM about stuck exports',
          trigger: { type: 'time', after: 'PT3S', since: 'created' },
          conditions: { all: [{ field: 'title', op: 'contains', value: 'crm export' }] },
          actions: [{ type: 'webhook', webhookId: hook.body.id }],
        },
      });
      expect(rule.status).toBe(201);
      const ticket = await platform.api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title: 'CRM export stuck', requester: { email: 'jane@customer.example', name: 'Jane' } },
      });
      expect(ticket.status).toBe(201);

      await until('the delivery', async () => receiver.received.length >= 1);
      const [delivery] = receiver.received;
      const event = new Webhook(hook.body.secret).verify(delivery!.body, delivery!.headers) as {
        id: string;
        data: { trigger: { eventId: string } };
      };
      expect(event).toEqual({
        id: expect.any(String),
        type: 'helpdesk.automation.rule_fired',
        version: 1,
        tenantId: a.tenantId,
        occurredAt: expect.any(String),
        data: expect.objectContaining({
          runId: expect.any(String),
          ruleId: rule.body.id,
          ruleName: 'Tell the CRM about stuck exports',
          ruleVersion: 1,
          trigger: {
            type: 'time',
            eventId: expect.stringMatching(`^timer:${rule.body.id}:${ticket.body.id}:`),
          },
          ticketId: ticket.body.id,
          ticketNumber: ticket.body.number,
        }),
      });
      expect(delivery!.headers['webhook-id']).toBe(event.id);
      expect(delivery!.headers['content-type']).toMatch(/^application\/json/);

      const runs = await theRunApplied(`ruleId=${rule.body.id}`, a.token);
      expect(runs[0]).toMatchObject({
        ticketId: ticket.body.id,
        outcome: 'fired',
        trigger: { type: 'time', eventId: event.data.trigger.eventId },
        actions: [{ type: 'webhook', result: 'ok', error: null }],
      });
      const log = await until('the delivery logged as delivered', async () => {
        const res = await platform.api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, {
          token: a.token,
        });
        return res.body.items?.[0]?.status === 'delivered' && res.body.items;
      });
      expect(log).toEqual([
        expect.objectContaining({
          eventId: event.id,
          eventType: 'automation.rule_fired',
          status: 'delivered',
          attempts: [expect.objectContaining({ statusCode: 204, error: null })],
        }),
      ]);
      await delay(1_000);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});

describe('send_email', () => {
  it('mails the requester once when the rule fires, through the default mailbox, placeholders filled', async () => {
    const smtp = await startSmtpSink();
    try {
      const mailbox = await createMailbox(platform, a.token, { smtp, address: 'support@automation.test' });
      const rule = await platform.api('POST', '/api/v1/automation-rules', {
        token: a.token,
        body: {
          name: 'Remind quickly',
          trigger: { type: 'time', after: 'PT3S', since: 'status_entered' },
          conditions: { all: [{ field: 'status', op: 'equals', value: 'waiting_on_customer' }] },
          actions: [
            {
              type: 'send_email',
              to: 'requester',
              subject: 'Waiting for you: [#{{ticket.number}}] {{ticket.title}}',
              bodyText: 'Hello {{requester.name}}, ticket #{{ticket.number}} waits for your answer.',
            },
          ],
        },
      });
      expect(rule.status).toBe(201);
      const created = await platform.api('POST', '/api/v1/tickets', {
        token: a.token,
        body: {
          title: 'Laptop slow',
          requester: { email: 'rita@customer.example', name: 'Rita' },
          cc: ['boss@customer.example'],
        },
      });
      expect(created.status).toBe(201);
      const waiting = await platform.api('PATCH', `/api/v1/tickets/${created.body.id}`, {
        token: a.token,
        headers: { 'if-match': String(created.body.version) },
        body: { status: 'waiting_on_customer' },
      });
      expect(waiting.status).toBe(200);

      const toRita = (m: CaughtMail) => m.envelopeTo.includes('rita@customer.example');
      const [mail] = await smtp.waitFor(toRita, 1, 30_000);
      const number = created.body.number as number;
      expect(mail!.parsed.subject).toBe(`Waiting for you: [#${number}] Laptop slow`);
      expect(mail!.parsed.text?.trim()).toBe(`Hello Rita, ticket #${number} waits for your answer.`);
      expect(mail!.parsed.from?.value[0]?.address).toBe(mailbox.address);
      expect(mail!.envelopeTo).toEqual(['rita@customer.example']);
      expect(mail!.header('auto-submitted')).toBeDefined();

      const runs = await theRunApplied(`ruleId=${rule.body.id}`, a.token);
      expect(runs[0]).toMatchObject({
        ticketId: created.body.id,
        outcome: 'fired',
        actions: [{ type: 'send_email', result: 'ok', error: null }],
      });
      const thread = await platform.api('GET', `/api/v1/tickets/${created.body.id}/messages`, {
        token: a.token,
      });
      expect(thread.body.items).toContainEqual(
        expect.objectContaining({
          kind: 'public_reply',
          bodyText: `Hello Rita, ticket #${number} waits for your answer.`,
        }),
      );
      // one firing, one mail: nothing more comes, to the requester or anyone else
      await delay(3_000);
      expect(smtp.mails.filter(toRita)).toHaveLength(1);
      expect(smtp.mails.filter((m) => m.envelopeTo.includes('boss@customer.example'))).toEqual([]);
    } finally {
      await smtp.stop();
    }
  });
});

describe('time rules across a kill -9 of the automation service', () => {
  const AFTER_MS = 5_000;
  // no periodic re-read of the next due instant within the test: timers fire because the start-up and the NOTIFY of
  // the commit that armed them found them, or not at all
  const QUIET_RESYNC = { AUTOMATION_TIMER_RESYNC_MS: '600000' };
  let db: Client;

  beforeAll(async () => {
    db = new Client({ connectionString: platform.db('automation').url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
  });

  interface Run {
    ticketId: string;
    outcome: string;
    trigger: { type: string; eventId: string };
    actions: Array<{ type: string; result: string; error: string | null }>;
    at: string;
  }

  it('fires each timer that came due while it was down once after the restart, and nothing more after another', async () => {
    const rule = await platform.api('POST', '/api/v1/automation-rules', {
      token: a.token,
      body: {
        name: 'Failed backups age',
        trigger: { type: 'time', after: `PT${AFTER_MS / 1_000}S`, since: 'created' },
        conditions: { all: [{ field: 'title', op: 'contains', value: 'backup failed' }] },
        actions: [
          { type: 'add_tags', tags: ['aged'] },
          { type: 'add_note', bodyText: 'Aged: #{{ticket.number}}' },
        ],
      },
    });
    expect(rule.status).toBe(201);
    const ruleId: string = rule.body.id;
    const timersOf = async () =>
      (
        await db.query<{ ticket_id: string; since_at: Date; due_at: Date | null }>(
          'SELECT ticket_id, since_at, due_at FROM timers WHERE rule_id = $1',
          [ruleId],
        )
      ).rows;
    const runsOf = async (): Promise<Run[]> => {
      const res = await platform.api('GET', `/api/v1/automation-runs?ruleId=${ruleId}`, { token: a.token });
      expect(res.status).toBe(200);
      return res.body.items;
    };
    const applied = (runs: Run[]) => runs.every((r) => r.actions.every((x) => x.result !== 'pending'));
    const open = async (title: string): Promise<{ id: string; number: number }> => {
      const res = await platform.api('POST', '/api/v1/tickets', {
        token: a.token,
        body: { title, requester: { email: 'ops@customer.example', name: 'Ops' } },
      });
      expect(res.status).toBe(201);
      return res.body;
    };
    const notesOf = async (ticketId: string) => {
      const res = await platform.api('GET', `/api/v1/tickets/${ticketId}/messages`, { token: a.token });
      return (res.body.items as Array<{ kind: string; bodyText: string }>).filter(
        (m) => m.kind === 'internal_note' && m.bodyText.startsWith('Aged: #'),
      );
    };
    const expectFiredOnce = async (ticket: { id: string; number: number }) => {
      expect(await notesOf(ticket.id)).toEqual([
        expect.objectContaining({ bodyText: `Aged: #${ticket.number}` }),
      ]);
      const now = await platform.api('GET', `/api/v1/tickets/${ticket.id}`, { token: a.token });
      expect(now.body.tags).toEqual(['aged']);
    };

    const tickets = await Promise.all(
      Array.from({ length: 5 }, (_, i) => open(`Backup failed on server ${i + 1}`)),
    );
    await until('five timers armed', async () => {
      const rows = await timersOf();
      return rows.filter((t) => t.due_at !== null).length === 5;
    });
    await platform.procs.automation!.kill9();
    // every one still pending when it died
    const atKill = await timersOf();
    expect(atKill.map((t) => t.ticket_id).sort()).toEqual(tickets.map((t) => t.id).sort());
    expect(atKill.every((t) => t.due_at !== null)).toBe(true);
    expect(await db.query('SELECT 1 FROM runs WHERE rule_id = $1', [ruleId])).toMatchObject({ rowCount: 0 });
    // down until every timer is due
    const lastDue = Math.max(...atKill.map((t) => t.due_at!.getTime()));
    await delay(Math.max(0, lastDue - Date.now()) + 500);

    await platform.startService('automation', QUIET_RESYNC);
    const runs = await until(
      'the five runs applied',
      async () => {
        const items = await runsOf();
        return items.length >= 5 && applied(items) && items;
      },
      60_000,
    );
    expect(runs.map((r) => r.ticketId).sort()).toEqual(tickets.map((t) => t.id).sort());
    for (const run of runs) {
      const timer = atKill.find((t) => t.ticket_id === run.ticketId)!;
      expect(run).toEqual(
        expect.objectContaining({
          outcome: 'fired',
          trigger: { type: 'time', eventId: `timer:${ruleId}:${run.ticketId}:${timer.since_at.getTime()}` },
          actions: [
            { type: 'add_tags', result: 'ok', error: null },
            { type: 'add_note', result: 'ok', error: null },
          ],
        }),
      );
      expect(Date.parse(run.at)).toBeGreaterThanOrEqual(timer.due_at!.getTime());
    }
    for (const ticket of tickets) await expectFiredOnce(ticket);
    // each fired for its instant: none armed any more
    expect((await timersOf()).filter((t) => t.due_at !== null)).toEqual([]);

    // a second crash and restart, then a timer armed by the restarted service: it fires once, not before it is due
    await platform.procs.automation!.kill9();
    await platform.startService('automation', QUIET_RESYNC);
    const late = await open('Backup failed on server 6');
    const [lateRun] = await until('the late timer fired', async () => {
      const items = (await runsOf()).filter((r) => r.ticketId === late.id);
      return items.length === 1 && applied(items) && items;
    });
    const since = Number(lateRun!.trigger.eventId.split(':').at(-1));
    expect(Date.parse(lateRun!.at) - since).toBeGreaterThanOrEqual(AFTER_MS);
    await expectFiredOnce(late);
    // it came due after all the others: had the restart fired any of them again, that run would be here too
    const all = await runsOf();
    expect(all).toHaveLength(6);
    expect(new Set(all.map((r) => r.ticketId)).size).toBe(6);
    for (const ticket of tickets) await expectFiredOnce(ticket);
    const stats = await platform.api('GET', `/api/v1/automation-rules/${ruleId}`, { token: a.token });
    expect(stats.body.stats).toMatchObject({ fired: 6, skipped: 0 });
  }, 240_000);
});
