// Property tests: random event sequences with a non-decreasing clock; the rules of
// docs/product/tickets.md must hold after every step.
import { DomainError } from '@helpdesk/platform';
import fc from 'fast-check';
import { applyWorkflowEvent } from './apply-workflow-event';
import { isOpenStatus, TICKET_STATUSES, type TicketStatus } from './ticket-status';
import { AUTO_CLOSE_FROM, type WorkflowEffect, type WorkflowEvent } from './workflow-event';
import { DAY_MS, type ClosedReplyPolicy, type WorkflowSettings } from './workflow-settings';
import { openWorkflow, type WorkflowState } from './workflow-state';

const RUNS = { numRuns: 1000 };
const HOUR_MS = 60 * 60 * 1000;
const TICKET = 'ticket-self';
const TARGET = 'ticket-target';
const TIMESTAMP_FIELDS = [
  'firstRespondedAt',
  'resolvedAt',
  'closedAt',
  'lastCustomerReplyAt',
  'lastAgentReplyAt',
] as const;

// ---- generators -------------------------------------------------------------------------------------------------

const statusArb = fc.constantFrom(...TICKET_STATUSES);
const detailsArb = fc.constantFrom('Replaced the toner', 'Reset the password', '');

// Weighted so that sequences often reach resolved and closed and then meet replies, confirms and reopens.
const eventArb: fc.Arbitrary<WorkflowEvent> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { type: fc.constant('agent_set_status' as const), to: statusArb, resolutionDetails: detailsArb },
      { requiredKeys: ['type', 'to'] },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        type: fc.constant('agent_public_reply' as const),
        statusWithReply: statusArb,
        resolutionDetails: detailsArb,
      },
      { requiredKeys: ['type'] },
    ),
  },
  { weight: 3, arbitrary: fc.constant({ type: 'agent_internal_note' as const }) },
  { weight: 5, arbitrary: fc.constant({ type: 'customer_reply' as const }) },
  { weight: 2, arbitrary: fc.constant({ type: 'customer_confirm' as const }) },
  { weight: 2, arbitrary: fc.constant({ type: 'reopen' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('auto_close' as const),
      from: fc.constantFrom(...AUTO_CLOSE_FROM),
    }),
  },
  {
    // Rare, since a merge ends the ticket; now and then aimed at itself, which must be refused.
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('merged_into' as const),
      ticketId: fc.constantFrom(TARGET, TARGET, TICKET),
    }),
  },
);

const policyArb: fc.Arbitrary<ClosedReplyPolicy> = fc.oneof(
  fc.constant('follow_up' as const),
  fc.constant('reopen' as const),
  fc.record({ reopenWithinDays: fc.integer({ min: 0, max: 14 }) }),
);

// Zero, minutes-to-hours, days-to-weeks and whole days apart, so the reopen-within-days limit is crossed both
// ways and hit exactly (a reply exactly N days after closing still reopens).
const gapArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: HOUR_MS }),
  fc.integer({ min: 1, max: 20 * DAY_MS }),
  fc.integer({ min: 1, max: 14 }).map((days) => days * DAY_MS),
);

interface Scenario {
  openedAt: Date;
  settings: WorkflowSettings;
  steps: Array<{ event: WorkflowEvent; gapMs: number }>;
}

const scenarioArb = (gap: fc.Arbitrary<number> = gapArb): fc.Arbitrary<Scenario> =>
  fc.record({
    openedAt: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    settings: fc.record({ closedReplyPolicy: policyArb }),
    steps: fc.array(fc.record({ event: eventArb, gapMs: gap }), { maxLength: 40 }),
  });

// ---- simulation -------------------------------------------------------------------------------------------------

type Outcome =
  { ok: true; state: WorkflowState; effects: readonly WorkflowEffect[] } | { ok: false; error: DomainError };

interface Step {
  before: WorkflowState;
  event: WorkflowEvent;
  now: Date;
  outcome: Outcome;
  after: WorkflowState;
}

/** Runs the scenario; a rejected event leaves the state as it was. Only DomainErrors are acceptable failures. */
function simulate(scenario: Scenario): { initial: WorkflowState; steps: Step[] } {
  const initial = openWorkflow(TICKET, scenario.openedAt);
  let state = initial;
  let clock = scenario.openedAt.getTime();
  const steps: Step[] = [];
  for (const { event, gapMs } of scenario.steps) {
    clock += gapMs;
    const now = new Date(clock);
    const before = state;
    const snapshot = structuredClone(before);
    let outcome: Outcome;
    try {
      const result = applyWorkflowEvent(before, event, now, scenario.settings);
      outcome = { ok: true, state: result.state, effects: result.effects };
      state = result.state;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      outcome = { ok: false, error: e };
    }
    // Pure: the input state is never modified, whatever the outcome.
    expect(before).toEqual(snapshot);
    steps.push({ before, event, now, outcome, after: state });
  }
  return { initial, steps };
}

const defined = (state: WorkflowState, field: (typeof TIMESTAMP_FIELDS)[number]) =>
  state[field] !== undefined;
const kinds = (effects: readonly WorkflowEffect[]) => effects.map((e) => e.kind);

/** The reopen rule restated from docs/product/tickets.md and the setting, independently of the implementation. */
function policyReopens(policy: ClosedReplyPolicy, closedAt: Date, now: Date): boolean {
  if (policy === 'reopen') return true;
  if (policy === 'follow_up') return false;
  return now.getTime() - closedAt.getTime() <= policy.reopenWithinDays * DAY_MS;
}

// ---- properties -------------------------------------------------------------------------------------------------

describe('workflow properties over random event sequences', () => {
  it('status stays in the enum; resolvedAt iff resolved or closed; closedAt iff closed; merged ⇒ closed', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const { initial, steps } = simulate(scenario);
        for (const state of [initial, ...steps.map((s) => s.after)]) {
          expect(TICKET_STATUSES).toContain(state.status);
          expect(state.ticketId).toBe(TICKET);
          expect(state.openedAt.getTime()).toBe(scenario.openedAt.getTime());
          expect(defined(state, 'closedAt')).toBe(state.status === 'closed');
          expect(defined(state, 'resolvedAt')).toBe(state.status === 'resolved' || state.status === 'closed');
          if (state.status === 'closed')
            expect(state.resolvedAt!.getTime()).toBeLessThanOrEqual(state.closedAt!.getTime());
          if (state.mergedIntoId !== undefined) expect(state.status).toBe('closed');
        }
      }),
      RUNS,
    );
  });

  it('firstRespondedAt is set iff an agent public reply was accepted, is that first reply, never changes, and ≥ openedAt', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const { steps } = simulate(scenario);
        let firstReply: Date | undefined;
        let lastReply: Date | undefined;
        for (const step of steps) {
          if (step.event.type === 'agent_public_reply' && step.outcome.ok) {
            firstReply ??= step.now;
            lastReply = step.now;
          }
          expect(step.after.firstRespondedAt).toEqual(firstReply);
          expect(step.after.lastAgentReplyAt).toEqual(lastReply);
          if (step.before.firstRespondedAt !== undefined) {
            expect(step.after.firstRespondedAt).toEqual(step.before.firstRespondedAt);
          }
          if (firstReply !== undefined) {
            expect(step.after.firstRespondedAt!.getTime()).toBeGreaterThanOrEqual(
              step.after.openedAt.getTime(),
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('an internal note changes nothing: same state, no effects; a sequence with its notes removed ends the same', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const full = simulate(scenario);
        for (const step of full.steps.filter((s) => s.event.type === 'agent_internal_note')) {
          if (step.outcome.ok) {
            expect(step.outcome.state).toEqual(step.before);
            expect(step.outcome.effects).toEqual([]);
          } else {
            expect(step.before.mergedIntoId).toBeDefined();
          }
        }
        // Drop the notes but keep every other event at the same instant: the outcome must not differ.
        const withoutNotes: Scenario = { ...scenario, steps: [] };
        let pendingGap = 0;
        for (const step of scenario.steps) {
          if (step.event.type === 'agent_internal_note') pendingGap += step.gapMs;
          else {
            withoutNotes.steps.push({ event: step.event, gapMs: pendingGap + step.gapMs });
            pendingGap = 0;
          }
        }
        const stripped = simulate(withoutNotes);
        const last = (run: { initial: WorkflowState; steps: Step[] }) =>
          run.steps.at(-1)?.after ?? run.initial;
        expect(last(stripped)).toEqual(last(full));
        const effectsOf = (run: { steps: Step[] }) =>
          run.steps.flatMap((s) => (s.outcome.ok ? s.outcome.effects : []));
        expect(effectsOf(stripped)).toEqual(effectsOf(full));
      }),
      RUNS,
    );
  });

  it('closed is left only by reopen or by a customer reply the closed-reply policy lets reopen', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const policy = scenario.settings.closedReplyPolicy;
        for (const { before, after, event, now, outcome } of simulate(scenario).steps) {
          if (before.status !== 'closed') continue;
          const merged = before.mergedIntoId !== undefined;
          const reopensByReply =
            event.type === 'customer_reply' && !merged && policyReopens(policy, before.closedAt!, now);
          const reopensByAgent = event.type === 'reopen' && !merged;
          expect(after.status).toBe(reopensByReply || reopensByAgent ? 'open' : 'closed');
          if (event.type === 'customer_reply' && !merged && !reopensByReply) {
            // follow-up: the closed ticket is untouched and a linked ticket is asked for
            expect(after).toEqual(before);
            expect(outcome.ok && outcome.effects).toEqual([
              { kind: 'create_follow_up', fromTicketId: TICKET },
            ]);
          }
        }
      }),
      RUNS,
    );
  });

  it('a reply to a closed ticket reopens it iff it comes within reopenWithinDays of closing, the limit included', () => {
    // A limit of 0..30 days and a reply delay: half at the limit or one millisecond either side, half anywhere.
    const caseArb = fc.integer({ min: 0, max: 30 }).chain((days) =>
      fc.record({
        days: fc.constant(days),
        delayMs: fc.oneof(
          fc.constantFrom(-1, 0, 1).map((ms) => Math.max(0, days * DAY_MS + ms)),
          fc.integer({ min: 0, max: 40 * DAY_MS }),
        ),
      }),
    );
    fc.assert(
      fc.property(scenarioArb(), caseArb, (prefix, { days, delayMs }) => {
        const settings: WorkflowSettings = { closedReplyPolicy: { reopenWithinDays: days } };
        const { initial, steps } = simulate({ ...prefix, settings });
        let state = steps.at(-1)?.after ?? initial;
        if (state.mergedIntoId !== undefined) return;
        if (state.status !== 'closed') {
          const latest = steps.at(-1)?.now ?? prefix.openedAt;
          state = applyWorkflowEvent(
            state,
            { type: 'agent_set_status', to: 'closed' },
            latest,
            settings,
          ).state;
        }
        const closedAt = state.closedAt!.getTime();
        const now = new Date(closedAt + delayMs);
        const { state: after, effects } = applyWorkflowEvent(
          state,
          { type: 'customer_reply' },
          now,
          settings,
        );
        if (delayMs <= days * DAY_MS) {
          expect(after.status).toBe('open');
          expect(after.lastCustomerReplyAt).toEqual(now);
        } else {
          expect(after).toBe(state);
          expect(effects).toEqual([{ kind: 'create_follow_up', fromTicketId: TICKET }]);
        }
      }),
      RUNS,
    );
  });

  it('timestamps never decrease, never pass now, never precede openedAt', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        for (const { before, after, now } of simulate(scenario).steps) {
          for (const field of TIMESTAMP_FIELDS) {
            const b = before[field];
            const a = after[field];
            if (a === undefined) continue;
            if (b !== undefined) expect(a.getTime()).toBeGreaterThanOrEqual(b.getTime());
            expect(a.getTime()).toBeLessThanOrEqual(now.getTime());
            expect(a.getTime()).toBeGreaterThanOrEqual(after.openedAt.getTime());
          }
        }
      }),
      RUNS,
    );
  });

  it('each accepted event leads to the status SPEC §2 names; customer replies are recorded where they land', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        for (const { before, after, event, now, outcome } of simulate(scenario).steps) {
          if (!outcome.ok || before.mergedIntoId !== undefined) continue;
          let expected: TicketStatus | undefined;
          switch (event.type) {
            case 'agent_set_status':
              expected = event.to;
              break;
            case 'agent_public_reply':
              expected = event.statusWithReply ?? 'waiting_on_customer';
              break;
            case 'agent_internal_note':
              expected = before.status;
              break;
            case 'customer_reply':
              if (before.status === 'waiting_on_customer' || before.status === 'resolved') expected = 'open';
              else if (before.status === 'closed')
                expected = undefined; // the reopen property covers it
              else expected = before.status;
              break;
            case 'customer_confirm':
            case 'merged_into':
            case 'auto_close':
              expected = 'closed';
              break;
            case 'reopen':
              expected = 'open';
              break;
          }
          if (expected !== undefined) expect(after.status).toBe(expected);
          // A reply that stays on this ticket is recorded on it; one that goes to a follow-up is not.
          if (event.type === 'customer_reply') {
            expect(after.lastCustomerReplyAt).toEqual(
              after.status === 'closed' ? before.lastCustomerReplyAt : now,
            );
          }
        }
      }),
      RUNS,
    );
  });

  it('an event is refused exactly when the workflow forbids it, with FAILED_PRECONDITION or INVALID_ARGUMENT', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        for (const { before, event, outcome } of simulate(scenario).steps) {
          const s = before.status;
          let refused: boolean;
          if (before.mergedIntoId !== undefined) refused = event.type !== 'customer_reply';
          else {
            switch (event.type) {
              case 'agent_set_status':
                refused = s === 'closed' && event.to !== 'closed';
                break;
              case 'agent_public_reply':
                refused = s === 'closed';
                break;
              case 'agent_internal_note':
              case 'customer_reply':
                refused = false;
                break;
              case 'customer_confirm':
                refused = s !== 'resolved';
                break;
              case 'reopen':
                refused = s !== 'closed';
                break;
              case 'auto_close':
                refused = s !== event.from;
                break;
              case 'merged_into':
                refused = s === 'closed' || event.ticketId === TICKET;
                break;
            }
          }
          expect({ event, status: s, refused: !outcome.ok }).toEqual({ event, status: s, refused });
          if (!outcome.ok) {
            const selfMerge =
              event.type === 'merged_into' && event.ticketId === TICKET && !before.mergedIntoId;
            expect(outcome.error.code).toBe(selfMerge ? 'INVALID_ARGUMENT' : 'FAILED_PRECONDITION');
          }
        }
      }),
      RUNS,
    );
  });

  it('effects match the change: status_changed, resolution notice, to-dos, follow-up and redirect', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        for (const { before, after, event, outcome } of simulate(scenario).steps) {
          if (!outcome.ok) continue;
          const got = kinds(outcome.effects);
          expect(new Set(got).size).toBe(got.length);
          const changed = before.status !== after.status;
          expect(outcome.effects.filter((e) => e.kind === 'status_changed')).toEqual(
            changed ? [{ kind: 'status_changed', from: before.status, to: after.status }] : [],
          );
          expect(got.includes('notify_customer_resolved')).toBe(changed && after.status === 'resolved');
          expect(got.includes('todo_done')).toBe(isOpenStatus(before.status) && !isOpenStatus(after.status));
          expect(got.includes('todo_reopen')).toBe(
            !isOpenStatus(before.status) && isOpenStatus(after.status),
          );
          const merged = before.mergedIntoId !== undefined;
          expect(got.includes('create_follow_up')).toBe(
            event.type === 'customer_reply' &&
              !merged &&
              before.status === 'closed' &&
              after.status === 'closed',
          );
          expect(outcome.effects.filter((e) => e.kind === 'redirect_to')).toEqual(
            merged && event.type === 'customer_reply'
              ? [{ kind: 'redirect_to', ticketId: before.mergedIntoId }]
              : [],
          );
          if (got.includes('create_follow_up') || got.includes('redirect_to')) expect(after).toBe(before);
        }
      }),
      RUNS,
    );
  });

  it('a merged ticket never changes again', () => {
    fc.assert(
      fc.property(scenarioArb(), (scenario) => {
        const { steps } = simulate(scenario);
        const mergedAt = steps.findIndex((s) => s.after.mergedIntoId !== undefined);
        if (mergedAt < 0) return;
        const merged = steps[mergedAt]!.after;
        expect(merged.mergedIntoId).toBe(TARGET);
        for (const step of steps.slice(mergedAt + 1)) expect(step.after).toEqual(merged);
      }),
      RUNS,
    );
  });

  it('with a clock that may jump backwards (replica skew), timestamps still never decrease or precede openedAt', () => {
    const skewedGap = fc.oneof(gapArb, fc.integer({ min: -2 * DAY_MS, max: -1 }));
    fc.assert(
      fc.property(scenarioArb(skewedGap), (scenario) => {
        const { steps } = simulate(scenario);
        for (const { before, after } of steps) {
          expect(defined(after, 'closedAt')).toBe(after.status === 'closed');
          for (const field of TIMESTAMP_FIELDS) {
            const b = before[field];
            const a = after[field];
            if (a === undefined) continue;
            if (b !== undefined) expect(a.getTime()).toBeGreaterThanOrEqual(b.getTime());
            expect(a.getTime()).toBeGreaterThanOrEqual(after.openedAt.getTime());
          }
        }
      }),
      RUNS,
    );
  });
});

describe('the generator reaches every case (so the properties above are not vacuous)', () => {
  it('covers every status, effect, accepted and refused event type, and both closed-reply outcomes', () => {
    const statuses = new Set<string>();
    const effects = new Set<string>();
    const accepted = new Set<string>();
    const refused = new Set<string>();
    const closedReplies = new Set<string>();
    for (const scenario of fc.sample(scenarioArb(), { numRuns: 1000, seed: 20260302 })) {
      for (const step of simulate(scenario).steps) {
        statuses.add(step.after.status);
        if (step.outcome.ok) {
          accepted.add(step.event.type);
          kinds(step.outcome.effects).forEach((k) => effects.add(k));
        } else refused.add(step.event.type);
        if (
          step.event.type === 'customer_reply' &&
          step.before.status === 'closed' &&
          !step.before.mergedIntoId
        ) {
          const policy = scenario.settings.closedReplyPolicy;
          closedReplies.add(`${typeof policy === 'object' ? 'days' : 'fixed'}:${step.after.status}`);
          const sinceClose = step.now.getTime() - step.before.closedAt!.getTime();
          if (typeof policy === 'object' && sinceClose === policy.reopenWithinDays * DAY_MS)
            closedReplies.add('days:limit');
        }
      }
    }
    expect([...statuses].sort()).toEqual([...TICKET_STATUSES].sort());
    expect([...effects].sort()).toEqual(
      [
        'create_follow_up',
        'notify_customer_resolved',
        'redirect_to',
        'status_changed',
        'todo_done',
        'todo_reopen',
      ].sort(),
    );
    const types = [
      'agent_set_status',
      'agent_public_reply',
      'agent_internal_note',
      'customer_reply',
      'customer_confirm',
      'reopen',
      'auto_close',
      'merged_into',
    ];
    expect([...accepted].sort()).toEqual([...types].sort());
    expect([...refused].sort()).toEqual(types.filter((t) => t !== 'customer_reply').sort());
    expect([...closedReplies].sort()).toEqual([
      'days:closed',
      'days:limit',
      'days:open',
      'fixed:closed',
      'fixed:open',
    ]);
  });
});
