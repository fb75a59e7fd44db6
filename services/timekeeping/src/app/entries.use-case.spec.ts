import { domainFailure } from '@helpdesk/testing';
import type { TicketInfo } from '../domain/entry';
import { CreateEntryUseCase } from './create-entry.use-case';
import { DeleteEntryUseCase } from './delete-entry.use-case';
import { GetEntryUseCase } from './get-entry.use-case';
import {
  CountingNotifier,
  InMemoryTimeStore,
  SettableClock,
  sequentialIds,
} from '../../test/in-memory.fakes';
import { ListEntriesUseCase } from './list-entries.use-case';
import { TimeReportUseCase } from './time-report.use-case';
import { GetTimeSettingsUseCase, UpdateTimeSettingsUseCase } from './time-settings.use-case';
import { UpdateEntryUseCase } from './update-entry.use-case';
import type { Caller } from './support';

const tenantId = '11111111-1111-4111-8111-111111111111';
const otherTenant = '99999999-9999-4999-8999-999999999999';
const alice: Caller = { userId: '22222222-2222-4222-8222-00000000000a', admin: false };
const bob: Caller = { userId: '22222222-2222-4222-8222-00000000000b', admin: false };
const admin: Caller = { userId: '22222222-2222-4222-8222-0000000000ad', admin: true };
const clientA = '44444444-4444-4444-8444-00000000000a';
const clientB = '44444444-4444-4444-8444-00000000000b';
const ticket = (n: number, over: Partial<TicketInfo> = {}): TicketInfo => ({
  tenantId,
  id: `33333333-3333-4333-8333-${String(n).padStart(12, '0')}`,
  number: 1000 + n,
  title: `Ticket ${n}`,
  clientId: clientA,
  version: 1,
  ...over,
});
const at = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00.000Z`);

const failure = domainFailure;

function setup() {
  const store = new InMemoryTimeStore();
  const clock = new SettableClock(at('18:00'));
  const outbox = new CountingNotifier();
  const deps = { uow: store, tickets: store, outbox, clock, ids: sequentialIds };
  const create = new CreateEntryUseCase(deps);
  return {
    store,
    clock,
    create,
    log: (caller: Caller, n: number, input: Partial<Parameters<CreateEntryUseCase['execute']>[0]> = {}) =>
      create.execute({
        tenantId,
        caller,
        ticket: ticket(n),
        note: '',
        workType: null,
        durationMinutes: 30,
        ...input,
      }),
    update: new UpdateEntryUseCase(deps),
    remove: new DeleteEntryUseCase(deps),
    get: new GetEntryUseCase(store),
    list: new ListEntriesUseCase(store),
    report: new TimeReportUseCase(store),
    settings: new GetTimeSettingsUseCase(store),
    updateSettings: new UpdateTimeSettingsUseCase({ reader: store, uow: store, clock }),
  };
}

describe('manual entries', () => {
  it('logs start and end, billable by default, and publishes the ticket total', async () => {
    const { log, store } = setup();
    const entry = await log(alice, 1, {
      startedAt: at('09:00'),
      endedAt: at('10:15'),
      durationMinutes: undefined,
      note: 'router',
    });
    expect(entry).toMatchObject({
      durationMinutes: 75,
      billable: true,
      source: 'manual',
      userId: alice.userId,
      clientId: clientA,
    });
    await log(alice, 1, { durationMinutes: 20, billable: false });
    expect(store.events.map((e) => [e.type, e.state])).toEqual([
      ['helpdesk.time.entry_created', { sequence: 1, totalMinutes: 75 }],
      ['helpdesk.time.entry_created', { sequence: 2, totalMinutes: 95 }],
    ]);
  });

  it('answers 400 with the reason for an end before the start or an absurd duration, logging nothing', async () => {
    const { log, store } = setup();
    const backwards = await failure(
      log(alice, 1, { startedAt: at('10:00'), endedAt: at('09:00'), durationMinutes: undefined }),
    );
    expect(backwards.code).toBe('INVALID_ARGUMENT');
    expect(backwards.message).toBe('endedAt must be after startedAt');
    expect(backwards.details).toEqual([{ path: ['endedAt'], message: 'endedAt must be after startedAt' }]);
    expect((await failure(log(alice, 1, { durationMinutes: -10 }))).message).toMatch(/at least one minute/);
    expect((await failure(log(alice, 1, { durationMinutes: 2000 }))).message).toMatch(/at most 1440/);
    expect(store.state.entries.size).toBe(0);
    expect(store.events).toHaveLength(0);
  });

  it('lets only an admin log time for someone else', async () => {
    const { log } = setup();
    expect((await failure(log(alice, 1, { userId: bob.userId! }))).code).toBe('PERMISSION_DENIED');
    expect(await log(admin, 1, { userId: bob.userId! })).toMatchObject({
      userId: bob.userId,
      createdBy: admin.userId,
    });
  });

  it('lets the entry user or an admin change it, with If-Match, and publishes the new total', async () => {
    const { log, update, store } = setup();
    const entry = await log(alice, 1);
    expect(
      (await failure(update.execute({ tenantId, caller: bob, id: entry.id, note: 'mine now' }))).code,
    ).toBe('PERMISSION_DENIED');
    const changed = await update.execute({
      tenantId,
      caller: alice,
      id: entry.id,
      expectedVersion: 1,
      durationMinutes: 45,
    });
    expect(changed).toMatchObject({ durationMinutes: 45, version: 2 });
    const stale = await failure(
      update.execute({ tenantId, caller: admin, id: entry.id, expectedVersion: 1, note: 'x' }),
    );
    expect(stale.code).toBe('CONFLICT');
    expect(
      await update.execute({ tenantId, caller: admin, id: entry.id, expectedVersion: 2, note: 'checked' }),
    ).toMatchObject({
      note: 'checked',
      version: 3,
    });
    expect(store.events.at(-1)).toMatchObject({
      type: 'helpdesk.time.entry_updated',
      state: { sequence: 3, totalMinutes: 45 },
    });
    const bad = await failure(
      update.execute({ tenantId, caller: alice, id: entry.id, endedAt: new Date('2026-03-10T07:00:00Z') }),
    );
    expect(bad.code).toBe('INVALID_ARGUMENT');
  });

  it('deletes an entry, lowering the ticket total, and hides other tenants entries', async () => {
    const { log, remove, get, store } = setup();
    const entry = await log(alice, 1);
    await log(alice, 1, { durationMinutes: 10 });
    expect((await failure(remove.execute({ tenantId: otherTenant, caller: admin, id: entry.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await failure(get.execute({ tenantId: otherTenant, id: entry.id }))).code).toBe('NOT_FOUND');
    expect((await failure(get.execute({ tenantId, id: 'not-a-uuid' }))).code).toBe('NOT_FOUND');
    await remove.execute({ tenantId, caller: alice, id: entry.id });
    expect(store.events.at(-1)).toMatchObject({
      type: 'helpdesk.time.entry_deleted',
      state: { sequence: 3, totalMinutes: 10 },
    });
    expect((await failure(get.execute({ tenantId, id: entry.id }))).code).toBe('NOT_FOUND');
  });

  it('lists newest first with filters and a cursor', async () => {
    const { log, list } = setup();
    await log(alice, 1, { startedAt: at('08:00') });
    await log(bob, 2, { startedAt: at('09:00'), billable: false });
    await log(alice, 2, { startedAt: at('10:00') });
    const page1 = await list.execute({ tenantId, limit: 2 });
    expect(page1.items.map((e) => e.startedAt)).toEqual([at('10:00'), at('09:00')]);
    const page2 = await list.execute({ tenantId, limit: 2, cursor: page1.nextCursor! });
    expect(page2).toMatchObject({ items: [{ startedAt: at('08:00') }], nextCursor: null });
    expect((await list.execute({ tenantId, userId: bob.userId! })).items).toHaveLength(1);
    expect((await list.execute({ tenantId, billable: false })).items).toHaveLength(1);
    expect((await list.execute({ tenantId, from: at('09:00'), to: at('10:00') })).items).toHaveLength(1);
    expect((await failure(list.execute({ tenantId, from: at('10:00'), to: at('09:00') }))).message).toMatch(
      /after from/,
    );
    expect((await failure(list.execute({ tenantId, cursor: 'bogus!' }))).code).toBe('INVALID_ARGUMENT');
  });
});

describe('reports and rounding', () => {
  it('reports by client with the tenant rounding, following the ticket current client', async () => {
    const { log, report, updateSettings, store } = setup();
    await log(alice, 1, { durationMinutes: 10 });
    await log(bob, 1, { durationMinutes: 20, billable: false });
    await log(alice, 2, { durationMinutes: 50 });
    await updateSettings.execute({ tenantId, caller: admin, roundingMinutes: 15, roundingMode: 'up' });
    // ticket 2 moved to client B after its time was logged
    await store.record(ticket(2, { clientId: clientB, version: 2 }));
    const byClient = await report.execute({ tenantId, groupBy: 'client' });
    expect(byClient.rows).toEqual([
      { key: clientA, billableMinutes: 15, nonBillableMinutes: 20, flaggedMinutes: 0 },
      { key: clientB, billableMinutes: 60, nonBillableMinutes: 0, flaggedMinutes: 0 },
    ]);
    expect(byClient.rounding).toEqual({ minutes: 15, mode: 'up' });
    const byUser = await report.execute({ tenantId, groupBy: 'user' });
    expect(byUser.totals).toEqual({ billableMinutes: 75, nonBillableMinutes: 20, flaggedMinutes: 0 });
  });

  it('lets only admins change the rounding, checks it and the version', async () => {
    const { settings, updateSettings } = setup();
    expect(await settings.execute({ tenantId })).toMatchObject({
      rounding: { minutes: 0, mode: 'up' },
      version: 0,
      updatedAt: null,
    });
    expect(
      (await failure(updateSettings.execute({ tenantId, caller: alice, roundingMinutes: 15 }))).code,
    ).toBe('PERMISSION_DENIED');
    expect(
      (await failure(updateSettings.execute({ tenantId, caller: admin, roundingMinutes: 999 }))).code,
    ).toBe('INVALID_ARGUMENT');
    expect(await updateSettings.execute({ tenantId, caller: admin, roundingMinutes: 6 })).toMatchObject({
      rounding: { minutes: 6, mode: 'up' },
      version: 1,
    });
    expect(
      (
        await failure(
          updateSettings.execute({ tenantId, caller: admin, expectedVersion: 0, roundingMode: 'down' }),
        )
      ).code,
    ).toBe('CONFLICT');
    expect(
      await updateSettings.execute({ tenantId, caller: admin, expectedVersion: 1, roundingMode: 'down' }),
    ).toMatchObject({
      rounding: { minutes: 6, mode: 'down' },
      version: 2,
    });
  });
});
