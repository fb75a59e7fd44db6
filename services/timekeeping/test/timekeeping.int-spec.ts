// The timekeeping service in-process (real gRPC server on port 0) against real PostgreSQL and NATS JetStream,
// in a database and a BUS_PREFIX of its own. Ticket events are published here the way the ticket service
// publishes them (docs/product/events.md envelopes of ticketEventsV1 messages on the real bus).
import { randomUUID } from 'node:crypto';
import { connectBus, createEnvelope, envelopeSchema, type Bus, type EventEnvelope } from '@helpdesk/bus';
import { commonV1, ticketEventsV1, ticketV1, timekeepingEventsV1, timekeepingV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import { createLogger } from '@helpdesk/platform';
import {
  inProcessServiceEnv,
  NATS_URL,
  createTestDatabase,
  deletePrefixedStreams,
  domainFailure,
  waitFor,
  uniquePrefix,
  type TestDatabase,
} from '@helpdesk/testing';
import type { Msg } from 'nats';
import { timekeepingConfigSchema } from '../src/config';
import { buildTimekeepingService, type RunningTimekeepingService } from '../src/timekeeping-service';

type Client = PromiseClient<timekeepingV1.TimekeepingServiceClient>;

const userCaller = (userId: string, admin = false): timekeepingV1.Caller => ({
  actor: { type: commonV1.ActorType.ACTOR_TYPE_USER, id: userId },
  admin,
});

interface TestTicket {
  tenantId: string;
  id: string;
  number: number;
  title: string;
  clientId: string;
  version: number;
}

function newTicket(tenantId: string, number: number, over: Partial<TestTicket> = {}): TestTicket {
  return {
    tenantId,
    id: randomUUID(),
    number,
    title: `Ticket ${number}`,
    clientId: randomUUID(),
    version: 1,
    ...over,
  };
}

const snapshot = (t: TestTicket): timekeepingV1.TicketSnapshot => ({
  id: t.id,
  number: t.number,
  title: t.title,
  clientId: t.clientId,
  version: t.version,
});

const failure = domainFailure;

describe('timekeeping service (gRPC, PostgreSQL, NATS)', () => {
  const prefix = uniquePrefix('tm');
  let db: TestDatabase;
  let service: RunningTimekeepingService;
  let client: Client;
  let observer: Bus;
  const published: EventEnvelope[] = [];
  const msgIds: string[] = [];

  const config = () =>
    timekeepingConfigSchema.parse({
      ...inProcessServiceEnv(db.url, prefix),
    });

  async function startService(): Promise<void> {
    service = await buildTimekeepingService(config());
    client = createGrpcClient(timekeepingV1.TimekeepingServiceClient, `127.0.0.1:${service.grpcPort}`);
    await service.ticketEvents.ready;
  }

  async function stopService(): Promise<void> {
    client?.close();
    await service?.stop();
  }

  beforeAll(async () => {
    db = await createTestDatabase('timekeeping');
    observer = await connectBus({
      servers: NATS_URL,
      prefix,
      name: 'timekeeping-int-spec',
      logger: createLogger('timekeeping-test', 'silent'),
    });
    await observer.ensureStream('ticket');
    // a plain subscription sees every publish of the relay
    observer.nc.subscribe(`${prefix}.helpdesk.time.>`, {
      callback: (_err, msg: Msg) => {
        published.push(envelopeSchema.parse(JSON.parse(new TextDecoder().decode(msg.data))) as EventEnvelope);
        msgIds.push(msg.headers?.get('Nats-Msg-Id') ?? '');
      },
    });
    await startService();
  });

  afterAll(async () => {
    await stopService();
    await observer?.close();
    await deletePrefixedStreams(prefix);
    await db?.drop();
  });

  const eventsOfTicket = (ticketId: string) =>
    published.filter((e) => (e.data as { ticketId?: string }).ticketId === ticketId);

  /** Publishes a ticket event as the ticket service does: the whole ticket after the change. */
  async function publishTicketEvent(type: string, t: TestTicket): Promise<void> {
    const ticket = ticketV1.Ticket.fromPartial({
      id: t.id,
      tenantId: t.tenantId,
      number: t.number,
      title: t.title,
      clientId: t.clientId,
      version: t.version,
      status: 'open',
      priority: 'medium',
    });
    const actor = { type: commonV1.ActorType.ACTOR_TYPE_USER, id: randomUUID() };
    const data =
      type === 'helpdesk.ticket.created'
        ? ticketEventsV1.TicketCreatedEvent.toJSON({ ticket, actor })
        : ticketEventsV1.TicketUpdatedEvent.toJSON({ ticket, actor, changes: [] });
    const envelope = createEnvelope({ type, tenantId: t.tenantId, data });
    await observer.js.publish(observer.subject(type), JSON.stringify(envelope), { msgID: envelope.id });
  }

  async function ticketCopy(tenantId: string, id: string) {
    return service.prisma.trackedTicket.findUnique({ where: { tenantId_id: { tenantId, id } } });
  }

  describe('timers', () => {
    const tenantId = randomUUID();
    const user = randomUUID();
    const t1 = newTicket(tenantId, 1001);
    const t2 = newTicket(tenantId, 1002);

    it('switches timers atomically: starting another stops and logs the first', async () => {
      const first = await client.startTimer({
        tenantId,
        caller: userCaller(user),
        ticket: snapshot(t1),
        note: 'vpn',
        workType: '',
      });
      expect(first.stopped).toBeUndefined();
      expect(first.timer).toMatchObject({
        ticketId: t1.id,
        userId: user,
        billable: true,
        note: 'vpn',
        ticketNumber: 1001,
      });

      // the first timer ran 25 minutes
      await service.prisma
        .$executeRaw`UPDATE running_timers SET started_at = started_at - interval '25 minutes' WHERE user_id = ${user}::uuid`;
      const second = await client.startTimer({
        tenantId,
        caller: userCaller(user),
        ticket: snapshot(t2),
        note: '',
        workType: 'onsite',
        billable: false,
      });
      expect(second.stopped).toMatchObject({
        id: first.timer!.id,
        ticketId: t1.id,
        durationMinutes: 25,
        source: 'timer',
      });
      expect(second.timer).toMatchObject({ ticketId: t2.id, billable: false, workType: 'onsite' });
      expect(await service.prisma.runningTimer.count({ where: { tenantId, userId: user } })).toBe(1);
      expect((await client.getRunningTimer({ tenantId, userId: user })).timer?.id).toBe(second.timer!.id);
    });

    it('publishes the time events with the ticket total and a growing per-ticket sequence', async () => {
      const ofT1 = await waitFor('both events of ticket 1', () =>
        eventsOfTicket(t1.id).length >= 2 ? eventsOfTicket(t1.id) : undefined,
      );
      expect(ofT1.map((e) => e.type)).toEqual(['helpdesk.time.timer_started', 'helpdesk.time.timer_stopped']);
      for (const e of ofT1) {
        expect(e).toMatchObject({ version: 1, tenantId });
        expect(msgIds[published.indexOf(e)]).toBe(e.id);
      }
      const started = timekeepingEventsV1.TimerStartedEvent.fromJSON(ofT1[0]!.data);
      const stopped = timekeepingEventsV1.TimerStoppedEvent.fromJSON(ofT1[1]!.data);
      expect(started).toMatchObject({ ticketId: t1.id, ticketTimeSpentMinutes: 0, sequence: 1 });
      expect(started.actor).toEqual({ type: commonV1.ActorType.ACTOR_TYPE_USER, id: user });
      expect(stopped).toMatchObject({ ticketId: t1.id, ticketTimeSpentMinutes: 25, sequence: 2 });
      expect(stopped.entry).toMatchObject({ durationMinutes: 25, clientId: t1.clientId });
      const ofT2 = await waitFor('the start on ticket 2', () => eventsOfTicket(t2.id)[0]);
      expect(timekeepingEventsV1.TimerStartedEvent.fromJSON(ofT2.data)).toMatchObject({
        sequence: 1,
        ticketTimeSpentMinutes: 0,
      });
    });

    it('answers FAILED_PRECONDITION (409) when no timer runs, or it runs on another ticket', async () => {
      const other = await failure(client.stopTimer({ tenantId, caller: userCaller(user), ticketId: t1.id }));
      expect(other.code).toBe('FAILED_PRECONDITION');
      expect(other.details).toMatchObject({
        reason: 'timer_on_other_ticket',
        ticketId: t2.id,
        ticketNumber: 1002,
      });
      const stopped = await client.stopTimer({
        tenantId,
        caller: userCaller(user),
        ticketId: t2.id,
        note: 'done',
      });
      expect(stopped.entry).toMatchObject({
        ticketId: t2.id,
        note: 'done',
        billable: false,
        durationMinutes: 1,
      });
      const none = await failure(client.stopTimer({ tenantId, caller: userCaller(user), ticketId: t2.id }));
      expect(none.code).toBe('FAILED_PRECONDITION');
      expect(none.details).toEqual({ reason: 'no_running_timer' });
      expect((await client.getRunningTimer({ tenantId, userId: user })).timer).toBeUndefined();
    });

    it('keeps one running timer per user when starts race', async () => {
      const racer = randomUUID();
      const tickets = Array.from({ length: 8 }, (_, i) => newTicket(tenantId, 2000 + i));
      const results = await Promise.all(
        tickets.map((t) =>
          client.startTimer({
            tenantId,
            caller: userCaller(racer),
            ticket: snapshot(t),
            note: '',
            workType: '',
          }),
        ),
      );
      const running = await service.prisma.runningTimer.findMany({ where: { tenantId, userId: racer } });
      expect(running).toHaveLength(1);
      // every other start was stopped and logged exactly once
      const logged = await service.prisma.timeEntry.findMany({ where: { tenantId, userId: racer } });
      expect(logged).toHaveLength(tickets.length - 1);
      expect(new Set([...logged.map((e) => e.id), running[0]!.id])).toEqual(
        new Set(results.map((r) => r.timer!.id)),
      );
    });

    it('refuses a principal that is not a user', async () => {
      const apiKey = await failure(
        client.startTimer({
          tenantId,
          caller: { actor: { type: commonV1.ActorType.ACTOR_TYPE_API_KEY, id: 'key-1' }, admin: false },
          ticket: snapshot(t1),
          note: '',
          workType: '',
        }),
      );
      expect(apiKey.code).toBe('PERMISSION_DENIED');
      const invalid = await failure(
        client.startTimer({ tenantId, caller: userCaller(user), note: '', workType: '' }),
      );
      expect(invalid.code).toBe('INVALID_ARGUMENT');
    });
  });

  describe('a running timer across a restart', () => {
    const tenantId = randomUUID();
    const user = randomUUID();
    const ticket = newTicket(tenantId, 1001);

    it('survives a restart of the service, and after 12 hours is logged flagged and non-billable', async () => {
      const { timer } = await client.startTimer({
        tenantId,
        caller: userCaller(user),
        ticket: snapshot(ticket),
        note: 'forgot it',
        workType: '',
      });
      await stopService();
      await startService();
      const afterRestart = await client.getRunningTimer({ tenantId, userId: user });
      expect(afterRestart.timer).toMatchObject({
        id: timer!.id,
        ticketId: ticket.id,
        note: 'forgot it',
        flagged: false,
      });

      // it was left running overnight: 13 hours
      await service.prisma
        .$executeRaw`UPDATE running_timers SET started_at = now() - interval '13 hours' WHERE user_id = ${user}::uuid`;
      expect((await client.getRunningTimer({ tenantId, userId: user })).timer).toMatchObject({
        flagged: true,
        flagReason: 'timer_over_12h',
        elapsedMinutes: 780,
      });
      const { entry } = await client.stopTimer({
        tenantId,
        caller: userCaller(user),
        ticketId: ticket.id,
        billable: true,
      });
      expect(entry).toMatchObject({
        id: timer!.id,
        flagged: true,
        flagReason: 'timer_over_12h',
        billable: false,
        durationMinutes: 780,
      });

      const report = await client.getTimeReport({ tenantId, groupBy: 'user' });
      expect(report.rows).toEqual([
        { key: user, billableMinutes: 0, nonBillableMinutes: 780, flaggedMinutes: 780 },
      ]);
      expect(report.flaggedCount).toBe(1);
      expect(report.flagged.map((e) => e.id)).toEqual([timer!.id]);

      // reviewed: the admin confirms the real 2 hours as billable, which clears the flag
      const reviewed = await client.updateEntry({
        tenantId,
        caller: userCaller(randomUUID(), true),
        id: timer!.id,
        durationMinutes: 120,
        billable: true,
      });
      expect(reviewed.entry).toMatchObject({
        flagged: false,
        flagReason: '',
        billable: true,
        durationMinutes: 120,
        version: 2,
      });
      expect((await client.getTimeReport({ tenantId, groupBy: 'user' })).flaggedCount).toBe(0);
    });
  });

  describe('manual entries', () => {
    const tenantId = randomUUID();
    const alice = randomUUID();
    const bob = randomUUID();
    const admin = randomUUID();
    const ticket = newTicket(tenantId, 1001);
    const base = {
      tenantId,
      caller: userCaller(alice),
      userId: '',
      ticket: snapshot(ticket),
      note: '',
      workType: '',
    };

    it('logs start and end or a duration, billable by default, and refuses absurd spans with a reason', async () => {
      const { entry } = await client.createEntry({
        ...base,
        startedAt: new Date('2026-03-02T09:00:00Z'),
        endedAt: new Date('2026-03-02T10:30:00Z'),
        note: 'switch config',
        workType: 'remote',
      });
      expect(entry).toMatchObject({
        durationMinutes: 90,
        billable: true,
        source: 'manual',
        userId: alice,
        clientId: ticket.clientId,
        ticketNumber: 1001,
        version: 1,
      });
      const bare = await client.createEntry({ ...base, durationMinutes: 15, billable: false });
      expect(bare.entry).toMatchObject({ durationMinutes: 15, billable: false });
      expect(Math.abs(bare.entry!.endedAt!.getTime() - Date.now())).toBeLessThan(10_000);

      for (const [input, reason] of [
        [
          { startedAt: new Date('2026-03-02T10:00:00Z'), endedAt: new Date('2026-03-02T09:00:00Z') },
          /after startedAt/,
        ],
        [{ durationMinutes: -5 }, /at least one minute/],
        [{ durationMinutes: 24 * 60 + 1 }, /at most 1440/],
        [{}, /give startedAt and endedAt/],
      ] as const) {
        const err = await failure(client.createEntry({ ...base, ...input }));
        expect(err.code).toBe('INVALID_ARGUMENT');
        expect(err.message).toMatch(reason);
      }
      expect(await service.prisma.timeEntry.count({ where: { tenantId } })).toBe(2);
    });

    it('lets the entry user or an admin change and delete it, with the version checked', async () => {
      const { entry } = await client.createEntry({ ...base, durationMinutes: 30 });
      const byBob = await failure(
        client.updateEntry({ tenantId, caller: userCaller(bob), id: entry!.id, note: 'x' }),
      );
      expect(byBob.code).toBe('PERMISSION_DENIED');
      const changed = await client.updateEntry({
        tenantId,
        caller: userCaller(alice),
        id: entry!.id,
        expectedVersion: 1,
        durationMinutes: 40,
      });
      expect(changed.entry).toMatchObject({ durationMinutes: 40, version: 2 });
      const stale = await failure(
        client.updateEntry({
          tenantId,
          caller: userCaller(admin, true),
          id: entry!.id,
          expectedVersion: 1,
          note: 'late',
        }),
      );
      expect(stale.code).toBe('CONFLICT');
      const backwards = await failure(
        client.updateEntry({
          tenantId,
          caller: userCaller(alice),
          id: entry!.id,
          endedAt: new Date('2000-01-01T00:00:00Z'),
        }),
      );
      expect(backwards.code).toBe('INVALID_ARGUMENT');
      expect(
        (await failure(client.deleteEntry({ tenantId, caller: userCaller(bob), id: entry!.id }))).code,
      ).toBe('PERMISSION_DENIED');
      const deleted = await client.deleteEntry({
        tenantId,
        caller: userCaller(admin, true),
        id: entry!.id,
        expectedVersion: 2,
      });
      expect(deleted.entry?.id).toBe(entry!.id);
      expect((await failure(client.getEntry({ tenantId, id: entry!.id }))).code).toBe('NOT_FOUND');

      const events = await waitFor('the delete event', () => {
        const all = eventsOfTicket(ticket.id);
        return all.some((e) => e.type === 'helpdesk.time.entry_deleted') ? all : undefined;
      });
      const sequences = events.map((e) => Number((e.data as { sequence: string | number }).sequence));
      expect(sequences).toEqual(sequences.map((_, i) => i + 1));
      const last = timekeepingEventsV1.EntryDeletedEvent.fromJSON(events.at(-1)!.data);
      // 90 + 15 remain after the 40-minute entry went
      expect(last.ticketTimeSpentMinutes).toBe(105);
    });

    it('keeps one tenant out of another tenant entries', async () => {
      const { entry } = await client.createEntry({ ...base, durationMinutes: 5 });
      const stranger = randomUUID();
      expect((await failure(client.getEntry({ tenantId: stranger, id: entry!.id }))).code).toBe('NOT_FOUND');
      expect(
        (
          await failure(
            client.updateEntry({
              tenantId: stranger,
              caller: userCaller(admin, true),
              id: entry!.id,
              note: 'x',
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      expect(
        (
          await failure(
            client.deleteEntry({ tenantId: stranger, caller: userCaller(admin, true), id: entry!.id }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      expect(
        (await client.listEntries({ tenantId: stranger, ticketId: '', clientId: '', userId: '' })).items,
      ).toEqual([]);
    });

    it('lists newest first with filters and cursor pages', async () => {
      const t = randomUUID();
      const other = newTicket(t, 1001);
      const mine = newTicket(t, 1002, { clientId: randomUUID() });
      const at = (d: string) => new Date(`2026-04-0${d}T09:00:00Z`);
      const log = (tk: TestTicket, userId: string, day: string, billable = true) =>
        client.createEntry({
          ...base,
          tenantId: t,
          caller: userCaller(userId),
          ticket: snapshot(tk),
          startedAt: at(day),
          durationMinutes: 10,
          billable,
        });
      await log(other, alice, '1');
      await log(mine, bob, '2', false);
      await log(mine, alice, '3');
      await log(other, alice, '4');
      const all = { tenantId: t, ticketId: '', clientId: '', userId: '' };
      const p1 = await client.listEntries({ ...all, page: { limit: 3, cursor: '' } });
      expect(p1.items.map((e) => e.startedAt)).toEqual([at('4'), at('3'), at('2')]);
      const p2 = await client.listEntries({ ...all, page: { limit: 3, cursor: p1.nextCursor } });
      expect(p2.items.map((e) => e.startedAt)).toEqual([at('1')]);
      expect(p2.nextCursor).toBe('');
      expect((await client.listEntries({ ...all, clientId: mine.clientId })).items).toHaveLength(2);
      expect((await client.listEntries({ ...all, userId: bob })).items).toHaveLength(1);
      expect((await client.listEntries({ ...all, ticketId: other.id })).items).toHaveLength(2);
      expect((await client.listEntries({ ...all, billable: false })).items.map((e) => e.userId)).toEqual([
        bob,
      ]);
      expect((await client.listEntries({ ...all, from: at('2'), to: at('4') })).items).toHaveLength(2);
    });
  });

  describe('reports and rounding', () => {
    const tenantId = randomUUID();
    const alice = randomUUID();
    const bob = randomUUID();
    const admin = userCaller(randomUUID(), true);
    const a = newTicket(tenantId, 1001);
    const b = newTicket(tenantId, 1002);

    it('reports minutes by client and by user with the tenant rounding applied to billable entries', async () => {
      const log = (t: TestTicket, userId: string, minutes: number, billable = true) =>
        client.createEntry({
          tenantId,
          caller: userCaller(userId),
          userId: '',
          ticket: snapshot(t),
          startedAt: new Date('2026-05-04T09:00:00Z'),
          durationMinutes: minutes,
          note: '',
          workType: '',
          billable,
        });
      await log(a, alice, 10);
      await log(a, bob, 50);
      await log(a, bob, 7, false);
      await log(b, alice, 16);
      // outside the period
      await client.createEntry({
        tenantId,
        caller: userCaller(alice),
        userId: '',
        ticket: snapshot(b),
        startedAt: new Date('2026-06-01T09:00:00Z'),
        durationMinutes: 60,
        note: '',
        workType: '',
      });

      const period = { from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') };
      const raw = await client.getTimeReport({ tenantId, groupBy: 'client', ...period });
      expect(raw.rounding).toEqual({ minutes: 0, mode: 'up' });
      expect(raw.totals).toMatchObject({ billableMinutes: 76, nonBillableMinutes: 7 });

      const settings = await client.updateTimeSettings({
        tenantId,
        caller: admin,
        roundingMinutes: 15,
        roundingMode: 'up',
      });
      expect(settings.settings).toMatchObject({ rounding: { minutes: 15, mode: 'up' }, version: 1 });
      const denied = await failure(
        client.updateTimeSettings({ tenantId, caller: userCaller(alice), roundingMinutes: 6 }),
      );
      expect(denied.code).toBe('PERMISSION_DENIED');

      const byClient = await client.getTimeReport({ tenantId, groupBy: 'client', ...period });
      const expected = [
        { key: a.clientId, billableMinutes: 15 + 60, nonBillableMinutes: 7, flaggedMinutes: 0 },
        { key: b.clientId, billableMinutes: 30, nonBillableMinutes: 0, flaggedMinutes: 0 },
      ].sort((x, y) => (x.key < y.key ? -1 : 1));
      expect(byClient.rows).toEqual(expected);
      const byUser = await client.getTimeReport({ tenantId, groupBy: 'user', ...period });
      expect(byUser.rows).toEqual(
        [
          { key: alice, billableMinutes: 15 + 30, nonBillableMinutes: 0, flaggedMinutes: 0 },
          { key: bob, billableMinutes: 60, nonBillableMinutes: 7, flaggedMinutes: 0 },
        ].sort((x, y) => (x.key < y.key ? -1 : 1)),
      );
      expect((await failure(client.getTimeReport({ tenantId, groupBy: 'team' }))).code).toBe(
        'INVALID_ARGUMENT',
      );
    });
  });

  describe('ticket copies from the ticket events', () => {
    const tenantId = randomUUID();
    const user = randomUUID();

    it('learns a ticket from helpdesk.ticket.created and keeps the newest version of it', async () => {
      const ticket = newTicket(tenantId, 1042, { title: 'Mail down' });
      await publishTicketEvent('helpdesk.ticket.created', ticket);
      expect(
        await waitFor('the ticket copy', () => ticketCopy(tenantId, ticket.id).then((r) => r ?? undefined)),
      ).toMatchObject({
        number: 1042,
        title: 'Mail down',
        clientId: ticket.clientId,
        version: 1,
      });

      const moved = { ...ticket, clientId: randomUUID(), title: 'Mail down (Exchange)', version: 3 };
      await publishTicketEvent('helpdesk.ticket.updated', moved);
      await waitFor('version 3', () =>
        ticketCopy(tenantId, ticket.id).then((r) => (r?.version === 3 ? r : undefined)),
      );
      // a late, older event changes nothing
      await publishTicketEvent('helpdesk.ticket.updated', { ...ticket, title: 'stale', version: 2 });
      const marker = newTicket(tenantId, 1043);
      await publishTicketEvent('helpdesk.ticket.created', marker);
      await waitFor('the marker ticket', () => ticketCopy(tenantId, marker.id).then((r) => r ?? undefined));
      expect(await ticketCopy(tenantId, ticket.id)).toMatchObject({
        title: 'Mail down (Exchange)',
        clientId: moved.clientId,
        version: 3,
      });

      // a command carrying an older snapshot (read before the change) does not win either
      const { entry } = await client.createEntry({
        tenantId,
        caller: userCaller(user),
        userId: '',
        ticket: snapshot(ticket),
        durationMinutes: 20,
        note: '',
        workType: '',
      });
      expect(entry).toMatchObject({ clientId: moved.clientId, ticketTitle: 'Mail down (Exchange)' });

      // the report follows the ticket's client when it changes later
      const later = { ...moved, clientId: randomUUID(), version: 4 };
      await publishTicketEvent('helpdesk.ticket.updated', later);
      await waitFor('version 4', () =>
        ticketCopy(tenantId, ticket.id).then((r) => (r?.version === 4 ? r : undefined)),
      );
      const report = await client.getTimeReport({ tenantId, groupBy: 'client' });
      expect(report.rows).toEqual([
        { key: later.clientId, billableMinutes: 20, nonBillableMinutes: 0, flaggedMinutes: 0 },
      ]);
      expect((await client.getEntry({ tenantId, id: entry!.id })).entry?.clientId).toBe(later.clientId);
    });

    it('never keeps a copy of a ticket of another tenant than the envelope names', async () => {
      const foreign = newTicket(randomUUID(), 7);
      const ticket = ticketV1.Ticket.fromPartial({ ...foreign, status: 'open' });
      const envelope = createEnvelope({
        type: 'helpdesk.ticket.created',
        tenantId,
        data: ticketEventsV1.TicketCreatedEvent.toJSON({
          ticket,
          actor: { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' },
        }),
      });
      await observer.js.publish(observer.subject(envelope.type), JSON.stringify(envelope), {
        msgID: envelope.id,
      });
      const marker = newTicket(tenantId, 1044);
      await publishTicketEvent('helpdesk.ticket.created', marker);
      await waitFor('the marker ticket', () => ticketCopy(tenantId, marker.id).then((r) => r ?? undefined));
      expect(await service.prisma.trackedTicket.count({ where: { id: foreign.id } })).toBe(0);
    });
  });
});
