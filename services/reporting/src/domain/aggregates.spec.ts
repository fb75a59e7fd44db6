import fc from 'fast-check';
import {
  ALL_CLIENTS,
  AggregatesBuilder,
  NO_CLIENT,
  aggregateChange,
  isEmpty,
  withBacklogTotals,
  type Aggregates,
  type CountedTicket,
} from './aggregates';
import { countedTicket, nextSla, NO_SLA, type SlaHalf } from './ticket';

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';

const opened: CountedTicket = {
  status: 'open',
  priority: 'high',
  clientId: C1,
  openedAt: new Date('2026-10-23T15:30:00Z'),
  firstRespondedAt: null,
  resolvedAt: null,
  ratingScore: null,
  firstResponseMinutes: null,
  frState: 'running',
  resState: 'running',
  frBusinessMinutes: null,
};
const replied: CountedTicket = {
  ...opened,
  status: 'waiting_on_customer',
  firstRespondedAt: new Date('2026-10-26T07:20:00Z'),
  firstResponseMinutes: 3830,
  frState: 'breached',
  frBusinessMinutes: 50,
};
const resolved: CountedTicket = {
  ...replied,
  status: 'resolved',
  resolvedAt: new Date('2026-11-02T10:00:00Z'),
  resState: 'met',
  ratingScore: 4,
};

const days = (a: Aggregates, key: string, unit = 'day') =>
  a.days.filter((d) => d.clientKey === key && d.unit === unit);

describe("what a ticket's row counts for", () => {
  it('counts an open ticket for its client and for the tenant, on its day and its month', () => {
    const a = new AggregatesBuilder(dayOf).add(opened, 1).build();
    expect(a.open).toEqual([
      { clientKey: C1, status: 'open', priority: 'high', tickets: 1 },
      { clientKey: ALL_CLIENTS, status: 'open', priority: 'high', tickets: 1 },
    ]);
    const one = {
      created: 1,
      resolved: 0,
      frMet: 0,
      frBreached: 0,
      resMet: 0,
      resBreached: 0,
      rated: 0,
      ratingSum: 0,
    };
    expect(days(a, C1)).toEqual([{ clientKey: C1, unit: 'day', day: '2026-10-23', ...one }]);
    expect(days(a, ALL_CLIENTS, 'month')).toEqual([
      { clientKey: ALL_CLIENTS, unit: 'month', day: '2026-10-01', ...one },
    ]);
    expect(a.firstResponses).toEqual([]);
  });

  it('counts a resolved, rated ticket on its opening day and its resolution on the day of resolvedAt', () => {
    const a = new AggregatesBuilder(dayOf).add(resolved, 1).build();
    expect(a.open).toEqual([]);
    expect(days(a, C1)).toEqual([
      expect.objectContaining({
        day: '2026-10-23',
        created: 1,
        frBreached: 1,
        resMet: 1,
        rated: 1,
        ratingSum: 4,
        resolved: 0,
      }),
      expect.objectContaining({ day: '2026-11-02', created: 0, resolved: 1 }),
    ]);
    expect(days(a, C1, 'month').map((d) => [d.day, d.created, d.resolved])).toEqual([
      ['2026-10-01', 1, 0],
      ['2026-11-01', 0, 1],
    ]);
    expect(a.firstResponses.filter((f) => f.clientKey === C1 && f.unit === 'day')).toEqual([
      { clientKey: C1, unit: 'day', day: '2026-10-23', kind: 'business', minutes: 50, tickets: 1 },
      { clientKey: C1, unit: 'day', day: '2026-10-23', kind: 'calendar', minutes: 3830, tickets: 1 },
    ]);
  });

  it('leaves business minutes out without a reply, and tickets without a client under the nil key', () => {
    const a = new AggregatesBuilder(dayOf)
      .add({ ...opened, clientId: null, frBusinessMinutes: 12 }, 1)
      .build();
    expect(a.firstResponses).toEqual([]);
    expect(days(a, NO_CLIENT)).toHaveLength(1);
  });

  it('counts nothing for a row without its ticket half (an SLA state that came first)', () => {
    expect(countedTicket({ ticket: null, sla: { ...NO_SLA, sequence: 3, firstResponse: 'met' } })).toBeNull();
    expect(isEmpty(new AggregatesBuilder(dayOf).add(null, 1).build())).toBe(true);
  });
});

describe('a change of a row moves its contribution', () => {
  it('moves a ticket moved to another client, and leaves the tenant totals as they were', () => {
    const a = aggregateChange(resolved, { ...resolved, clientId: C2 }, dayOf);
    expect(days(a, ALL_CLIENTS)).toEqual([]);
    expect(a.firstResponses.some((f) => f.clientKey === ALL_CLIENTS)).toBe(false);
    expect(days(a, C1).map((d) => [d.day, d.created, d.resolved])).toEqual([
      ['2026-10-23', -1, 0],
      ['2026-11-02', 0, -1],
    ]);
    expect(days(a, C2).map((d) => [d.day, d.created, d.resolved])).toEqual([
      ['2026-10-23', 1, 0],
      ['2026-11-02', 0, 1],
    ]);
  });

  it('takes a resolution back when the ticket is reopened, and puts it on the new day when resolved again', () => {
    const reopened = { ...resolved, status: 'open', resolvedAt: null, resState: 'running' };
    const back = aggregateChange(resolved, reopened, dayOf);
    expect(days(back, ALL_CLIENTS).map((d) => [d.day, d.resolved, d.resMet])).toEqual([
      ['2026-10-23', 0, -1],
      ['2026-11-02', -1, 0],
    ]);
    expect(back.open.map((o) => o.tickets)).toEqual([1, 1]);
    const again = aggregateChange(
      reopened,
      { ...resolved, resolvedAt: new Date('2026-11-05T08:00:00Z') },
      dayOf,
    );
    expect(days(again, ALL_CLIENTS).map((d) => [d.day, d.resolved, d.resMet])).toEqual([
      ['2026-10-23', 0, 1],
      ['2026-11-05', 1, 0],
    ]);
  });

  it('changes nothing when the row counts the same', () => {
    expect(isEmpty(aggregateChange(resolved, { ...resolved }, dayOf))).toBe(true);
  });

  const ticketArb: fc.Arbitrary<CountedTicket | null> = fc.option(
    fc.record({
      status: fc.constantFrom('open', 'in_progress', 'resolved', 'closed'),
      priority: fc.constantFrom('low', 'high'),
      clientId: fc.constantFrom(C1, C2, null),
      openedAt: fc.constantFrom('2026-10-31T23:00:00Z', '2026-11-01T01:00:00Z').map((s) => new Date(s)),
      firstRespondedAt: fc.option(fc.constant(new Date('2026-11-01T02:00:00Z'))),
      resolvedAt: fc.option(
        fc.constantFrom('2026-11-01T03:00:00Z', '2026-11-30T23:59:00Z').map((s) => new Date(s)),
      ),
      ratingScore: fc.option(fc.integer({ min: 1, max: 5 })),
      firstResponseMinutes: fc.option(fc.integer({ min: 0, max: 4 })),
      frState: fc.constantFrom('running', 'met', 'breached', null),
      resState: fc.constantFrom('paused', 'met', 'breached', null),
      frBusinessMinutes: fc.option(fc.integer({ min: 0, max: 4 })),
    }),
  );

  it("sums a row's changes to what its last state counts for, and the tenant's totals to the sum of its clients", () => {
    fc.assert(
      fc.property(fc.array(ticketArb, { minLength: 1, maxLength: 8 }), (states) => {
        const changes = new AggregatesBuilder(dayOf);
        let before: CountedTicket | null = null;
        for (const s of states) {
          changes.merge(aggregateChange(before, s, dayOf));
          before = s;
        }
        const last = new AggregatesBuilder(dayOf).add(before, 1).build();
        expect(changes.build()).toEqual(last);
        // ALL = sum over the clients' keys, day and month alike
        const perClient = new AggregatesBuilder(dayOf);
        for (const d of last.days.filter((x) => x.clientKey !== ALL_CLIENTS))
          perClient.merge({ open: [], days: [{ ...d, clientKey: ALL_CLIENTS }], firstResponses: [] });
        expect(perClient.build().days).toEqual(last.days.filter((x) => x.clientKey === ALL_CLIENTS));
      }),
    );
  });
});

describe('the backlog with totals', () => {
  it("repeats each client's change under the tenant's key, summed per day", () => {
    const totals = withBacklogTotals([
      { day: '2026-10-23', clientId: C1, delta: 1 },
      { day: '2026-10-23', clientId: null, delta: 1 },
      { day: '2026-10-24', clientId: C2, delta: -1 },
    ]);
    expect(totals).toHaveLength(5);
    expect(totals).toEqual(
      expect.arrayContaining([
        { day: '2026-10-23', clientId: null, delta: 1 },
        { day: '2026-10-23', clientId: C1, delta: 1 },
        { day: '2026-10-24', clientId: C2, delta: -1 },
        { day: '2026-10-23', clientId: ALL_CLIENTS, delta: 2 },
        { day: '2026-10-24', clientId: ALL_CLIENTS, delta: -1 },
      ]),
    );
  });
});

describe("an SLA event on a ticket's row", () => {
  const stored: SlaHalf = {
    sequence: 4,
    policyId: 'p',
    firstResponse: 'met',
    resolution: 'running',
    businessMinutes: 10,
    businessSequence: 3,
  };
  const facts = (sequence: number, minutes: number | null) => ({
    tenantId: 't',
    ticketId: 'x',
    sequence,
    policyId: 'q',
    firstResponse: 'breached' as const,
    resolution: 'met' as const,
    firstResponseBusinessMinutes: minutes,
  });

  it('takes a newer state, with its business minutes when it carries them', () => {
    expect(nextSla(stored, facts(5, 12))).toEqual({
      sequence: 5,
      policyId: 'q',
      firstResponse: 'breached',
      resolution: 'met',
      businessMinutes: 12,
      businessSequence: 5,
    });
    expect(nextSla(stored, facts(5, null))).toMatchObject({
      sequence: 5,
      businessMinutes: 10,
      businessSequence: 3,
    });
  });

  it('keeps the state of an older or repeated event, but takes business minutes newer than the stored ones', () => {
    expect(nextSla(stored, facts(4, null))).toBeNull();
    expect(nextSla(stored, facts(2, 99))).toBeNull();
    expect(nextSla(stored, facts(4, 11))).toEqual({ ...stored, businessMinutes: 11, businessSequence: 4 });
  });
});
