// The clocks end to end: ticket events on the real JetStream move them, timers raise warnings and breaches from
// PostgreSQL, events leave through the outbox. Targets are 24×7 minutes and tickets are opened in the past, so
// that due times fall seconds after a test starts; nothing asserts how fast, only what happened and how often.
import { randomUUID } from 'node:crypto';
import type { ticketV1 } from '@helpdesk/contracts';
import type { RunningSlaService } from '../src/sla-service';
import {
  MINUTE,
  ago,
  next,
  startHarness,
  ticket,
  waitFor,
  type Harness,
  type OutboxEvent,
  type SlaClient,
} from './support/harness';
import { testPolicy } from './support/requests';

let h: Harness;
let client: SlaClient;
let service: RunningSlaService;
const tenantId = randomUUID();
let policyId = '';

beforeAll(async () => {
  h = await startHarness('slaclk');
  ({ client, service } = await h.start());
  const { policy } = await client.createPolicy(testPolicy(tenantId));
  policyId = policy!.id;
});

afterAll(async () => {
  await h?.stop();
});

const slaOf = (ticketId: string) => client.getTicketSla({ tenantId, ticketId }).then((r) => r.sla!);

async function eventsOf(ticketId: string): Promise<OutboxEvent[]> {
  return (await h.outbox(tenantId)).filter((e) => e.data.ticketId === ticketId);
}

// proto JSON leaves out the empty target of `updated`
const kinds = (events: OutboxEvent[]) =>
  events.map((e) => `${e.type.replace('helpdesk.sla.', '')}:${e.data.target ?? ''}`);

/** Creates a `SlaTest` ticket opened `openedMsAgo` ago and waits until the SLA service has it. */
async function open(over: Partial<ticketV1.Ticket>, openedMsAgo: number): Promise<ticketV1.Ticket> {
  const t = ticket({ tenantId, type: 'SlaTest', openedAt: ago(openedMsAgo), ...over });
  await h.publishTicketEvent('helpdesk.ticket.created', t);
  await waitFor('clocks of the new ticket', () => slaOf(t.id).catch(() => undefined));
  return t;
}

async function change(
  t: ticketV1.Ticket,
  at: Date,
  over: Partial<ticketV1.Ticket>,
): Promise<ticketV1.Ticket> {
  const changed = next(t, at, over);
  await h.publishTicketEvent('helpdesk.ticket.updated', changed);
  await waitFor(`version ${changed.version} applied`, async () => {
    const { rows } = await h.pool.query<{ version: number }>('SELECT version FROM tickets WHERE id = $1', [
      t.id,
    ]);
    return rows[0]?.version === changed.version;
  });
  return changed;
}

describe('SLA clocks through events and timers', () => {
  it('warns and breaches from timers, each exactly once, and publishes them on HELPDESK_SLA', async () => {
    // critical: 1 minute to first response, 2 to resolution, warning at 50 %; opened 55 s ago → the first-response
    // warning at once, its breach and the resolution warning in ~5 s
    const t = await open({ priority: 'critical' }, 55_000);
    const breached = await waitFor('first-response breach', async () => {
      const sla = await slaOf(t.id);
      return sla.firstResponse?.state === 'breached' && sla;
    });
    expect(breached.firstResponse?.breachedAt?.toISOString()).toBe(
      new Date(t.openedAt!.getTime() + MINUTE).toISOString(),
    );
    expect(breached.policyId).toBe(policyId);
    await waitFor('events relayed', async () => {
      const { rows } = await h.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL');
      return rows.length === 0;
    });
    const events = await eventsOf(t.id);
    expect(kinds(events)).toEqual([
      'updated:',
      'warning:first_response',
      'breached:first_response',
      'warning:resolution',
    ]);
    expect(events.map((e) => e.data.sequence)).toEqual([1, 2, 3, 4]);
    // the warning event carries the warning flag; the breach event the breached state
    expect(events[1]!.data.sla).toMatchObject({ warning: true });
    expect(events[2]!.data.sla).toMatchObject({ firstResponse: { state: 'breached' } });
    // the same events went out on the stream, once each
    const stream = await h.bus.jsm.streams.info(h.bus.streamName('sla'));
    expect(stream.state.messages).toBeGreaterThanOrEqual(4);
  });

  it('pauses while waiting on the customer and moves the due time out by the time paused', async () => {
    // medium: 60 / 120 minutes; opened 25 min ago, paused 15 min ago, resumed 5 min ago → 10 min paused
    let t = await open({ priority: 'medium' }, 25 * MINUTE);
    const opened = t.openedAt!.getTime();
    t = await change(t, new Date(opened + 10 * MINUTE), { status: 'waiting_on_customer' });
    const paused = await slaOf(t.id);
    expect(paused.firstResponse?.state).toBe('paused');
    expect(paused.resolution?.state).toBe('paused');
    expect(paused.resolutionDueAt).toBeUndefined();
    t = await change(t, new Date(opened + 20 * MINUTE), { status: 'open' });
    const resumed = await slaOf(t.id);
    expect(resumed.resolution?.state).toBe('running');
    expect(resumed.resolutionDueAt?.getTime()).toBe(opened + 120 * MINUTE + 10 * MINUTE);
    expect(resumed.firstResponseDueAt?.getTime()).toBe(opened + 60 * MINUTE + 10 * MINUTE);
    expect(kinds(await eventsOf(t.id))).toEqual(['updated:', 'updated:', 'updated:']);
  });

  it('meets the first response at the first agent reply and then stops it', async () => {
    let t = await open({ priority: 'medium' }, 5 * MINUTE);
    const replied = new Date(t.openedAt!.getTime() + 2 * MINUTE);
    t = await change(t, replied, {
      firstRespondedAt: replied,
      lastAgentReplyAt: replied,
      status: 'waiting_on_customer',
    });
    const sla = await slaOf(t.id);
    expect(sla.firstResponse).toMatchObject({ state: 'met', metAt: replied });
    expect(sla.resolution?.state).toBe('paused');
    const events = await eventsOf(t.id);
    expect(kinds(events)).toEqual(['updated:', 'met:first_response']);
    // the reports' first response in business minutes (24×7 policy: the 2 minutes themselves)
    expect(
      events.map((e) => (e.data as { firstResponseBusinessMinutes?: number }).firstResponseBusinessMinutes),
    ).toEqual([undefined, 2]);
  });

  it('escalates on a priority change with the business time already used', async () => {
    // medium (60 min) opened 31 min ago; high allows 45 → due at opened + 45 min
    let t = await open({ priority: 'medium' }, 31 * MINUTE);
    const opened = t.openedAt!.getTime();
    t = await change(t, new Date(opened + 29 * MINUTE), { priority: 'high' });
    expect((await slaOf(t.id)).firstResponseDueAt?.getTime()).toBe(opened + 45 * MINUTE);
    // critical allows 1 minute: already used up, breached at the moment of the change
    const escalatedAt = new Date(opened + 30 * MINUTE);
    t = await change(t, escalatedAt, { priority: 'critical' });
    const sla = await slaOf(t.id);
    expect(sla.firstResponse).toMatchObject({ state: 'breached', breachedAt: escalatedAt });
    expect(sla.resolution).toMatchObject({ state: 'breached', breachedAt: escalatedAt });
    // half the medium first-response target was used when the ticket arrived: its warning came at once
    expect(kinds(await eventsOf(t.id))).toEqual([
      'updated:',
      'warning:first_response',
      'updated:',
      'breached:first_response',
      'breached:resolution',
    ]);
  });

  it("takes the new client's policy when the ticket moves to another client, with the business time already used", async () => {
    const targets = (firstResponseMinutes: number, resolutionMinutes: number) => {
      const t = { firstResponseMinutes, resolutionMinutes };
      return { critical: t, high: t, medium: t, low: t };
    };
    const none = { clientIds: [], priorities: [], types: [] };
    const { policy: gold } = await client.createPolicy(
      testPolicy(tenantId, { name: 'Gold', targets: targets(40, 80), match: none }),
    );
    const { policy: silver } = await client.createPolicy(
      testPolicy(tenantId, { name: 'Silver', targets: targets(90, 180), match: none }),
    );
    const [acme, globex] = [randomUUID(), randomUUID()];
    await h.publishClient({ id: acme, tenantId, slaPolicyId: gold!.id, version: 1 });
    await h.publishClient({ id: globex, tenantId, slaPolicyId: silver!.id, version: 1 });

    // a SlaTest ticket: the client's policy wins over the type match
    let t = await open({ priority: 'medium', clientId: acme }, 30 * MINUTE);
    const opened = t.openedAt!.getTime();
    expect(await slaOf(t.id)).toMatchObject({ policyId: gold!.id });
    expect((await slaOf(t.id)).firstResponseDueAt?.getTime()).toBe(opened + 40 * MINUTE);

    // moved 25 minutes in: Silver's targets from the opening, not from the move
    t = await change(t, new Date(opened + 25 * MINUTE), { clientId: globex });
    const moved = await slaOf(t.id);
    expect(moved.policyId).toBe(silver!.id);
    expect(moved.firstResponseDueAt?.getTime()).toBe(opened + 90 * MINUTE);
    expect(moved.resolutionDueAt?.getTime()).toBe(opened + 180 * MINUTE);

    // to no client: the type match again, still counted from the opening
    t = await change(t, new Date(opened + 28 * MINUTE), { clientId: '' });
    const loose = await slaOf(t.id);
    expect(loose.policyId).toBe(policyId);
    expect(loose.firstResponseDueAt?.getTime()).toBe(opened + 60 * MINUTE);
    expect(loose.resolutionDueAt?.getTime()).toBe(opened + 120 * MINUTE);
  });

  it('resets both clocks from now, taking the ticket the gateway read', async () => {
    const t = await open({ priority: 'critical' }, 10 * MINUTE);
    await waitFor('breach', async () => (await slaOf(t.id)).resolution?.state === 'breached');
    // the gateway passes the ticket as the ticket service answered it: newer than any event the SLA service saw
    const lowered = next(t, new Date(), { priority: 'low' });
    const before = Date.now();
    const { sla } = await client.resetTicketSla({
      tenantId,
      actor: undefined,
      ticketId: t.id,
      ticket: lowered,
    });
    expect(sla?.firstResponse).toMatchObject({ state: 'running' });
    expect(sla?.resolution).toMatchObject({ state: 'running' });
    expect(sla?.firstResponse?.breachedAt).toBeUndefined();
    const due = sla!.resolutionDueAt!.getTime();
    expect(due).toBeGreaterThanOrEqual(before + 120 * MINUTE);
    expect(due).toBeLessThanOrEqual(Date.now() + 120 * MINUTE);
    expect(kinds(await eventsOf(t.id)).slice(-1)).toEqual(['updated:']);
    // another tenant cannot reset it
    const foreign = await client
      .resetTicketSla({ tenantId: randomUUID(), actor: undefined, ticketId: t.id })
      .catch((e: { code: string }) => e.code);
    expect(foreign).toBe('NOT_FOUND');
  });

  it('resumes the resolution clock on reopen with the time it had used', async () => {
    let t = await open({ priority: 'medium' }, 40 * MINUTE);
    const opened = t.openedAt!.getTime();
    const resolvedAt = new Date(opened + 30 * MINUTE);
    t = await change(t, resolvedAt, { status: 'resolved', resolvedAt });
    expect((await slaOf(t.id)).resolution).toMatchObject({ state: 'met', metAt: resolvedAt });
    t = await change(t, new Date(opened + 40 * MINUTE), { status: 'open' });
    const sla = await slaOf(t.id);
    expect(sla.resolution).toMatchObject({ state: 'running' });
    expect(sla.resolution?.metAt).toBeUndefined();
    // 30 of 120 minutes used before the resolution; the 10 minutes resolved do not count
    expect(sla.resolutionDueAt?.getTime()).toBe(opened + 40 * MINUTE + 90 * MINUTE);
  });

  it('ignores a version of a ticket it has already applied, whatever that one says', async () => {
    const t = await open({ priority: 'medium' }, MINUTE);
    const v2 = await change(t, new Date(), { status: 'waiting_on_customer' });
    await h.publishTicketEvent('helpdesk.ticket.updated', next(t, new Date(), { status: 'open' }));
    await h.publishTicketEvent('helpdesk.ticket.updated', v2);
    await new Promise((r) => setTimeout(r, 500));
    expect((await slaOf(t.id)).resolution?.state).toBe('paused');
  });
});

describe('timers across restarts and replicas', () => {
  /** N critical tickets whose first responses fall due over the next few seconds. */
  async function dueSoon(n: number, firstInMs: number, spacingMs: number): Promise<ticketV1.Ticket[]> {
    const tickets = Array.from({ length: n }, (_, i) =>
      ticket({
        tenantId,
        type: 'SlaTest',
        priority: 'critical',
        // 2 minutes to resolution, so only the first response falls due during the test
        openedAt: ago(MINUTE - firstInMs - i * spacingMs),
        number: 2000 + i,
      }),
    );
    for (const t of tickets) await h.publishTicketEvent('helpdesk.ticket.created', t);
    return tickets;
  }

  async function breachCounts(tickets: ticketV1.Ticket[]): Promise<number[]> {
    const all = await h.outbox(tenantId);
    return tickets.map(
      (t) =>
        all.filter(
          (e) =>
            e.data.ticketId === t.id &&
            e.type === 'helpdesk.sla.breached' &&
            e.data.target === 'first_response',
        ).length,
    );
  }

  async function allBreachedOnce(tickets: ticketV1.Ticket[]): Promise<void> {
    await waitFor('every first response breached', async () =>
      (await breachCounts(tickets)).every((n) => n >= 1),
    );
    // a double would have been written by now: the timers ran past every due time
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await breachCounts(tickets)).toEqual(tickets.map(() => 1));
    for (const t of tickets) {
      expect((await slaOf(t.id)).firstResponse?.state).toBe('breached');
    }
  }

  it('loses no breach and doubles none when the service restarts while clocks run', async () => {
    const tickets = await dueSoon(24, 2_000, 250);
    await waitFor('all clocks running', async () => {
      const { rows } = await h.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM tickets WHERE id = ANY($1::uuid[])',
        [tickets.map((t) => t.id)],
      );
      return Number(rows[0]!.n) === tickets.length;
    });
    // stop while some have fired and some have not; some fall due while it is down
    await waitFor('some breached', async () => (await breachCounts(tickets)).some((n) => n > 0));
    await service.stop();
    const down = await breachCounts(tickets);
    expect(down.some((n) => n === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    ({ client, service } = await h.start());
    await allBreachedOnce(tickets);
  });

  it('raises each breach once with two replicas on the same database', async () => {
    const second = await h.start();
    try {
      const tickets = await dueSoon(40, 2_000, 100);
      await allBreachedOnce(tickets);
    } finally {
      await second.service.stop();
    }
  });
});
