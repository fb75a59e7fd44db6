import fc from 'fast-check';
import { TWENTY_FOUR_SEVEN, businessMsBetween, parseBusinessCalendar } from './calendar';
import {
  applyTicket,
  fireDue,
  firstResponseBusinessMinutes,
  nextFireAt,
  resetClocks,
  slaView,
  startClocks,
  type ClockContext,
  type SlaClocks,
  type TicketFacts,
} from './clock';
import { defaultPolicySettings, type Policy, type PolicySettings } from './policy';

const MIN = 60_000;
const T0 = new Date('2026-06-10T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);

function policy(over: Partial<PolicySettings> = {}, id = '00000000-0000-4000-8000-000000000001'): Policy {
  return {
    ...defaultPolicySettings(null),
    targets: {
      critical: { firstResponseMinutes: 15, resolutionMinutes: 60 },
      high: { firstResponseMinutes: 60, resolutionMinutes: 240 },
      medium: { firstResponseMinutes: 120, resolutionMinutes: 480 },
      low: { firstResponseMinutes: 240, resolutionMinutes: 960 },
    },
    ...over,
    id,
    tenantId: '00000000-0000-4000-8000-0000000000aa',
    createdAt: T0,
    updatedAt: T0,
    version: 1,
  };
}

const ctx: ClockContext = { policy: policy(), calendar: TWENTY_FOUR_SEVEN };

function ticket(over: Partial<TicketFacts> = {}): TicketFacts {
  return {
    id: '00000000-0000-4000-8000-000000000101',
    tenantId: '00000000-0000-4000-8000-0000000000aa',
    number: 1001,
    version: 1,
    status: 'open',
    priority: 'high',
    type: null,
    clientId: null,
    openedAt: T0,
    updatedAt: T0,
    firstRespondedAt: null,
    lastAgentReplyAt: null,
    resolvedAt: null,
    closedAt: null,
    ...over,
  };
}

/** Applies a sequence of ticket changes, each at its updatedAt, under one context. */
function run(changes: Array<Partial<TicketFacts> & { updatedAt: Date }>, context = ctx) {
  let facts = ticket();
  let step = startClocks(facts, context, facts.openedAt, facts.updatedAt);
  const all = [...step.changes];
  for (const change of changes) {
    facts = { ...facts, ...change, version: facts.version + 1 };
    step = applyTicket(step.clocks, facts, context, context, change.updatedAt);
    all.push(...step.changes);
  }
  return { clocks: step.clocks, changes: all, facts };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('SLA clocks', () => {
  it('start running with due times from the priority targets and the warning at 80 %', () => {
    const { clocks, changes } = run([]);
    const view = slaView(clocks);
    expect(changes).toEqual([]);
    expect(view.firstResponse.state).toBe('running');
    expect(iso(view.firstResponseDueAt)).toBe(iso(at(60)));
    expect(iso(view.resolutionDueAt)).toBe(iso(at(240)));
    expect(iso(clocks.firstResponse.warnAt)).toBe(iso(at(48)));
    expect(iso(nextFireAt(clocks))).toBe(iso(at(48)));
  });

  it('raise the warning and then the breach once each, at their instants', () => {
    const { clocks } = run([]);
    expect(fireDue(clocks, at(47.9)).changes).toEqual([]);
    const warned = fireDue(clocks, at(48));
    expect(warned.changes).toEqual([{ kind: 'warning', target: 'first_response' }]);
    expect(slaView(warned.clocks).warning).toBe(true);
    expect(iso(nextFireAt(warned.clocks))).toBe(iso(at(60)));
    const breached = fireDue(warned.clocks, at(60));
    expect(breached.changes).toEqual([{ kind: 'breached', target: 'first_response' }]);
    const view = slaView(breached.clocks);
    expect(view.firstResponse).toEqual({ state: 'breached', breachedAt: at(60), metAt: null });
    // the warning flag is for targets not yet breached
    expect(view.warning).toBe(false);
    expect(fireDue(breached.clocks, at(61)).changes).toEqual([]);
    // the resolution clock is next: its warning at 80 % of 240 minutes
    expect(iso(nextFireAt(breached.clocks))).toBe(iso(at(192)));
  });

  it('raise everything overdue in the order it fell due after a long outage', () => {
    const { clocks } = run([]);
    expect(fireDue(clocks, at(1000)).changes).toEqual([
      { kind: 'warning', target: 'first_response' },
      { kind: 'breached', target: 'first_response' },
      { kind: 'warning', target: 'resolution' },
      { kind: 'breached', target: 'resolution' },
    ]);
  });

  it('pause in the policy pause statuses and move the due times out by the time paused', () => {
    const paused = run([{ status: 'waiting_on_customer', updatedAt: at(30) }]);
    const view = slaView(paused.clocks);
    expect(view.firstResponse.state).toBe('paused');
    expect(view.resolution.state).toBe('paused');
    expect(view.firstResponseDueAt).toBeNull();
    expect(nextFireAt(paused.clocks)).toBeNull();
    expect(fireDue(paused.clocks, at(500)).changes).toEqual([]);

    const resumed = run([
      { status: 'waiting_on_customer', updatedAt: at(30) },
      { status: 'open', updatedAt: at(90) },
    ]);
    expect(iso(slaView(resumed.clocks).firstResponseDueAt)).toBe(iso(at(120)));
    expect(iso(slaView(resumed.clocks).resolutionDueAt)).toBe(iso(at(300)));
    expect(resumed.clocks.resolution.usedMs).toBe(30 * MIN);
  });

  it('keeps running in statuses the policy does not pause on', () => {
    const noPause: ClockContext = { policy: policy({ pauseStatuses: [] }), calendar: TWENTY_FOUR_SEVEN };
    const { clocks } = run([{ status: 'waiting_on_customer', updatedAt: at(30) }], noPause);
    expect(slaView(clocks).resolution.state).toBe('running');
    expect(iso(slaView(clocks).resolutionDueAt)).toBe(iso(at(240)));
  });

  it('meets the first response at the first agent reply, once', () => {
    const { clocks, changes } = run([
      {
        firstRespondedAt: at(20),
        lastAgentReplyAt: at(20),
        status: 'waiting_on_customer',
        updatedAt: at(20),
      },
      { lastAgentReplyAt: at(40), updatedAt: at(40) },
    ]);
    expect(changes).toEqual([{ kind: 'met', target: 'first_response' }]);
    expect(slaView(clocks).firstResponse).toEqual({ state: 'met', breachedAt: null, metAt: at(20) });
    expect(slaView(clocks).resolution.state).toBe('paused');
    expect(fireDue(clocks, at(100)).changes).toEqual([]);
  });

  it('counts a reply made before the due time as met even when its event arrives after it', () => {
    const { clocks, changes } = run([{ firstRespondedAt: at(50), updatedAt: at(70) }]);
    expect(changes).toEqual([
      { kind: 'warning', target: 'first_response' },
      { kind: 'met', target: 'first_response' },
    ]);
    expect(slaView(clocks).firstResponse.state).toBe('met');
  });

  it('records a fulfilment after a breach as late: still breached, with metAt', () => {
    const { clocks } = run([]);
    const breached = fireDue(clocks, at(61)).clocks;
    const late = applyTicket(
      breached,
      ticket({ version: 2, firstRespondedAt: at(70), updatedAt: at(70) }),
      ctx,
      ctx,
      at(70),
    );
    expect(late.changes).toEqual([{ kind: 'met', target: 'first_response' }]);
    expect(slaView(late.clocks).firstResponse).toEqual({
      state: 'breached',
      breachedAt: at(60),
      metAt: at(70),
    });
  });

  it('recomputes the targets on a priority change with the business time already used (escalation)', () => {
    const { clocks } = run([{ priority: 'medium', updatedAt: at(0) }]);
    expect(iso(slaView(clocks).firstResponseDueAt)).toBe(iso(at(120)));
    const escalated = run([
      { priority: 'medium', updatedAt: at(0) },
      { priority: 'high', updatedAt: at(30) },
    ]);
    expect(iso(slaView(escalated.clocks).firstResponseDueAt)).toBe(iso(at(60)));
    expect(iso(slaView(escalated.clocks).resolutionDueAt)).toBe(iso(at(240)));
    // critical allows 15 minutes of first response; 50 are used: breached at once
    const critical = run([
      { priority: 'medium', updatedAt: at(0) },
      { priority: 'critical', updatedAt: at(50) },
    ]);
    expect(critical.changes).toContainEqual({ kind: 'breached', target: 'first_response' });
    expect(slaView(critical.clocks).firstResponse.breachedAt).toEqual(at(50));
    expect(iso(slaView(critical.clocks).resolutionDueAt)).toBe(iso(at(60)));
  });

  it('de-escalation gives the time back', () => {
    const { clocks } = run([{ priority: 'low', updatedAt: at(30) }]);
    expect(iso(slaView(clocks).firstResponseDueAt)).toBe(iso(at(240)));
  });

  it('stops at resolution and resumes the resolution clock on reopen with the time it had used', () => {
    const resolved = run([{ status: 'resolved', resolvedAt: at(100), updatedAt: at(100) }]);
    // resolved without a reply: the first response is owed no more
    expect(resolved.changes).toEqual([
      { kind: 'warning', target: 'first_response' },
      { kind: 'breached', target: 'first_response' },
      { kind: 'met', target: 'first_response' },
      { kind: 'met', target: 'resolution' },
    ]);
    expect(slaView(resolved.clocks).resolution).toEqual({ state: 'met', breachedAt: null, metAt: at(100) });

    const reopened = run([
      { status: 'resolved', resolvedAt: at(100), updatedAt: at(100) },
      { status: 'open', updatedAt: at(200) },
    ]);
    const view = slaView(reopened.clocks);
    expect(view.resolution).toEqual({ state: 'running', breachedAt: null, metAt: null });
    expect(iso(view.resolutionDueAt)).toBe(iso(at(340)));
    expect(view.firstResponse.state).toBe('breached');
  });

  it('ignores a repeated ticket (same facts applied again change nothing)', () => {
    const first = run([{ status: 'waiting_on_customer', updatedAt: at(30) }]);
    const again = applyTicket(first.clocks, first.facts, ctx, ctx, at(30));
    expect(again.changes).toEqual([]);
    expect(again.clocks).toEqual(first.clocks);
  });

  it('never places a change before one already applied', () => {
    const first = run([{ status: 'waiting_on_customer', updatedAt: at(30) }]);
    const older = applyTicket(first.clocks, { ...first.facts, status: 'open' }, ctx, ctx, at(10));
    expect(older.clocks.asOf).toEqual(at(30));
    expect(older.clocks.resolution.usedMs).toBe(30 * MIN);
  });

  it('raises no warning at 100 %', () => {
    const none: ClockContext = { policy: policy({ warnAtPercent: 100 }), calendar: TWENTY_FOUR_SEVEN };
    const { clocks } = run([], none);
    expect(clocks.firstResponse.warnAt).toBeNull();
    expect(fireDue(clocks, at(60)).changes).toEqual([{ kind: 'breached', target: 'first_response' }]);
  });

  it('reset restarts both clocks from now; a reply before the reset no longer counts', () => {
    const { clocks, facts } = run([{ firstRespondedAt: at(5), lastAgentReplyAt: at(5), updatedAt: at(5) }]);
    const breached = fireDue(clocks, at(300)).clocks;
    expect(slaView(breached).resolution.state).toBe('breached');
    const reset = resetClocks(facts, ctx, at(300));
    expect(reset.changes).toEqual([{ kind: 'updated', target: null }]);
    const view = slaView(reset.clocks);
    expect(view.firstResponse).toEqual({ state: 'running', breachedAt: null, metAt: null });
    expect(view.resolution).toEqual({ state: 'running', breachedAt: null, metAt: null });
    expect(iso(view.firstResponseDueAt)).toBe(iso(at(360)));
    expect(iso(view.resolutionDueAt)).toBe(iso(at(540)));
    // the next agent reply after the reset is its first response
    const replied = applyTicket(
      reset.clocks,
      { ...facts, version: facts.version + 1, lastAgentReplyAt: at(310), updatedAt: at(310) },
      ctx,
      ctx,
      at(310),
    );
    expect(slaView(replied.clocks).firstResponse).toEqual({ state: 'met', breachedAt: null, metAt: at(310) });
  });

  it('moves to another policy keeping the time used, measured on the old calendar up to the change', () => {
    const other: ClockContext = {
      policy: policy({ pauseStatuses: ['in_progress'] }, '00000000-0000-4000-8000-000000000002'),
      calendar: TWENTY_FOUR_SEVEN,
    };
    const started = run([]);
    const moved = applyTicket(
      started.clocks,
      { ...started.facts, version: 2, status: 'in_progress', updatedAt: at(20) },
      ctx,
      other,
      at(20),
    );
    expect(moved.clocks.policyId).toBe(other.policy.id);
    expect(slaView(moved.clocks).resolution.state).toBe('paused');
    expect(moved.clocks.resolution.usedMs).toBe(20 * MIN);
  });

  it('counts business hours only: Friday 17:00 Berlin plus 4 h is Monday 11:00', () => {
    const berlin: ClockContext = {
      policy: policy(),
      calendar: parseBusinessCalendar({
        timezone: 'Europe/Berlin',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '18:00']]])),
      }),
    };
    const friday = new Date('2026-06-12T17:00:00+02:00');
    const step = startClocks(ticket({ openedAt: friday, updatedAt: friday }), berlin, friday, friday);
    expect(iso(slaView(step.clocks).resolutionDueAt)).toBe(iso(new Date('2026-06-15T11:00:00+02:00')));
    expect(iso(slaView(step.clocks).firstResponseDueAt)).toBe(iso(new Date('2026-06-12T18:00:00+02:00')));
  });

  it('property: the business time used is exactly the business time spent running; pauses add none', () => {
    const berlin = parseBusinessCalendar({
      timezone: 'Europe/Berlin',
      hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '18:00']]])),
    });
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 0, maxLength: 8 }),
        (businessHours, gaps) => {
          const context: ClockContext = {
            policy: policy({
              targets: {
                ...policy().targets,
                low: { firstResponseMinutes: 99_999, resolutionMinutes: 99_999 },
              },
            }),
            calendar: businessHours ? berlin : TWENTY_FOUR_SEVEN,
          };
          let facts = ticket({ priority: 'low' });
          let clocks: SlaClocks = startClocks(facts, context, T0, T0).clocks;
          // alternate paused / running segments at the given gaps (minutes)
          let t = 0;
          let running = 0;
          const statuses = ['waiting_on_customer', 'open'];
          gaps.forEach((gap, i) => {
            const from = at(t);
            t += gap;
            if (i % 2 === 0) running += businessMsBetween(context.calendar, from, at(t));
            facts = { ...facts, version: facts.version + 1, status: statuses[i % 2]!, updatedAt: at(t) };
            clocks = applyTicket(clocks, facts, context, context, at(t)).clocks;
          });
          const r = clocks.resolution;
          expect(r.state).toBe(gaps.length % 2 === 1 ? 'paused' : 'running');
          expect(r.usedMs).toBe(running);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('first response in business minutes (for the reports)', () => {
  const businessHours = parseBusinessCalendar({
    timezone: 'Europe/Berlin',
    hours: {
      mon: [['08:00', '18:00']],
      tue: [['08:00', '18:00']],
      wed: [['08:00', '18:00']],
      thu: [['08:00', '18:00']],
      fri: [['08:00', '18:00']],
      sat: [],
      sun: [],
    },
    holidays: [],
  });

  it('counts only open hours from the opening to the first reply, across a weekend', () => {
    // Friday 2026-06-12 17:30 Berlin (15:30Z) to Monday 08:20 (06:20Z): 30 + 20 business minutes
    const facts = ticket({
      openedAt: new Date('2026-06-12T15:30:00Z'),
      firstRespondedAt: new Date('2026-06-15T06:20:30Z'),
    });
    expect(firstResponseBusinessMinutes(facts, businessHours)).toBe(50);
    expect(firstResponseBusinessMinutes(facts, TWENTY_FOUR_SEVEN)).toBe(2 * 24 * 60 + 14 * 60 + 50);
  });

  it('is null without a reply', () => {
    expect(firstResponseBusinessMinutes(ticket(), businessHours)).toBeNull();
  });
});
