// The automation service in-process against the real PostgreSQL and NATS, in a database and BUS_PREFIX of its own.
// The ticket service is another deployable: here it is a small in-memory one that keeps tickets, applies the
// engine's commands and publishes `helpdesk.ticket.*` events exactly as the real one does (the whole ticket, the
// changes, the acting actor with its causation), so that chains of rules run over the real bus.
import { randomUUID } from 'node:crypto';
import { connectBus, createEnvelope, type Bus } from '@helpdesk/bus';
import {
  automationV1,
  commonV1,
  slaEventsV1,
  ticketEventsV1,
  ticketV1,
  webhookV1,
} from '@helpdesk/contracts';
import {
  createGrpcClient,
  startGrpcServer,
  unary,
  type PromiseClient,
  type RunningGrpcServer,
} from '@helpdesk/grpc';
import { createLogger, failedPrecondition, isDomainError, notFound } from '@helpdesk/platform';
import { startTelemetry, type Telemetry } from '@helpdesk/telemetry';
import {
  NATS_URL,
  createTestDatabase,
  deletePrefixedStreams,
  inProcessServiceEnv,
  promSample,
  scrapeMetrics,
  uniquePrefix,
  type TestDatabase,
} from '@helpdesk/testing';
import { Pool } from 'pg';
import {
  TicketCommandError,
  type AutomationActor,
  type TeamDirectory,
  type TicketCommands,
} from '../src/app/ports';
import { buildAutomationService, type RunningAutomationService } from '../src/automation-service';
import { automationConfigSchema } from '../src/config';
import type { TicketPatch } from '../src/domain/actions';
import { automationActor } from '../src/infra/ticket-commands.grpc';
import { ticketFacts } from '../src/transport/ticket-facts';

type Client = PromiseClient<automationV1.AutomationServiceClient>;

const TENANT = randomUUID();
const OTHER = randomUUID();
const ADMIN = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() };
const TEAM = randomUUID();
// the tenants' webhook endpoints (the notification service's)
const HOOK = randomUUID();
const OFF_HOOK = randomUUID();
const OTHER_HOOK = randomUUID();
const MEMBERS = [randomUUID(), randomUUID()].sort();

let db: TestDatabase;
let prefix: string;
let bus: Bus;
let pool: Pool;
let service: RunningAutomationService;
let client: Client;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function publish(type: string, tenantId: string, data: unknown, id = randomUUID(), msgId = id) {
  const envelope = { ...createEnvelope({ type, tenantId, data }), id };
  await bus.js.publish(bus.subject(type), JSON.stringify(envelope), { msgID: msgId });
  return envelope;
}

/** The in-memory ticket service: commands change a ticket and publish what the real one publishes. */
class TicketPeer implements TicketCommands {
  tickets = new Map<string, ticketV1.Ticket>();
  updates: Array<{ patch: TicketPatch; actor: commonV1.Actor }> = [];
  messages: Array<{ kind: string; bodyText: string; dedupeKey: string; actor: commonV1.Actor }> = [];

  async get(tenantId: string, ticketId: string) {
    const t = this.tickets.get(ticketId);
    return t && t.tenantId === tenantId ? ticketFacts(t) : null;
  }

  async update(
    tenantId: string,
    ticketId: string,
    expectedVersion: number,
    patch: TicketPatch,
    a: AutomationActor,
  ) {
    const before = this.tickets.get(ticketId);
    if (!before || before.tenantId !== tenantId)
      throw new TicketCommandError('ticket not found', 'not_found');
    if (before.version !== expectedVersion) throw new TicketCommandError('stale', 'stale');
    const actor = automationActor(a);
    this.updates.push({ patch, actor });
    const after: ticketV1.Ticket = {
      ...before,
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId ?? '' } : {}),
      ...(patch.teamId !== undefined ? { teamId: patch.teamId ?? '' } : {}),
      ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
      version: before.version + 1,
      updatedAt: new Date(),
    };
    this.tickets.set(ticketId, after);
    const changes = (['status', 'priority', 'assigneeId', 'teamId', 'tags'] as const)
      .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
      .map((f) => ({
        field: f,
        fromJson: JSON.stringify(before[f] || null),
        toJson: JSON.stringify(after[f] || null),
      }));
    await publish(
      'helpdesk.ticket.updated',
      tenantId,
      ticketEventsV1.TicketUpdatedEvent.toJSON({ ticket: after, actor, changes }),
    );
    return ticketFacts(after);
  }

  async addMessage(
    tenantId: string,
    ticketId: string,
    kind: string,
    bodyText: string,
    dedupeKey: string,
    a: AutomationActor,
  ) {
    if (this.messages.some((m) => m.dedupeKey === dedupeKey)) return;
    this.messages.push({ kind, bodyText, dedupeKey, actor: automationActor(a) });
  }

  created: Array<{
    tenantId: string;
    input: Parameters<TicketCommands['create']>[1];
    dedupeKey: string;
    actor: commonV1.Actor;
    id: string;
  }> = [];
  /** Each client's primary contact, as the ticket service's directory answers it. */
  primaryContacts = new Map<string, { tenantId: string; contactId: string }>();

  async create(
    tenantId: string,
    input: Parameters<TicketCommands['create']>[1],
    dedupeKey: string,
    a: AutomationActor,
  ): Promise<{ id: string; number: number }> {
    const earlier = this.created.find((c) => c.dedupeKey === dedupeKey);
    if (!earlier) {
      if (!input.contactId && !input.requester)
        throw new TicketCommandError('requester or contactId is required', 'refused');
      this.created.push({ tenantId, input, dedupeKey, actor: automationActor(a), id: randomUUID() });
    }
    const index = this.created.findIndex((c) => c.dedupeKey === dedupeKey);
    return { id: this.created[index]!.id, number: 5000 + index };
  }

  async primaryContact(tenantId: string, clientId: string): Promise<string | null> {
    const p = this.primaryContacts.get(clientId);
    return p && p.tenantId === tenantId ? p.contactId : null;
  }

  /** A ticket created by an agent: stored and its `created` event published. */
  async open(over: Partial<ticketV1.Ticket> = {}, tenantId = TENANT): Promise<ticketV1.Ticket> {
    const ticket = ticketV1.Ticket.fromPartial({
      id: randomUUID(),
      tenantId,
      number: 1000 + this.tickets.size + 1,
      title: 'Printer offline',
      status: 'open',
      priority: 'medium',
      source: 'agent',
      requester: { email: 'jane@customer.example', name: 'Jane' },
      version: 1,
      openedAt: new Date(),
      updatedAt: new Date(),
      ...over,
    });
    this.tickets.set(ticket.id, ticket);
    await publish(
      'helpdesk.ticket.created',
      tenantId,
      ticketEventsV1.TicketCreatedEvent.toJSON({ ticket, actor: ADMIN }),
    );
    return ticket;
  }
}

/**
 * The notification service's WebhookService as a small gRPC server: the tenants' endpoints and the deliveries
 * queued, one per (endpoint, event), as the real one keeps them.
 */
class WebhookPeer {
  endpoints = new Map<string, { tenantId: string; active: boolean }>();
  deliveries: Array<{
    webhookId: string;
    event: { id: string; type: string; tenantId: string; data: unknown };
  }> = [];
  server?: RunningGrpcServer;

  async start(): Promise<string> {
    const silent = createLogger('webhook-peer', 'silent');
    const find = (tenantId: string, id: string) => {
      const e = this.endpoints.get(id);
      if (!e || e.tenantId !== tenantId) throw notFound('webhook');
      return e;
    };
    this.server = await startGrpcServer({
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      services: [
        {
          definition: webhookV1.WebhookServiceService,
          implementation: {
            getWebhook: unary(async (req: webhookV1.GetWebhookRequest) => {
              const e = find(req.tenantId, req.id);
              return { webhook: webhookV1.Webhook.fromPartial({ id: req.id, active: e.active }) };
            }, silent),
            enqueueWebhookDelivery: unary(async (req: webhookV1.EnqueueWebhookDeliveryRequest) => {
              const e = find(req.tenantId, req.webhookId);
              if (!e.active) throw failedPrecondition('the webhook is disabled (admin)');
              const event = JSON.parse(req.eventJson) as WebhookPeer['deliveries'][number]['event'];
              const duplicate = this.deliveries.some(
                (d) => d.webhookId === req.webhookId && d.event.id === event.id,
              );
              if (!duplicate) this.deliveries.push({ webhookId: req.webhookId, event });
              return { deliveryId: randomUUID(), duplicate };
            }, silent),
          },
        },
      ],
    });
    return `127.0.0.1:${this.server.port}`;
  }
}
const webhooks = new WebhookPeer();
webhooks.endpoints.set(HOOK, { tenantId: TENANT, active: true });
webhooks.endpoints.set(OFF_HOOK, { tenantId: TENANT, active: true });
webhooks.endpoints.set(OTHER_HOOK, { tenantId: OTHER, active: true });

const teams: TeamDirectory = {
  activeMembers: async (tenantId, teamId) => (tenantId === TENANT && teamId === TEAM ? MEMBERS : null),
};
const peer = new TicketPeer();

async function createRule(
  body: Partial<automationV1.CreateRuleRequest> & {
    trigger: unknown;
    actions: unknown;
    conditions?: unknown;
  },
  tenantId = TENANT,
) {
  const { rule } = await client.createRule({
    tenantId,
    actor: ADMIN,
    name: body.name ?? 'a rule',
    position: body.position,
    active: body.active,
    stopProcessing: body.stopProcessing ?? false,
    triggerJson: JSON.stringify(body.trigger),
    conditionsJson: body.conditions === undefined ? '' : JSON.stringify(body.conditions),
    actionsJson: JSON.stringify(body.actions),
  });
  return rule!;
}

async function runsOf(ruleId: string, ticketId?: string) {
  const { items } = await client.listRuns({
    tenantId: TENANT,
    page: { limit: 200, cursor: '' },
    ruleId,
    ticketId: ticketId ?? '',
  });
  return items;
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isDomainError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

async function switchOff(ruleId: string) {
  await client.updateRule({ tenantId: TENANT, actor: ADMIN, id: ruleId, active: false });
}

let telemetry: Telemetry;
beforeAll(async () => {
  // metrics on: the timers are read from /metrics too
  telemetry = startTelemetry({ serviceName: 'automation' });
  prefix = uniquePrefix('auto');
  db = await createTestDatabase('automation');
  const logger = createLogger('automation-test', 'silent');
  bus = await connectBus({ servers: NATS_URL, prefix, name: 'automation-test', logger });
  await Promise.all([bus.ensureStream('ticket'), bus.ensureStream('sla'), bus.ensureStream('identity')]);
  pool = new Pool({ connectionString: db.url, max: 2 });
  const config = automationConfigSchema.parse({
    ...inProcessServiceEnv(db.url, prefix),
    AUTOMATION_WORKER_POLL_MS: '200',
    NOTIFICATION_GRPC_URL: await webhooks.start(),
  });
  service = await buildAutomationService(config, { tickets: peer, teams });
  client = createGrpcClient(automationV1.AutomationServiceClient, `127.0.0.1:${service.grpcPort}`);
}, 60_000);

afterAll(async () => {
  client?.close();
  await service?.stop();
  await webhooks.server?.shutdown();
  await pool?.end();
  await bus?.close();
  await deletePrefixedStreams(prefix);
  await db?.drop();
  await telemetry?.shutdown();
}, 30_000);

describe('rules', () => {
  it('keeps every change as a new version and refuses a stale If-Match', async () => {
    const rule = await createRule({
      name: 'VIP first',
      trigger: { type: 'event', events: ['ticket.created'] },
      conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
      actions: [{ type: 'set', field: 'priority', value: 'high' }],
    });
    expect(rule).toMatchObject({
      version: 1,
      active: true,
      stopProcessing: false,
      stats: { fired: 0, skipped: 0 },
    });
    const { rule: changed } = await client.updateRule({
      tenantId: TENANT,
      actor: ADMIN,
      id: rule.id,
      expectedVersion: 1,
      name: 'VIP first, always',
    });
    expect(changed).toMatchObject({ version: 2, name: 'VIP first, always' });
    const stale = await failure(
      client.updateRule({ tenantId: TENANT, actor: ADMIN, id: rule.id, expectedVersion: 1, active: false }),
    );
    expect(stale.code).toBe('CONFLICT');
    const { rows } = await pool.query(
      'SELECT version, definition FROM rule_versions WHERE rule_id = $1 ORDER BY version',
      [rule.id],
    );
    expect(
      rows.map((r: { version: number; definition: { name: string } }) => [r.version, r.definition.name]),
    ).toEqual([
      [1, 'VIP first'],
      [2, 'VIP first, always'],
    ]);
    await client.deleteRule({ tenantId: TENANT, actor: ADMIN, id: rule.id, expectedVersion: 2 });
    expect((await failure(client.getRule({ tenantId: TENANT, id: rule.id }))).code).toBe('NOT_FOUND');
  });

  it("answers NOT_FOUND for another tenant's rule, to read, change or delete", async () => {
    const rule = await createRule({
      trigger: { type: 'event', events: ['ticket.created'] },
      actions: [{ type: 'add_tags', tags: ['x'] }],
    });
    for (const call of [
      client.getRule({ tenantId: OTHER, id: rule.id }),
      client.updateRule({ tenantId: OTHER, actor: ADMIN, id: rule.id, name: 'mine' }),
      client.deleteRule({ tenantId: OTHER, actor: ADMIN, id: rule.id }),
    ])
      expect((await failure(call)).code).toBe('NOT_FOUND');
    const { items } = await client.listRules({ tenantId: OTHER, page: { limit: 50, cursor: '' } });
    expect(items).toEqual([]);
    await switchOff(rule.id);
  });

  it('refuses an unknown field or operator, a wrong value, a short duration or a bad RRULE with the path', async () => {
    const bad = async (trigger: unknown, conditions: unknown, actions: unknown) => {
      const err = await failure(
        createRule({ trigger, conditions, actions } as Parameters<typeof createRule>[0]),
      );
      expect(err.code).toBe('INVALID_ARGUMENT');
      return (err.details as Array<{ path: string[] }>).map((d) => d.path.join('.'));
    };
    const ok = [{ type: 'add_tags', tags: ['x'] }];
    expect(
      await bad(
        { type: 'event', events: ['ticket.created'] },
        { all: [{ field: 'colour', op: 'equals', value: 'x' }] },
        ok,
      ),
    ).toEqual(['conditions.all.0.field']);
    expect(
      await bad(
        { type: 'event', events: ['ticket.created'] },
        { any: [{ field: 'status', op: 'like', value: 'x' }] },
        ok,
      ),
    ).toEqual(['conditions.any.0.op']);
    expect(
      await bad(
        { type: 'event', events: ['ticket.created'] },
        { all: [{ field: 'status', op: 'in', value: 'open' }] },
        ok,
      ),
    ).toEqual(['conditions.all.0.value']);
    expect(
      await bad(
        { type: 'event', events: ['ticket.created'] },
        { all: [{ field: 'priority', op: 'equals', value: 'urgent' }] },
        ok,
      ),
    ).toEqual(['conditions.all.0.value']);
    expect(await bad({ type: 'time', after: 'PT0.5S', since: 'created' }, undefined, ok)).toEqual([
      'trigger.after',
    ]);
    expect(
      await bad({ type: 'schedule', rrule: 'FREQ=SOMETIMES', timezone: 'Europe/Berlin' }, undefined, [
        { type: 'create_ticket', title: 'Monthly check' },
      ]),
    ).toEqual(['trigger.rrule']);
    expect(
      await bad({ type: 'schedule', rrule: 'FREQ=MONTHLY', timezone: 'Mars/Olympus' }, undefined, [
        { type: 'create_ticket', title: 'Monthly check' },
      ]),
    ).toEqual(['trigger.timezone']);
    expect(
      await bad({ type: 'event', events: ['ticket.created'] }, undefined, [
        { type: 'set', field: 'status', value: 'done' },
      ]),
    ).toEqual(['actions.0.value']);
    expect(await bad({ type: 'event', events: ['ticket.created'], extra: 1 }, undefined, ok)).toEqual([
      'trigger.extra',
    ]);
    // a webhook must be one of the tenant's endpoints
    expect(
      await bad({ type: 'event', events: ['ticket.created'] }, undefined, [
        { type: 'webhook', webhookId: HOOK },
        { type: 'webhook', webhookId: OTHER_HOOK },
        { type: 'webhook', webhookId: randomUUID() },
      ]),
    ).toEqual(['actions.1.webhookId', 'actions.2.webhookId']);
    expect(
      await bad({ type: 'time', after: 'PT1H', since: 'created' }, undefined, [
        { type: 'webhook', webhookId: OTHER_HOOK },
      ]),
    ).toEqual(['actions.0.webhookId']);
    // a schedule rule has no ticket: no conditions, no action but create_ticket and webhook, and one create_ticket
    const daily = { type: 'schedule', rrule: 'FREQ=DAILY;BYHOUR=9', timezone: 'Europe/Berlin' };
    const scheduled = { type: 'create_ticket', title: 'Daily check', clientId: randomUUID() };
    expect(
      await bad(
        daily,
        { all: [{ field: 'status', op: 'equals', value: 'open' }], any: [{ field: 'tags', op: 'is_empty' }] },
        [scheduled],
      ),
    ).toEqual(['conditions.all.0', 'conditions.any.0']);
    expect(await bad(daily, undefined, [scheduled, { type: 'add_tags', tags: ['x'] }])).toEqual([
      'actions.1.type',
    ]);
    expect(await bad(daily, undefined, [{ type: 'webhook', webhookId: HOOK }])).toEqual(['actions']);
    const withConditions = await createRule({
      trigger: { type: 'event', events: ['ticket.created'] },
      conditions: { all: [{ field: 'status', op: 'equals', value: 'open' }] },
      actions: ok,
    });
    // turning a rule with conditions into a schedule rule names the conditions it keeps
    const turned = await failure(
      client.updateRule({
        tenantId: TENANT,
        actor: ADMIN,
        id: withConditions.id,
        triggerJson: JSON.stringify(daily),
        actionsJson: JSON.stringify([scheduled]),
      }),
    );
    expect((turned.details as Array<{ path: string[] }>).map((d) => d.path.join('.'))).toEqual([
      'conditions.all.0',
    ]);
    await client.deleteRule({ tenantId: TENANT, actor: ADMIN, id: withConditions.id });
    // a time rule's or a schedule rule's webhook sends its rule_fired event (docs/adr/0047)
    for (const [trigger, actions] of [
      [{ type: 'time', after: 'PT1H', since: 'created' }, [{ type: 'webhook', webhookId: HOOK }]],
      [daily, [scheduled, { type: 'webhook', webhookId: HOOK }]],
    ] as const) {
      const accepted = await createRule({ trigger, actions, active: false });
      await client.deleteRule({ tenantId: TENANT, actor: ADMIN, id: accepted.id });
    }
    const saved = await createRule({
      trigger: { type: 'event', events: ['ticket.updated'] },
      actions: [{ type: 'webhook', webhookId: HOOK }],
    });
    const changed = await failure(
      client.updateRule({
        tenantId: TENANT,
        actor: ADMIN,
        id: saved.id,
        actionsJson: JSON.stringify([{ type: 'webhook', webhookId: OTHER_HOOK }]),
      }),
    );
    expect((changed.details as Array<{ path: string[] }>).map((d) => d.path.join('.'))).toEqual([
      'actions.0.webhookId',
    ]);
    await client.deleteRule({ tenantId: TENANT, actor: ADMIN, id: saved.id });
  });
});

describe('event rules', () => {
  it('fires on a created ticket in position order, stops at stopProcessing, and logs why the others did not', async () => {
    const first = await createRule({
      name: 'route network',
      position: 10,
      stopProcessing: true,
      trigger: { type: 'event', events: ['ticket.created'] },
      conditions: { all: [{ field: 'title', op: 'contains', value: 'PRINTER' }], any: [] },
      actions: [
        { type: 'assign', roundRobinTeamId: TEAM },
        { type: 'add_tags', tags: ['printing'] },
        { type: 'add_note', bodyText: 'Routed #{{ticket.number}} for {{requester.name}}' },
        { type: 'notify', teamId: TEAM, message: 'New printer ticket #{{ticket.number}}' },
        { type: 'webhook', webhookId: HOOK },
        { type: 'webhook', webhookId: OFF_HOOK },
      ],
    });
    const later = await createRule({
      name: 'later',
      position: 20,
      trigger: { type: 'event', events: ['ticket.created'] },
      actions: [{ type: 'add_tags', tags: ['never'] }],
    });
    const unmatched = await createRule({
      name: 'unmatched',
      position: 5,
      trigger: { type: 'event', events: ['ticket.created'] },
      conditions: { all: [{ field: 'priority', op: 'in', value: ['high', 'critical'] }] },
      actions: [{ type: 'add_tags', tags: ['urgent'] }],
    });
    webhooks.endpoints.get(OFF_HOOK)!.active = false;
    const ticket = await peer.open({ title: 'Printer offline on floor 2' });
    const [run] = await waitFor('the fired run applied', async () => {
      const runs = await runsOf(first.id, ticket.id);
      return runs.length === 1 && runs[0]!.actions.every((a) => a.result !== 'pending') && runs;
    });
    expect(run).toMatchObject({ outcome: 'fired', reason: '', ruleVersion: 1, triggerType: 'event' });
    expect(run!.actions.map((a) => [a.type, a.result])).toEqual([
      ['assign', 'ok'],
      ['add_tags', 'ok'],
      ['add_note', 'ok'],
      ['notify', 'ok'],
      ['webhook', 'ok'],
      ['webhook', 'failed'],
    ]);
    expect(run!.actions[5]!.error).toMatch(/disabled/);
    // the endpoint got the triggering event as the bus carried it
    expect(webhooks.deliveries.filter((d) => d.webhookId === HOOK)).toEqual([
      {
        webhookId: HOOK,
        event: expect.objectContaining({
          id: run!.eventId,
          type: 'helpdesk.ticket.created',
          tenantId: TENANT,
          data: expect.objectContaining({ ticket: expect.objectContaining({ id: ticket.id }) }),
        }),
      },
    ]);
    expect((await runsOf(later.id, ticket.id)).map((r) => [r.outcome, r.reason])).toEqual([
      ['skipped', 'stopped_by'],
    ]);
    expect((await runsOf(unmatched.id, ticket.id)).map((r) => [r.outcome, r.reason])).toEqual([
      ['skipped', 'conditions_not_met'],
    ]);

    const now = peer.tickets.get(ticket.id)!;
    expect(now.assigneeId).toBe(MEMBERS[0]);
    expect(now.teamId).toBe(TEAM);
    expect(now.tags).toEqual(['printing']);
    const changes = peer.updates.filter((u) => u.actor.id === first.id);
    expect(changes[0]!.actor).toEqual({
      type: commonV1.ActorType.ACTOR_TYPE_AUTOMATION,
      id: first.id,
      causation: { originId: `ticket:${ticket.id}:1`, depth: 1 },
    });
    expect(peer.messages).toContainEqual(
      expect.objectContaining({ kind: 'internal_note', bodyText: `Routed #${ticket.number} for Jane` }),
    );
    const { rows } = await pool.query(
      "SELECT payload FROM outbox WHERE type = 'helpdesk.automation.notify_requested' AND tenant_id = $1",
      [TENANT],
    );
    expect(rows.map((r: { payload: { data: unknown } }) => r.payload.data)).toEqual([
      expect.objectContaining({
        ruleId: first.id,
        ruleName: 'route network',
        ticketId: ticket.id,
        teamId: TEAM,
        message: `New printer ticket #${ticket.number}`,
      }),
    ]);
    const { rule } = await client.getRule({ tenantId: TENANT, id: first.id });
    expect(rule!.stats).toMatchObject({ fired: 1, skipped: 0 });
    expect(rule!.stats!.lastFiredAt).toBeInstanceOf(Date);

    // the next ticket goes to the next member of the round robin
    const second = await peer.open({ title: 'printer jammed' });
    await waitFor(
      'second ticket assigned',
      async () => peer.tickets.get(second.id)!.assigneeId === MEMBERS[1],
    );
    for (const r of [first, later, unmatched]) await switchOff(r.id);
  });

  it('lets two rules that flip a field back and forth settle: each fires once per original change', async () => {
    const down = await createRule({
      name: 'down',
      trigger: { type: 'event', events: ['ticket.updated'] },
      conditions: { all: [{ field: 'priority', op: 'changed_to', value: 'high' }] },
      actions: [{ type: 'set', field: 'priority', value: 'low' }],
    });
    const up = await createRule({
      name: 'up',
      trigger: { type: 'event', events: ['ticket.updated'] },
      conditions: { all: [{ field: 'priority', op: 'changed_to', value: 'low' }] },
      actions: [{ type: 'set', field: 'priority', value: 'high' }],
    });
    const ticket = await peer.open({ priority: 'medium' });
    // an agent raises it
    const raised = { ...peer.tickets.get(ticket.id)!, priority: 'high', version: 2, updatedAt: new Date() };
    peer.tickets.set(ticket.id, raised);
    await publish(
      'helpdesk.ticket.updated',
      TENANT,
      ticketEventsV1.TicketUpdatedEvent.toJSON({
        ticket: raised,
        actor: ADMIN,
        changes: [{ field: 'priority', fromJson: '"medium"', toJson: '"high"' }],
      }),
    );
    // down fires (→ low), up fires (→ high), down is then already fired for this change
    await waitFor('the chain settled', async () => {
      const runs = await runsOf(down.id, ticket.id);
      return runs.some((r) => r.reason === 'already_fired') && runs;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const downRuns = (await runsOf(down.id, ticket.id)).map((r) => [r.outcome, r.reason]);
    const upRuns = (await runsOf(up.id, ticket.id)).map((r) => [r.outcome, r.reason]);
    expect(downRuns.filter(([o]) => o === 'fired')).toHaveLength(1);
    expect(upRuns.filter(([o]) => o === 'fired')).toHaveLength(1);
    expect(downRuns).toContainEqual(['skipped', 'already_fired']);
    expect(peer.tickets.get(ticket.id)!.priority).toBe('high');
    const updates = peer.updates.filter((u) => u.actor.id === down.id || u.actor.id === up.id);
    expect(updates.map((u) => u.actor.causation)).toEqual([
      { originId: `ticket:${ticket.id}:2`, depth: 1 },
      { originId: `ticket:${ticket.id}:2`, depth: 2 },
    ]);
    await switchOff(down.id);
    await switchOff(up.id);
  });

  it('fires nothing twice for a redelivered event, and nothing for changes deeper than 5', async () => {
    const rule = await createRule({
      name: 'tag every update',
      trigger: { type: 'event', events: ['ticket.updated'] },
      actions: [{ type: 'add_note', bodyText: 'seen' }],
    });
    const ticket = await peer.open();
    const updated = { ...peer.tickets.get(ticket.id)!, status: 'in_progress', version: 2 };
    peer.tickets.set(ticket.id, updated);
    const data = ticketEventsV1.TicketUpdatedEvent.toJSON({
      ticket: updated,
      actor: ADMIN,
      changes: [{ field: 'status', fromJson: '"open"', toJson: '"in_progress"' }],
    });
    const eventId = randomUUID();
    await publish('helpdesk.ticket.updated', TENANT, data, eventId);
    await waitFor('the first delivery fired', async () => (await runsOf(rule.id, ticket.id)).length === 1);
    // the same event again under another message id, as a redelivery past JetStream's duplicate window would be
    await publish('helpdesk.ticket.updated', TENANT, data, eventId, randomUUID());
    // a change a rule made at depth 6
    const deep = { ...updated, version: 3 };
    await publish(
      'helpdesk.ticket.updated',
      TENANT,
      ticketEventsV1.TicketUpdatedEvent.toJSON({
        ticket: deep,
        actor: {
          type: commonV1.ActorType.ACTOR_TYPE_AUTOMATION,
          id: randomUUID(),
          causation: { originId: 'ticket:elsewhere:1', depth: 6 },
        },
        changes: [{ field: 'tags', fromJson: '[]', toJson: '["a"]' }],
      }),
    );
    const runs = await waitFor('the deep change logged', async () => {
      const all = await runsOf(rule.id, ticket.id);
      return all.length === 2 && all;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await runsOf(rule.id, ticket.id)).length).toBe(2);
    expect(runs.map((r) => [r.outcome, r.reason])).toEqual([
      ['skipped', 'depth_exceeded'],
      ['fired', ''],
    ]);
    await waitFor('the note', async () =>
      peer.messages.some((m) => m.dedupeKey.startsWith('automation:') && m.bodyText === 'seen'),
    );
    expect(peer.messages.filter((m) => m.bodyText === 'seen')).toHaveLength(1);
    await switchOff(rule.id);
  });
});

describe('SLA rules', () => {
  it('fires on an SLA breach with the ticket as the ticket service has it', async () => {
    const rule = await createRule({
      name: 'escalate breaches',
      trigger: { type: 'event', events: ['sla.breached'] },
      conditions: { all: [{ field: 'priority', op: 'not_equals', value: 'critical' }] },
      actions: [{ type: 'set', field: 'priority', value: 'critical' }],
    });
    const t = await peer.open({ priority: 'high' });
    const breach = await publish(
      'helpdesk.sla.breached',
      TENANT,
      slaEventsV1.TicketSlaEvent.toJSON({
        ticketId: t.id,
        ticketNumber: t.number,
        target: 'first_response',
        sequence: 3,
      }),
    );
    const [run] = await waitFor('the breach rule', async () => {
      const runs = await runsOf(rule.id, t.id);
      return runs.length === 1 && runs[0]!.actions[0]!.result === 'ok' && runs;
    });
    expect(run).toMatchObject({ outcome: 'fired', eventId: breach.id });
    expect(peer.tickets.get(t.id)!.priority).toBe('critical');
    await switchOff(rule.id);
  });
});

/** An agent's change of a ticket's status, published as the ticket service would. */
async function agentSetsStatus(ticketId: string, status: string) {
  const before = peer.tickets.get(ticketId)!;
  const after = { ...before, status, version: before.version + 1, updatedAt: new Date() };
  peer.tickets.set(ticketId, after);
  await publish(
    'helpdesk.ticket.updated',
    TENANT,
    ticketEventsV1.TicketUpdatedEvent.toJSON({
      ticket: after,
      actor: ADMIN,
      changes: [{ field: 'status', fromJson: JSON.stringify(before.status), toJson: JSON.stringify(status) }],
    }),
  );
}

describe('time rules', () => {
  it('arms a timer when the conditions hold, fires it within a second of due, and cancels it when they stop', async () => {
    const rule = await createRule({
      name: 'close waiting tickets',
      trigger: { type: 'time', after: 'PT2S', since: 'status_entered' },
      conditions: { all: [{ field: 'status', op: 'equals', value: 'waiting_on_customer' }] },
      actions: [{ type: 'set', field: 'status', value: 'closed' }],
    });
    const waiting = await peer.open();
    const cancelled = await peer.open();
    await waitFor('both tickets seen', async () => {
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM ticket_states WHERE ticket_id = ANY($1)',
        [[waiting.id, cancelled.id]],
      );
      return rows[0].n === 2;
    });
    // open tickets: no timer
    expect((await pool.query('SELECT * FROM timers WHERE rule_id = $1', [rule.id])).rows).toEqual([]);
    await agentSetsStatus(waiting.id, 'waiting_on_customer');
    await agentSetsStatus(cancelled.id, 'waiting_on_customer');
    const armed = await waitFor('two timers armed', async () => {
      const { rows } = await pool.query<{ ticket_id: string; since_at: Date; due_at: Date }>(
        'SELECT ticket_id, since_at, due_at FROM timers WHERE rule_id = $1 AND due_at IS NOT NULL',
        [rule.id],
      );
      return rows.length === 2 && rows;
    });
    for (const t of armed) expect(t.due_at.getTime() - t.since_at.getTime()).toBe(2_000);
    const pending = async () =>
      promSample(await scrapeMetrics(service.healthPort), 'helpdesk_automation_timers_pending') ?? -1;
    const pendingArmed = await pending();
    expect(pendingArmed).toBeGreaterThanOrEqual(2);
    // the customer answers one of them before it falls due
    await agentSetsStatus(cancelled.id, 'open');
    const dueAt = armed.find((t) => t.ticket_id === waiting.id)!.due_at;
    const [run] = await waitFor('the time rule fired', async () => {
      const runs = await runsOf(rule.id, waiting.id);
      return runs.length === 1 && runs[0]!.actions.every((x) => x.result !== 'pending') && runs;
    });
    expect(run).toMatchObject({ outcome: 'fired', triggerType: 'time', reason: '' });
    expect(run!.actions).toEqual([{ type: 'set', result: 'ok', error: '' }]);
    expect(run!.at!.getTime() - dueAt.getTime()).toBeGreaterThanOrEqual(0);
    expect(run!.at!.getTime() - dueAt.getTime()).toBeLessThan(1_000);
    expect(peer.tickets.get(waiting.id)!.status).toBe('closed');
    const closing = peer.updates.find((u) => u.actor.id === rule.id)!;
    expect(closing.actor.causation).toEqual({
      originId: `timer:${rule.id}:${waiting.id}:${armed.find((t) => t.ticket_id === waiting.id)!.since_at.getTime()}`,
      depth: 1,
    });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await runsOf(rule.id, cancelled.id)).toEqual([]);
    // fired once for its instant: the rule's own change (closed) does not arm it again
    expect(await runsOf(rule.id, waiting.id)).toHaveLength(1);
    // one fired, one cancelled: neither armed any more, and nothing is left overdue
    expect(await pending()).toBe(pendingArmed - 2);
    expect(promSample(await scrapeMetrics(service.healthPort), 'helpdesk_automation_timers_overdue')).toBe(0);
    await switchOff(rule.id);
  });

  it('fires a pending timer once after a restart, with two replicas running', async () => {
    const rule = await createRule({
      name: 'tag after a while',
      trigger: { type: 'time', after: 'PT3S', since: 'created' },
      actions: [{ type: 'add_tags', tags: ['aged'] }],
    });
    const t = await peer.open();
    await waitFor('armed', async () => {
      const { rows } = await pool.query('SELECT 1 FROM timers WHERE rule_id = $1 AND due_at IS NOT NULL', [
        rule.id,
      ]);
      return rows.length === 1;
    });
    await service.stop();
    const config = automationConfigSchema.parse({
      ...inProcessServiceEnv(db.url, prefix),
      AUTOMATION_WORKER_POLL_MS: '200',
      NOTIFICATION_GRPC_URL: `127.0.0.1:${webhooks.server!.port}`,
    });
    const [one, two] = await Promise.all([
      buildAutomationService(config, { tickets: peer, teams }),
      buildAutomationService(config, { tickets: peer, teams }),
    ]);
    service = one;
    client.close();
    client = createGrpcClient(automationV1.AutomationServiceClient, `127.0.0.1:${service.grpcPort}`);
    try {
      await waitFor('the tag', async () => peer.tickets.get(t.id)!.tags.includes('aged'));
      await new Promise((r) => setTimeout(r, 1_500));
      const runs = await runsOf(rule.id, t.id);
      expect(runs.map((r) => r.outcome)).toEqual(['fired']);
      expect(peer.updates.filter((u) => u.actor.id === rule.id)).toHaveLength(1);
    } finally {
      await two.stop();
    }
    await switchOff(rule.id);
  });
});

/** The service's outbox rows of one event type that name the rule, oldest first. */
async function outboxOf(type: string, ruleId: string) {
  const { rows } = await pool.query<{
    id: string;
    payload: {
      id: string;
      type: string;
      tenantId: string;
      occurredAt: string;
      data: Record<string, unknown>;
    };
    published_at: Date | null;
  }>(
    `SELECT id, payload, published_at FROM outbox WHERE type = $1 AND payload->'data'->>'ruleId' = $2 ORDER BY seq`,
    [type, ruleId],
  );
  return rows;
}

describe('rule events', () => {
  it('publishes rule_fired with the run and run_completed with the outcomes; nothing for a skipped run', async () => {
    const rule = await createRule({
      name: 'printers to hardware',
      trigger: { type: 'event', events: ['ticket.created'] },
      conditions: { all: [{ field: 'title', op: 'contains', value: 'toner' }] },
      actions: [
        { type: 'add_tags', tags: ['hardware'] },
        { type: 'assign', roundRobinTeamId: randomUUID() },
      ],
    });
    const toner = await peer.open({ title: 'Toner empty' });
    const other = await peer.open({ title: 'VPN down' });
    const [run] = await waitFor('the run applied', async () => {
      const runs = await runsOf(rule.id, toner.id);
      return runs.length === 1 && runs[0]!.actions.every((x) => x.result !== 'pending') && runs;
    });
    const [completed] = await waitFor('run_completed published', async () => {
      const rows = await outboxOf('helpdesk.automation.run_completed', rule.id);
      return rows.length === 1 && rows[0]!.published_at !== null && rows;
    });
    const fired = await outboxOf('helpdesk.automation.rule_fired', rule.id);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.published_at).not.toBeNull();
    expect(fired[0]!.payload).toMatchObject({
      id: fired[0]!.id,
      type: 'helpdesk.automation.rule_fired',
      version: 1,
      tenantId: TENANT,
      occurredAt: run!.at!.toISOString(),
      data: {
        runId: run!.id,
        ruleId: rule.id,
        ruleName: 'printers to hardware',
        ruleVersion: 1,
        trigger: { type: 'event', eventId: run!.eventId },
        ticketId: toner.id,
        ticketNumber: toner.number,
        actions: [
          { type: 'add_tags', result: 'pending' },
          { type: 'assign', result: 'pending' },
        ],
        firedAt: run!.at!.toISOString(),
      },
    });
    expect(fired[0]!.payload.data).not.toHaveProperty('completedAt');
    expect(completed!.payload).toMatchObject({
      type: 'helpdesk.automation.run_completed',
      tenantId: TENANT,
      data: {
        runId: run!.id,
        ticketId: toner.id,
        actions: [
          { type: 'add_tags', result: 'ok' },
          { type: 'assign', result: 'failed', error: 'the round robin names no team of the tenant' },
        ],
        firedAt: run!.at!.toISOString(),
        completedAt: completed!.payload.occurredAt,
      },
    });
    // the skipped run of the other ticket is in the log, and on the bus nothing
    await waitFor('the skipped run', async () => (await runsOf(rule.id, other.id)).length === 1);
    const { rows } = await pool.query(
      `SELECT 1 FROM outbox WHERE type LIKE 'helpdesk.automation.%' AND payload->'data'->>'ticketId' = $1`,
      [other.id],
    );
    expect(rows).toEqual([]);
    await switchOff(rule.id);
  });

  it("sends a time rule's rule_fired to its webhook, once", async () => {
    const before = webhooks.deliveries.length;
    const rule = await createRule({
      name: 'tell the CRM about old tickets',
      trigger: { type: 'time', after: 'PT2S', since: 'created' },
      conditions: { all: [{ field: 'title', op: 'contains', value: 'crm' }] },
      actions: [
        { type: 'add_tags', tags: ['old'] },
        { type: 'webhook', webhookId: HOOK },
      ],
    });
    const t = await peer.open({ title: 'CRM export' });
    const [run] = await waitFor('the run applied', async () => {
      const runs = await runsOf(rule.id, t.id);
      return runs.length === 1 && runs[0]!.actions.every((x) => x.result !== 'pending') && runs;
    });
    expect(run!.actions).toEqual([
      { type: 'add_tags', result: 'ok', error: '' },
      { type: 'webhook', result: 'ok', error: '' },
    ]);
    const [fired] = await outboxOf('helpdesk.automation.rule_fired', rule.id);
    const sent = webhooks.deliveries
      .slice(before)
      .filter((d) => d.event.type.startsWith('helpdesk.automation'));
    expect(sent).toEqual([
      {
        webhookId: HOOK,
        event: {
          id: fired!.id,
          type: 'helpdesk.automation.rule_fired',
          version: 1,
          tenantId: TENANT,
          occurredAt: run!.at!.toISOString(),
          data: expect.objectContaining({
            runId: run!.id,
            ruleId: rule.id,
            trigger: { type: 'time', eventId: run!.eventId },
            ticketId: t.id,
            ticketNumber: t.number,
          }),
        },
      },
    ]);
    // the body a receiver gets is the envelope without the trace context
    expect(sent[0]!.event).not.toHaveProperty('traceparent');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(webhooks.deliveries.slice(before).filter((d) => d.event.id === fired!.id)).toHaveLength(1);
    await switchOff(rule.id);
  });
});

describe('default rules', () => {
  it('seeds the defaults once for a new tenant, editable and switchable off', async () => {
    const tenantId = randomUUID();
    const data = { tenantId, name: 'New MSP', timezone: 'Europe/Berlin', slug: 'new-msp' };
    const first = await publish('helpdesk.identity.tenant_created', tenantId, data);
    // the same event again, and a second tenant_created for the tenant
    await publish('helpdesk.identity.tenant_created', tenantId, data, first.id, randomUUID());
    await publish('helpdesk.identity.tenant_created', tenantId, data);
    const items = await waitFor('the defaults', async () => {
      const res = await client.listRules({ tenantId, page: { limit: 50, cursor: '' } });
      return res.items.length === 4 && res.items;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await client.listRules({ tenantId, page: { limit: 50, cursor: '' } })).items).toHaveLength(4);
    expect(items.map((r) => [r.name, JSON.parse(r.triggerJson).after, r.active])).toEqual([
      ['Close tickets waiting on the customer for 7 days', 'P7D', true],
      ['Close resolved tickets after 3 days without activity', 'P3D', true],
      ['Remind the customer after 3 days waiting on them', 'P3D', true],
      ['Tell the admins about high and critical tickets unassigned for 30 minutes', 'PT30M', true],
    ]);
    const { rule } = await client.updateRule({
      tenantId,
      actor: ADMIN,
      id: items[0]!.id,
      expectedVersion: 1,
      active: false,
      triggerJson: JSON.stringify({ type: 'time', after: 'P10D', since: 'status_entered' }),
    });
    expect(rule).toMatchObject({ active: false, version: 2 });
  });
});

describe('dry run', () => {
  it('shows every condition with the actual value, the actions it would apply, and changes nothing', async () => {
    const ticket = await peer.open({ priority: 'high', tags: ['vip'], title: 'VPN down' });
    const rule = await createRule({
      name: 'vip escalation',
      active: false,
      trigger: { type: 'event', events: ['ticket.updated'] },
      conditions: {
        all: [
          { field: 'priority', op: 'in', value: ['high', 'critical'] },
          { field: 'assigneeId', op: 'is_empty' },
        ],
        any: [{ field: 'tags', op: 'contains', value: 'VIP' }],
      },
      actions: [{ type: 'add_note', bodyText: 'Escalating #{{ticket.number}}: {{ticket.title}}' }],
    });
    const before = peer.updates.length + peer.messages.length;
    const result = await client.dryRun({
      tenantId: TENANT,
      actor: ADMIN,
      ruleId: rule.id,
      ruleJson: '',
      ticketId: ticket.id,
    });
    expect(result.matched).toBe(true);
    expect(result.conditions.map((c) => [c.field, c.op, JSON.parse(c.actualJson), c.result])).toEqual([
      ['priority', 'in', 'high', true],
      ['assigneeId', 'is_empty', null, true],
      ['tags', 'contains', ['vip'], true],
    ]);
    expect(JSON.parse(result.actionsJson)).toEqual([
      { type: 'add_note', bodyText: `Escalating #${ticket.number}: VPN down` },
    ]);
    const unsaved = await client.dryRun({
      tenantId: TENANT,
      actor: ADMIN,
      ruleId: '',
      ruleJson: JSON.stringify({
        trigger: { type: 'event', events: ['ticket.created'] },
        conditions: { all: [{ field: 'status', op: 'equals', value: 'closed' }] },
        actions: [{ type: 'set', field: 'status', value: 'open' }],
      }),
      ticketId: ticket.id,
    });
    expect(unsaved.matched).toBe(false);
    expect(unsaved.conditions[0]).toMatchObject({ field: 'status', actualJson: '"open"', result: false });
    expect(peer.updates.length + peer.messages.length).toBe(before);
    expect(await runsOf(rule.id)).toEqual([]);
    const bad = await failure(
      client.dryRun({
        tenantId: TENANT,
        actor: ADMIN,
        ruleId: '',
        ruleJson: '{"trigger":{"type":"event","events":["x"]},"actions":[]}',
        ticketId: ticket.id,
      }),
    );
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect((bad.details as Array<{ path: string[] }>)[0]!.path.slice(0, 2)).toEqual(['rule', 'trigger']);
    const elsewhere = await failure(
      client.dryRun({ tenantId: OTHER, actor: ADMIN, ruleId: rule.id, ruleJson: '', ticketId: ticket.id }),
    );
    expect(elsewhere.code).toBe('NOT_FOUND');
  });
});

describe('schedule rules', () => {
  it('creates one ticket per occurrence with two replicas on a test clock, one for a missed stretch, and dry-runs the next ones', async () => {
    let now = new Date('2027-03-27T10:00:00Z');
    const clock = { now: () => now };
    const config = automationConfigSchema.parse({
      ...inProcessServiceEnv(db.url, prefix),
      AUTOMATION_WORKER_POLL_MS: '200',
      NOTIFICATION_GRPC_URL: `127.0.0.1:${webhooks.server!.port}`,
    });
    const [one, two] = await Promise.all([
      buildAutomationService(config, { tickets: peer, teams, clock }),
      buildAutomationService(config, { tickets: peer, teams, clock }),
    ]);
    const clocked = createGrpcClient(automationV1.AutomationServiceClient, `127.0.0.1:${one.grpcPort}`);
    const CLIENT = randomUUID();
    const CONTACT = randomUUID();
    const LONELY = randomUUID();
    peer.primaryContacts.set(CLIENT, { tenantId: TENANT, contactId: CONTACT });
    try {
      const create = (name: string, clientId: string) =>
        clocked.createRule({
          tenantId: TENANT,
          actor: ADMIN,
          name,
          stopProcessing: false,
          triggerJson: JSON.stringify({
            type: 'schedule',
            rrule: 'FREQ=DAILY;BYHOUR=9',
            timezone: 'Europe/Berlin',
          }),
          conditionsJson: '',
          actionsJson: JSON.stringify([
            { type: 'create_ticket', title: 'Daily backup check', clientId, priority: 'low' },
          ]),
        });
      const { rule } = await create('backups', CLIENT);
      const { rule: lonely } = await create('no contact', LONELY);
      const nextAt = async (id: string) =>
        (await pool.query<{ next_at: Date | null }>('SELECT next_at FROM schedules WHERE rule_id = $1', [id]))
          .rows[0]?.next_at;
      // 9:00 in Berlin the day after, summer time by then
      expect(await nextAt(rule!.id)).toEqual(new Date('2027-03-28T07:00:00Z'));

      const dry = await clocked.dryRun({
        tenantId: TENANT,
        actor: ADMIN,
        ruleId: rule!.id,
        ruleJson: '',
        ticketId: '',
      });
      expect(dry.schedule).toBe(true);
      expect(dry.occurrences.slice(0, 3)).toEqual([
        new Date('2027-03-28T07:00:00Z'),
        new Date('2027-03-29T07:00:00Z'),
        new Date('2027-03-30T07:00:00Z'),
      ]);
      expect(dry.occurrences).toHaveLength(10);
      expect(JSON.parse(dry.actionsJson)).toEqual([
        { type: 'create_ticket', title: 'Daily backup check', clientId: CLIENT, priority: 'low' },
      ]);
      const noTicket = await failure(
        clocked.dryRun({
          tenantId: TENANT,
          actor: ADMIN,
          ruleId: '',
          ruleJson: JSON.stringify({
            trigger: { type: 'event', events: ['ticket.created'] },
            actions: [{ type: 'add_tags', tags: ['x'] }],
          }),
          ticketId: '',
        }),
      );
      expect(noTicket.code).toBe('INVALID_ARGUMENT');
      expect(
        (
          await failure(
            clocked.dryRun({ tenantId: OTHER, actor: ADMIN, ruleId: rule!.id, ruleJson: '', ticketId: '' }),
          )
        ).code,
      ).toBe('NOT_FOUND');

      const createdBy = (id: string) => peer.created.filter((c) => c.actor.id === id);
      expect((await one.fireSchedulesNow()).fired).toBe(0);

      // due: both replicas wake, one takes each occurrence
      now = new Date('2027-03-28T07:00:00.300Z');
      const first = await Promise.all([one.fireSchedulesNow(), two.fireSchedulesNow()]);
      expect(first.reduce((n, r) => n + r.fired, 0)).toBe(2);
      await waitFor('the scheduled ticket', async () => createdBy(rule!.id).length === 1);
      expect(createdBy(rule!.id)[0]).toMatchObject({
        tenantId: TENANT,
        input: { title: 'Daily backup check', clientId: CLIENT, priority: 'low', contactId: CONTACT },
      });
      expect(await nextAt(rule!.id)).toEqual(new Date('2027-03-29T07:00:00Z'));

      // three days of downtime: the missed occurrences make one ticket, and the next one is tomorrow's
      now = new Date('2027-03-31T12:00:00Z');
      const later = await Promise.all([one.fireSchedulesNow(), two.fireSchedulesNow()]);
      expect(later.reduce((n, r) => n + r.fired, 0)).toBe(2);
      expect((await one.fireSchedulesNow()).fired).toBe(0);
      await waitFor('the catch-up ticket', async () => createdBy(rule!.id).length === 2);
      expect(await nextAt(rule!.id)).toEqual(new Date('2027-04-01T07:00:00Z'));

      const runs = await waitFor('the runs applied', async () => {
        const items = await runsOf(rule!.id);
        return (
          items.length === 2 && items.every((r) => r.actions.every((x) => x.result !== 'pending')) && items
        );
      });
      expect(runs.map((r) => [r.triggerType, r.outcome, r.ticketId, r.eventId]).sort()).toEqual([
        ['schedule', 'fired', '', `schedule:${rule!.id}:2027-03-28T07:00:00.000Z`],
        ['schedule', 'fired', '', `schedule:${rule!.id}:2027-03-29T07:00:00.000Z`],
      ]);
      // a client without a contact has no requester for the ticket: failed, with the reason
      const [lonelyRun] = await waitFor('the lonely run applied', async () => {
        const items = await runsOf(lonely!.id);
        return (
          items.length === 2 && items.every((r) => r.actions.every((x) => x.result !== 'pending')) && items
        );
      });
      expect(lonelyRun!.actions).toEqual([
        { type: 'create_ticket', result: 'failed', error: expect.stringMatching(/contact/) },
      ]);
      expect(createdBy(lonely!.id)).toEqual([]);

      // switched off: no next occurrence; on again: counted from now
      await clocked.updateRule({ tenantId: TENANT, actor: ADMIN, id: rule!.id, active: false });
      expect(await nextAt(rule!.id)).toBeNull();
      await clocked.updateRule({ tenantId: TENANT, actor: ADMIN, id: rule!.id, active: true });
      expect(await nextAt(rule!.id)).toEqual(new Date('2027-04-01T07:00:00Z'));
      await clocked.deleteRule({ tenantId: TENANT, actor: ADMIN, id: rule!.id });
      await clocked.deleteRule({ tenantId: TENANT, actor: ADMIN, id: lonely!.id });
      expect(await nextAt(rule!.id)).toBeUndefined();
    } finally {
      clocked.close();
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('keeps the next occurrence across an edit that keeps the recurrence, and fires no occurrence twice after one that changes it', async () => {
    // a Saturday: a weekly rule without BYDAY runs on the weekday of its DTSTART
    let now = new Date('2027-03-27T10:00:00Z');
    const clock = { now: () => now };
    const config = automationConfigSchema.parse({
      ...inProcessServiceEnv(db.url, prefix),
      AUTOMATION_WORKER_POLL_MS: '200',
      NOTIFICATION_GRPC_URL: `127.0.0.1:${webhooks.server!.port}`,
    });
    const clockedService = await buildAutomationService(config, { tickets: peer, teams, clock });
    const clocked = createGrpcClient(
      automationV1.AutomationServiceClient,
      `127.0.0.1:${clockedService.grpcPort}`,
    );
    const CLIENT = randomUUID();
    peer.primaryContacts.set(CLIENT, { tenantId: TENANT, contactId: randomUUID() });
    const trigger = (rrule: string) => JSON.stringify({ type: 'schedule', rrule, timezone: 'Europe/Berlin' });
    const actions = (title: string) =>
      JSON.stringify([
        { type: 'create_ticket', title, clientId: CLIENT },
        { type: 'webhook', webhookId: HOOK },
      ]);
    const row = async (id: string) =>
      (
        await pool.query<{ anchor_at: Date; next_at: Date | null; last_occurrence_at: Date | null }>(
          'SELECT anchor_at, next_at, last_occurrence_at FROM schedules WHERE rule_id = $1',
          [id],
        )
      ).rows[0]!;
    try {
      const { rule } = await clocked.createRule({
        tenantId: TENANT,
        actor: ADMIN,
        name: 'weekly review',
        stopProcessing: false,
        triggerJson: trigger('FREQ=WEEKLY;BYHOUR=9'),
        conditionsJson: '',
        actionsJson: actions('Weekly review'),
      });
      const id = rule!.id;
      const created = () => peer.created.filter((c) => c.actor.id === id);
      const saturday = {
        anchor_at: new Date('2027-03-26T23:00:00Z'),
        next_at: new Date('2027-04-03T07:00:00Z'),
        last_occurrence_at: null,
      };
      expect(await row(id)).toEqual(saturday);
      const update = (over: Partial<automationV1.UpdateRuleRequest>) =>
        clocked.updateRule({ tenantId: TENANT, actor: ADMIN, id, ...over });

      // on Monday, renamed, moved and its RRULE sent again as it was: still Saturdays (anchored on Monday, Mondays)
      now = new Date('2027-03-29T12:00:00Z');
      await update({
        name: 'weekly review (team)',
        position: 7,
        triggerJson: trigger('FREQ=WEEKLY;BYHOUR=9'),
      });
      expect(await row(id)).toEqual(saturday);
      // the occurrence falls due and an edit comes before it fired: it still fires, once
      now = new Date('2027-04-03T07:00:30Z');
      await update({ actionsJson: actions('Weekly review, week 13') });
      expect(await row(id)).toEqual(saturday);
      expect((await clockedService.fireSchedulesNow()).fired).toBe(1);
      expect((await clockedService.fireSchedulesNow()).fired).toBe(0);
      await waitFor('the ticket', async () => created().length === 1);
      expect(created()[0]!.input.title).toBe('Weekly review, week 13');
      expect(await row(id)).toEqual({
        ...saturday,
        next_at: new Date('2027-04-10T07:00:00Z'),
        last_occurrence_at: new Date('2027-04-03T07:00:00Z'),
      });
      // its webhook got the occurrence's rule_fired
      const occurrence = `schedule:${id}:2027-04-03T07:00:00.000Z`;
      const delivery = await waitFor('the delivery', async () =>
        webhooks.deliveries.find(
          (d) => (d.event.data as { trigger?: { eventId?: string } }).trigger?.eventId === occurrence,
        ),
      );
      expect(delivery).toMatchObject({
        webhookId: HOOK,
        event: {
          type: 'helpdesk.automation.rule_fired',
          data: { ruleId: id, trigger: { type: 'schedule', eventId: occurrence } },
        },
      });
      expect(delivery.event.data).not.toHaveProperty('ticketId');
      // the same recurrence written otherwise is the same
      await update({ triggerJson: trigger('byhour=9;freq=weekly') });
      expect((await row(id)).next_at).toEqual(new Date('2027-04-10T07:00:00Z'));

      // a replica whose clock is a minute behind makes it daily at 9: re-anchored, the 9:00 just fired not again
      now = new Date('2027-04-03T06:59:30Z');
      await update({ triggerJson: trigger('FREQ=DAILY;BYHOUR=9') });
      expect(await row(id)).toEqual({
        anchor_at: new Date('2027-04-02T22:00:00Z'),
        next_at: new Date('2027-04-04T07:00:00Z'),
        last_occurrence_at: new Date('2027-04-03T07:00:00Z'),
      });
      now = new Date('2027-04-03T07:05:00Z');
      expect((await clockedService.fireSchedulesNow()).fired).toBe(0);
      // and another zone: 9:00 in London, the same day, is an occurrence of its own
      await update({
        triggerJson: JSON.stringify({
          type: 'schedule',
          rrule: 'FREQ=DAILY;BYHOUR=9',
          timezone: 'Europe/London',
        }),
      });
      expect((await row(id)).next_at).toEqual(new Date('2027-04-03T08:00:00Z'));
      now = new Date('2027-04-03T08:00:01Z');
      expect((await clockedService.fireSchedulesNow()).fired).toBe(1);
      await waitFor('the second ticket', async () => created().length === 2);
      expect(await runsOf(id)).toHaveLength(2);
      await clocked.deleteRule({ tenantId: TENANT, actor: ADMIN, id });
    } finally {
      clocked.close();
      await clockedService.stop();
    }
  });

  it("follows the tenant's zone where a rule has none of its own; an older event changes nothing", async () => {
    const tenantId = randomUUID();
    const data = { tenantId, name: 'Zoned MSP', timezone: 'Europe/Berlin', slug: 'zoned-msp' };
    await publish('helpdesk.identity.tenant_created', tenantId, data);
    await waitFor('the tenant', async () => {
      const { rows } = await pool.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
      return rows.length === 1;
    });
    const schedule = (timezone?: string) =>
      createRule(
        {
          trigger: { type: 'schedule', rrule: 'FREQ=DAILY;BYHOUR=9', ...(timezone ? { timezone } : {}) },
          actions: [{ type: 'create_ticket', title: 'Daily check', clientId: randomUUID() }],
        },
        tenantId,
      );
    const follows = await schedule();
    const tokyo = await schedule('Asia/Tokyo');
    const row = async (id: string) =>
      (
        await pool.query<{ timezone: string; next_at: Date; anchor_at: Date }>(
          'SELECT timezone, next_at, anchor_at FROM schedules WHERE rule_id = $1',
          [id],
        )
      ).rows[0]!;
    const hourIn = (zone: string, at: Date) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at);
    expect((await row(follows.id)).timezone).toBe('Europe/Berlin');
    expect(hourIn('Europe/Berlin', (await row(follows.id)).next_at)).toBe('09');

    // a new name, the same zone: the schedules stay as they are (an older DTSTART, put here, stays too)
    await pool.query(`UPDATE schedules SET anchor_at = anchor_at - interval '7 days' WHERE rule_id = $1`, [
      follows.id,
    ]);
    const kept = await row(follows.id);
    const renamed = await publish('helpdesk.identity.tenant_updated', tenantId, {
      ...data,
      name: 'Zoned MSP 2',
    });
    await waitFor('the rename handled', async () => {
      const { rows } = await pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [renamed.id]);
      return rows.length === 1;
    });
    expect(await row(follows.id)).toEqual(kept);

    await publish('helpdesk.identity.tenant_updated', tenantId, { ...data, timezone: 'America/New_York' });
    await waitFor('the zone followed', async () => (await row(follows.id)).timezone === 'America/New_York');
    expect(hourIn('America/New_York', (await row(follows.id)).next_at)).toBe('09');
    expect(await row(tokyo.id)).toMatchObject({ timezone: 'Asia/Tokyo' });
    expect(hourIn('Asia/Tokyo', (await row(tokyo.id)).next_at)).toBe('09');

    // an event from before the last one (delivered late): the newer zone stays
    const late = {
      ...createEnvelope({
        type: 'helpdesk.identity.tenant_updated',
        tenantId,
        data: { ...data, timezone: 'Asia/Kolkata' },
      }),
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    await bus.js.publish(bus.subject(late.type), JSON.stringify(late), { msgID: late.id });
    await waitFor('the late event handled', async () => {
      const { rows } = await pool.query('SELECT 1 FROM inbox WHERE event_id = $1', [late.id]);
      return rows.length === 1;
    });
    expect((await row(follows.id)).timezone).toBe('America/New_York');
    const { rows } = await pool.query<{ timezone: string }>('SELECT timezone FROM tenants WHERE id = $1', [
      tenantId,
    ]);
    expect(rows[0]!.timezone).toBe('America/New_York');
  });
});
