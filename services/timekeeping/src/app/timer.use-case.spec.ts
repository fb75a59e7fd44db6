import { domainFailure } from '@helpdesk/testing';
import type { TicketInfo } from '../domain/entry';
import {
  CountingNotifier,
  InMemoryTimeStore,
  SettableClock,
  sequentialIds,
} from '../../test/in-memory.fakes';
import { GetRunningTimerUseCase } from './get-running-timer.use-case';
import { StartTimerUseCase } from './start-timer.use-case';
import { StopTimerUseCase } from './stop-timer.use-case';
import type { Caller } from './support';

const tenantId = '11111111-1111-4111-8111-111111111111';
const agent: Caller = { userId: '22222222-2222-4222-8222-222222222222', admin: false };
const ticket = (n: number, over: Partial<TicketInfo> = {}): TicketInfo => ({
  tenantId,
  id: `33333333-3333-4333-8333-${String(n).padStart(12, '0')}`,
  number: 1000 + n,
  title: `Ticket ${n}`,
  clientId: '44444444-4444-4444-8444-444444444444',
  version: 1,
  ...over,
});

const failure = domainFailure;

function setup() {
  const store = new InMemoryTimeStore();
  const clock = new SettableClock();
  const outbox = new CountingNotifier();
  const deps = { uow: store, tickets: store, outbox, clock, ids: sequentialIds };
  return {
    store,
    clock,
    outbox,
    start: new StartTimerUseCase(deps),
    stop: new StopTimerUseCase(deps),
    running: new GetRunningTimerUseCase(store, clock),
  };
}

describe('timers', () => {
  it('starts a billable timer, then stops it into an entry with the same id', async () => {
    const { start, stop, clock, store, outbox } = setup();
    const { timer, stopped } = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(1),
      note: ' desk ',
      workType: null,
    });
    expect(stopped).toBeNull();
    expect(timer).toMatchObject({
      ticketId: ticket(1).id,
      billable: true,
      note: 'desk',
      elapsedMinutes: 0,
      ticketNumber: 1001,
    });

    clock.advanceMinutes(25);
    const entry = await stop.execute({
      tenantId,
      caller: agent,
      ticketId: ticket(1).id,
      note: 'replaced toner',
    });
    expect(entry).toMatchObject({
      id: timer.id,
      durationMinutes: 25,
      note: 'replaced toner',
      billable: true,
      flagged: false,
      source: 'timer',
      clientId: ticket(1).clientId,
    });
    expect(store.events.map((e) => [e.type, e.state])).toEqual([
      ['helpdesk.time.timer_started', { sequence: 1, totalMinutes: 0 }],
      ['helpdesk.time.timer_stopped', { sequence: 2, totalMinutes: 25 }],
    ]);
    expect(outbox.nudges).toBe(2);
  });

  it('stops and logs the running timer when another starts, in one transaction', async () => {
    const { start, clock, store, running } = setup();
    const first = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(1),
      note: '',
      workType: 'remote',
    });
    clock.advanceMinutes(40);
    const second = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(2),
      note: '',
      workType: null,
      billable: false,
    });
    expect(second.stopped).toMatchObject({
      id: first.timer.id,
      ticketId: ticket(1).id,
      durationMinutes: 40,
      workType: 'remote',
    });
    expect(second.timer).toMatchObject({ ticketId: ticket(2).id, billable: false });
    expect((await running.execute({ tenantId, userId: agent.userId! }))?.id).toBe(second.timer.id);
    expect(store.events.map((e) => [e.type, e.ticketId, e.state.sequence, e.state.totalMinutes])).toEqual([
      ['helpdesk.time.timer_started', ticket(1).id, 1, 0],
      ['helpdesk.time.timer_stopped', ticket(1).id, 2, 40],
      ['helpdesk.time.timer_started', ticket(2).id, 1, 0],
    ]);
  });

  it('answers the running timer unchanged when its own ticket is started again', async () => {
    const { start, clock, store } = setup();
    const first = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(1),
      note: 'first',
      workType: null,
    });
    clock.advanceMinutes(5);
    const again = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(1),
      note: 'second',
      workType: null,
    });
    expect(again).toEqual({ timer: { ...first.timer, elapsedMinutes: 5 }, stopped: null });
    expect(store.state.entries.size).toBe(0);
    expect(store.events).toHaveLength(1);
  });

  it('answers 409 (FAILED_PRECONDITION) when nothing runs or the timer runs on another ticket', async () => {
    const { start, stop, store } = setup();
    const none = await failure(stop.execute({ tenantId, caller: agent, ticketId: ticket(1).id }));
    expect(none.code).toBe('FAILED_PRECONDITION');
    expect(none.details).toEqual({ reason: 'no_running_timer' });

    await start.execute({ tenantId, caller: agent, ticket: ticket(2), note: '', workType: null });
    const other = await failure(stop.execute({ tenantId, caller: agent, ticketId: ticket(1).id }));
    expect(other.code).toBe('FAILED_PRECONDITION');
    expect(other.message).toContain('#1002');
    expect(store.state.timers.size).toBe(1);
  });

  it('flags a timer left running over 12 hours, in the running view and in the stop reply', async () => {
    const { start, stop, clock, running } = setup();
    await start.execute({ tenantId, caller: agent, ticket: ticket(1), note: '', workType: null });
    clock.advanceMinutes(12 * 60 + 30);
    expect(await running.execute({ tenantId, userId: agent.userId! })).toMatchObject({
      flagged: true,
      flagReason: 'timer_over_12h',
      elapsedMinutes: 750,
    });
    const entry = await stop.execute({ tenantId, caller: agent, ticketId: ticket(1).id, billable: true });
    expect(entry).toMatchObject({
      flagged: true,
      flagReason: 'timer_over_12h',
      billable: false,
      durationMinutes: 750,
    });
  });

  it('retries a start that lost the race for the one-timer-per-user key, stopping the winner', async () => {
    const { start, store } = setup();
    await store.record(ticket(9));
    let raced = false;
    store.beforeTimerInsert = () => {
      if (raced) return;
      raced = true;
      // another replica committed a start of the same user in the meantime
      store.state.timers.set(`${tenantId}/${agent.userId}`, {
        id: '55555555-5555-4555-8555-555555555555',
        tenantId,
        userId: agent.userId!,
        ticketId: ticket(9).id,
        startedAt: new Date('2026-03-10T07:50:00.000Z'),
        note: '',
        billable: true,
        workType: null,
      });
    };
    const result = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(1),
      note: '',
      workType: null,
    });
    expect(result.stopped).toMatchObject({ id: '55555555-5555-4555-8555-555555555555', durationMinutes: 10 });
    expect([...store.state.timers.values()].map((t) => t.id)).toEqual([result.timer.id]);
  });

  it('keeps the newest ticket copy and refuses principals that are not users', async () => {
    const { start, store } = setup();
    await store.record(ticket(1, { version: 5, title: 'Newer title' }));
    const { timer } = await start.execute({
      tenantId,
      caller: agent,
      ticket: ticket(1, { version: 3 }),
      note: '',
      workType: null,
    });
    expect(timer.ticketTitle).toBe('Newer title');
    const apiKey = await failure(
      start.execute({
        tenantId,
        caller: { userId: null, admin: false },
        ticket: ticket(1),
        note: '',
        workType: null,
      }),
    );
    expect(apiKey.code).toBe('PERMISSION_DENIED');
  });
});
