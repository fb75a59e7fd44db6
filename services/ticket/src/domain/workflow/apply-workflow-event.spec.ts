// Example-based tests: one block per row of the status workflow table
// (docs/product/tickets.md), then the rules it leaves to us.
import { DomainError, type ErrorCode } from '@helpdesk/platform';
import { applyWorkflowEvent, type WorkflowResult } from './apply-workflow-event';
import { TICKET_STATUSES, type TicketStatus } from './ticket-status';
import type { WorkflowEvent } from './workflow-event';
import { DAY_MS, type WorkflowSettings } from './workflow-settings';
import { openWorkflow, type WorkflowState } from './workflow-state';

const TICKET = '6f1d2c3b-0000-4000-8000-000000000001';
const OTHER = '6f1d2c3b-0000-4000-8000-000000000002';
const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Replays events one minute apart from a ticket opened at T0; returns the last state. */
function given(...events: WorkflowEvent[]): WorkflowState {
  return events.reduce(
    (state, event, i) => applyWorkflowEvent(state, event, at(i + 1)).state,
    openWorkflow(TICKET, T0),
  );
}

function expectDomainError(fn: () => unknown, code: ErrorCode): DomainError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DomainError);
  expect((caught as DomainError).code).toBe(code);
  return caught as DomainError;
}

const setStatus = (to: TicketStatus, resolutionDetails?: string): WorkflowEvent =>
  resolutionDetails === undefined
    ? { type: 'agent_set_status', to }
    : { type: 'agent_set_status', to, resolutionDetails };
const reply: WorkflowEvent = { type: 'agent_public_reply' };
const note: WorkflowEvent = { type: 'agent_internal_note' };
const customerReply: WorkflowEvent = { type: 'customer_reply' };
const NOW = at(100);

describe('SPEC §2 row: ticket created', () => {
  it('is open with openedAt = now and nothing else set', () => {
    expect(openWorkflow(TICKET, T0)).toEqual({ ticketId: TICKET, status: 'open', openedAt: T0 });
  });
});

describe('SPEC §2 row: agent public reply (not an internal note)', () => {
  it('the first one sets firstRespondedAt and lastAgentReplyAt and moves to waiting_on_customer', () => {
    const { state, effects } = applyWorkflowEvent(openWorkflow(TICKET, T0), reply, NOW);
    expect(state).toEqual({
      ticketId: TICKET,
      status: 'waiting_on_customer',
      openedAt: T0,
      firstRespondedAt: NOW,
      lastAgentReplyAt: NOW,
    });
    expect(effects).toEqual([{ kind: 'status_changed', from: 'open', to: 'waiting_on_customer' }]);
  });

  it('later replies move lastAgentReplyAt but never firstRespondedAt', () => {
    const first = applyWorkflowEvent(openWorkflow(TICKET, T0), reply, at(1)).state;
    const reopened = applyWorkflowEvent(first, customerReply, at(2)).state;
    const { state } = applyWorkflowEvent(reopened, reply, at(3));
    expect(state.firstRespondedAt).toEqual(at(1));
    expect(state.lastAgentReplyAt).toEqual(at(3));
    expect(state.status).toBe('waiting_on_customer');
  });

  it.each(TICKET_STATUSES.filter((s) => s !== 'waiting_on_customer'))(
    'keeps the status the agent chose with the reply: %s',
    (chosen) => {
      const { state } = applyWorkflowEvent(
        given(setStatus('in_progress')),
        { ...reply, statusWithReply: chosen },
        NOW,
      );
      expect(state.status).toBe(chosen);
      expect(state.firstRespondedAt).toEqual(NOW);
    },
  );

  it('a reply that resolves behaves like → resolved (notification, to-do done, details kept)', () => {
    const { state, effects } = applyWorkflowEvent(
      openWorkflow(TICKET, T0),
      { type: 'agent_public_reply', statusWithReply: 'resolved', resolutionDetails: 'Replaced toner' },
      NOW,
    );
    expect(state).toMatchObject({ status: 'resolved', resolvedAt: NOW, resolutionDetails: 'Replaced toner' });
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'open', to: 'resolved' },
      { kind: 'notify_customer_resolved' },
      { kind: 'todo_done' },
    ]);
  });

  it('a reply while already waiting on the customer changes no status and emits no effect', () => {
    const waiting = given(reply);
    const { state, effects } = applyWorkflowEvent(waiting, reply, NOW);
    expect(state.status).toBe('waiting_on_customer');
    expect(state.lastAgentReplyAt).toEqual(NOW);
    expect(effects).toEqual([]);
  });

  it('is refused on a closed ticket with FAILED_PRECONDITION', () => {
    const closed = given(setStatus('closed'));
    expectDomainError(() => applyWorkflowEvent(closed, reply, NOW), 'FAILED_PRECONDITION');
  });

  it('an internal note is not a reply: nothing changes, whatever the status', () => {
    for (const state of [given(), given(reply), given(setStatus('resolved')), given(setStatus('closed'))]) {
      const result = applyWorkflowEvent(state, note, NOW);
      expect(result.state).toBe(state);
      expect(result.effects).toEqual([]);
    }
  });
});

describe('SPEC §2 row: customer reply on waiting_on_customer or resolved → open', () => {
  it('waiting_on_customer → open, lastCustomerReplyAt set', () => {
    const { state, effects } = applyWorkflowEvent(given(reply), customerReply, NOW);
    expect(state.status).toBe('open');
    expect(state.lastCustomerReplyAt).toEqual(NOW);
    expect(effects).toEqual([{ kind: 'status_changed', from: 'waiting_on_customer', to: 'open' }]);
  });

  it('resolved → open clears resolvedAt, keeps resolutionDetails and reopens the to-do', () => {
    const resolved = given(setStatus('resolved', 'Rebooted the switch'));
    const { state, effects } = applyWorkflowEvent(resolved, customerReply, NOW);
    expect(state.status).toBe('open');
    expect(state).not.toHaveProperty('resolvedAt');
    expect(state.resolutionDetails).toBe('Rebooted the switch');
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'resolved', to: 'open' },
      { kind: 'todo_reopen' },
    ]);
  });

  it.each(['open', 'in_progress', 'waiting_on_third_party'] as const)('%s keeps its status', (status) => {
    const start = given(setStatus(status));
    const { state, effects } = applyWorkflowEvent(start, customerReply, NOW);
    expect(state).toEqual({ ...start, lastCustomerReplyAt: NOW });
    expect(effects).toEqual([]);
  });
});

describe('SPEC §2 row: customer reply on closed → a follow-up ticket', () => {
  const closedAtMinute = 1;
  const closed = () => given(setStatus('closed'));

  it('by default leaves the closed ticket as it is and asks for a follow-up linked to it', () => {
    const start = closed();
    const { state, effects } = applyWorkflowEvent(start, customerReply, NOW);
    expect(state).toBe(start);
    expect(effects).toEqual([{ kind: 'create_follow_up', fromTicketId: TICKET }]);
  });

  it("with closedReplyPolicy 'reopen' goes back to open and clears closedAt and resolvedAt", () => {
    const settings: WorkflowSettings = { closedReplyPolicy: 'reopen' };
    const { state, effects } = applyWorkflowEvent(closed(), customerReply, at(60 * 24 * 400), settings);
    expect(state.status).toBe('open');
    expect(state).not.toHaveProperty('closedAt');
    expect(state).not.toHaveProperty('resolvedAt');
    expect(state.lastCustomerReplyAt).toEqual(at(60 * 24 * 400));
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'closed', to: 'open' },
      { kind: 'todo_reopen' },
    ]);
  });

  it('with { reopenWithinDays: 7 } reopens up to exactly 7 days after closing, then opens a follow-up', () => {
    const settings: WorkflowSettings = { closedReplyPolicy: { reopenWithinDays: 7 } };
    const closedAt = at(closedAtMinute);
    const justInside = new Date(closedAt.getTime() + 7 * DAY_MS);
    const justOutside = new Date(justInside.getTime() + 1);
    expect(applyWorkflowEvent(closed(), customerReply, justInside, settings).state.status).toBe('open');
    const late = applyWorkflowEvent(closed(), customerReply, justOutside, settings);
    expect(late.state.status).toBe('closed');
    expect(late.effects).toEqual([{ kind: 'create_follow_up', fromTicketId: TICKET }]);
  });

  it('with { reopenWithinDays: 0 } reopens only a reply in the same instant as the close', () => {
    const settings: WorkflowSettings = { closedReplyPolicy: { reopenWithinDays: 0 } };
    expect(applyWorkflowEvent(closed(), customerReply, at(closedAtMinute), settings).state.status).toBe(
      'open',
    );
    expect(applyWorkflowEvent(closed(), customerReply, at(closedAtMinute + 1), settings).state.status).toBe(
      'closed',
    );
  });

  it('refuses a malformed policy that bypassed the settings schema', () => {
    const bad = { closedReplyPolicy: { reopenWithinDays: -1 } } as WorkflowSettings;
    expectDomainError(() => applyWorkflowEvent(closed(), customerReply, NOW, bad), 'INVALID_ARGUMENT');
  });
});

describe('SPEC §2 row: → resolved', () => {
  it('sets resolvedAt, keeps the resolution details, notifies the customer and completes the to-do', () => {
    const { state, effects } = applyWorkflowEvent(given(reply), setStatus('resolved', 'Password reset'), NOW);
    expect(state).toMatchObject({ status: 'resolved', resolvedAt: NOW, resolutionDetails: 'Password reset' });
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'waiting_on_customer', to: 'resolved' },
      { kind: 'notify_customer_resolved' },
      { kind: 'todo_done' },
    ]);
  });

  it('keeps earlier resolution details when none are given', () => {
    const reopened = given(setStatus('resolved', 'First fix'), customerReply);
    expect(applyWorkflowEvent(reopened, setStatus('resolved'), NOW).state.resolutionDetails).toBe(
      'First fix',
    );
  });

  it('updates the details of an already resolved ticket without touching resolvedAt or notifying again', () => {
    const resolved = given(setStatus('resolved', 'First fix'));
    const { state, effects } = applyWorkflowEvent(resolved, setStatus('resolved', 'Better words'), NOW);
    expect(state).toEqual({ ...resolved, resolutionDetails: 'Better words' });
    expect(effects).toEqual([]);
  });

  it('the customer may confirm (→ closed, closedAt set, resolvedAt kept)', () => {
    const resolved = given(setStatus('resolved'));
    const { state, effects } = applyWorkflowEvent(resolved, { type: 'customer_confirm' }, NOW);
    expect(state).toMatchObject({ status: 'closed', closedAt: NOW, resolvedAt: at(1) });
    expect(effects).toEqual([{ kind: 'status_changed', from: 'resolved', to: 'closed' }]);
  });

  it.each(TICKET_STATUSES.filter((s) => s !== 'resolved'))('confirm is refused on %s', (status) => {
    expectDomainError(
      () => applyWorkflowEvent(given(setStatus(status)), { type: 'customer_confirm' }, NOW),
      'FAILED_PRECONDITION',
    );
  });

  it('an agent moving it back to an open status clears resolvedAt (reopened)', () => {
    const { state, effects } = applyWorkflowEvent(
      given(setStatus('resolved')),
      setStatus('in_progress'),
      NOW,
    );
    expect(state.status).toBe('in_progress');
    expect(state).not.toHaveProperty('resolvedAt');
    expect(effects).toContainEqual({ kind: 'todo_reopen' });
  });
});

describe('SPEC §2 row: → closed', () => {
  it('from resolved sets closedAt and keeps resolvedAt', () => {
    const { state } = applyWorkflowEvent(given(setStatus('resolved')), setStatus('closed'), NOW);
    expect(state).toMatchObject({ status: 'closed', closedAt: NOW, resolvedAt: at(1) });
  });

  it.each(['open', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party'] as const)(
    'an agent may close straight from %s: closedAt and resolvedAt = now, to-do done, no resolution notice',
    (status) => {
      const { state, effects } = applyWorkflowEvent(given(setStatus(status)), setStatus('closed'), NOW);
      expect(state).toMatchObject({ status: 'closed', closedAt: NOW, resolvedAt: NOW });
      expect(effects).toContainEqual({ kind: 'todo_done' });
      expect(effects).not.toContainEqual({ kind: 'notify_customer_resolved' });
    },
  );

  it.each(TICKET_STATUSES.filter((s) => s !== 'closed'))('agents cannot move a closed ticket to %s', (to) => {
    const closed = given(setStatus('closed'));
    const error = expectDomainError(
      () => applyWorkflowEvent(closed, setStatus(to), NOW),
      'FAILED_PRECONDITION',
    );
    expect(error.message).toContain('reopen');
  });

  it('setting closed on a closed ticket is a no-op', () => {
    const closed = given(setStatus('closed'));
    expect(applyWorkflowEvent(closed, setStatus('closed'), NOW)).toEqual({ state: closed, effects: [] });
  });

  it('reopen brings a closed ticket back to open, clearing closedAt and resolvedAt', () => {
    const { state, effects } = applyWorkflowEvent(
      given(setStatus('resolved'), setStatus('closed')),
      { type: 'reopen' },
      NOW,
    );
    expect(state.status).toBe('open');
    expect(state).not.toHaveProperty('closedAt');
    expect(state).not.toHaveProperty('resolvedAt');
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'closed', to: 'open' },
      { kind: 'todo_reopen' },
    ]);
  });

  it.each(TICKET_STATUSES.filter((s) => s !== 'closed'))('reopen is refused on %s', (status) => {
    expectDomainError(
      () => applyWorkflowEvent(given(setStatus(status)), { type: 'reopen' }, NOW),
      'FAILED_PRECONDITION',
    );
  });
});

describe('SPEC §2 rows: automatic close (7 days waiting_on_customer, 3 days resolved)', () => {
  it('closes a ticket still waiting on the customer', () => {
    const { state, effects } = applyWorkflowEvent(
      given(reply),
      { type: 'auto_close', from: 'waiting_on_customer' },
      NOW,
    );
    expect(state).toMatchObject({ status: 'closed', closedAt: NOW, resolvedAt: NOW });
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'waiting_on_customer', to: 'closed' },
      { kind: 'todo_done' },
    ]);
  });

  it('closes a resolved ticket, keeping its resolvedAt', () => {
    const { state } = applyWorkflowEvent(
      given(setStatus('resolved')),
      { type: 'auto_close', from: 'resolved' },
      NOW,
    );
    expect(state).toMatchObject({ status: 'closed', closedAt: NOW, resolvedAt: at(1) });
  });

  it('a stale timer does not close a ticket that moved on (customer replied meanwhile)', () => {
    const reopened = given(reply, customerReply);
    expectDomainError(
      () => applyWorkflowEvent(reopened, { type: 'auto_close', from: 'waiting_on_customer' }, NOW),
      'FAILED_PRECONDITION',
    );
  });

  it('refuses a rule for any other status', () => {
    const event = { type: 'auto_close', from: 'open' } as unknown as WorkflowEvent;
    expectDomainError(() => applyWorkflowEvent(given(), event, NOW), 'INVALID_ARGUMENT');
  });
});

describe('merge', () => {
  it('closes the ticket with mergedIntoId and completes the to-do', () => {
    const { state, effects } = applyWorkflowEvent(
      given(reply),
      { type: 'merged_into', ticketId: OTHER },
      NOW,
    );
    expect(state).toMatchObject({ status: 'closed', mergedIntoId: OTHER, closedAt: NOW, resolvedAt: NOW });
    expect(effects).toEqual([
      { kind: 'status_changed', from: 'waiting_on_customer', to: 'closed' },
      { kind: 'todo_done' },
    ]);
  });

  it('redirects a customer reply to the surviving ticket and changes nothing', () => {
    const merged = given({ type: 'merged_into', ticketId: OTHER });
    const result = applyWorkflowEvent(merged, customerReply, NOW, { closedReplyPolicy: 'reopen' });
    expect(result).toEqual({ state: merged, effects: [{ kind: 'redirect_to', ticketId: OTHER }] });
  });

  it.each<WorkflowEvent>([
    reply,
    note,
    setStatus('open'),
    { type: 'reopen' },
    { type: 'customer_confirm' },
    { type: 'merged_into', ticketId: OTHER },
    { type: 'auto_close', from: 'resolved' },
  ])('a merged ticket refuses $type', (event) => {
    const merged = given({ type: 'merged_into', ticketId: OTHER });
    expectDomainError(() => applyWorkflowEvent(merged, event, NOW), 'FAILED_PRECONDITION');
  });

  it('refuses merging into itself, into nothing, or a closed ticket', () => {
    expectDomainError(
      () => applyWorkflowEvent(given(), { type: 'merged_into', ticketId: TICKET }, NOW),
      'INVALID_ARGUMENT',
    );
    expectDomainError(
      () => applyWorkflowEvent(given(), { type: 'merged_into', ticketId: '' }, NOW),
      'INVALID_ARGUMENT',
    );
    expectDomainError(
      () => applyWorkflowEvent(given(setStatus('closed')), { type: 'merged_into', ticketId: OTHER }, NOW),
      'FAILED_PRECONDITION',
    );
  });
});

describe('agents move freely among the first five statuses', () => {
  const five = TICKET_STATUSES.filter((s) => s !== 'closed');
  it.each(five.flatMap((from) => five.filter((to) => to !== from).map((to) => [from, to] as const)))(
    '%s → %s',
    (from, to) => {
      const { state, effects }: WorkflowResult = applyWorkflowEvent(
        given(setStatus(from)),
        setStatus(to),
        NOW,
      );
      expect(state.status).toBe(to);
      expect(effects[0]).toEqual({ kind: 'status_changed', from, to });
      expect(state.resolvedAt).toEqual(to === 'resolved' ? NOW : undefined);
    },
  );
});

describe('input checks and purity', () => {
  it('refuses an unknown status with INVALID_ARGUMENT', () => {
    const event = { type: 'agent_set_status', to: 'pending' } as unknown as WorkflowEvent;
    expectDomainError(() => applyWorkflowEvent(given(), event, NOW), 'INVALID_ARGUMENT');
    const withReply = { type: 'agent_public_reply', statusWithReply: 'done' } as unknown as WorkflowEvent;
    expectDomainError(() => applyWorkflowEvent(given(), withReply, NOW), 'INVALID_ARGUMENT');
  });

  it('refuses an unknown event type and an invalid now', () => {
    expectDomainError(
      () => applyWorkflowEvent(given(), { type: 'escalate' } as unknown as WorkflowEvent, NOW),
      'INVALID_ARGUMENT',
    );
    expectDomainError(() => applyWorkflowEvent(given(), reply, new Date(Number.NaN)), 'INVALID_ARGUMENT');
  });

  it('a clock behind the ticket (replica skew) is raised to the latest timestamp, never stored backwards', () => {
    const waiting = given(reply); // lastAgentReplyAt = at(1)
    const { state } = applyWorkflowEvent(waiting, customerReply, new Date(T0.getTime() - DAY_MS));
    expect(state.lastCustomerReplyAt).toEqual(at(1));
  });

  it('never mutates the state it is given', () => {
    const start = given(setStatus('resolved', 'x'));
    const snapshot = structuredClone(start);
    applyWorkflowEvent(start, customerReply, NOW);
    applyWorkflowEvent(start, setStatus('closed'), NOW);
    expect(start).toEqual(snapshot);
  });
});
