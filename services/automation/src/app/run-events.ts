// The `helpdesk.automation.*` events of a fired rule (docs/product/automation.md "Events", docs/adr/0049):
// `rule_fired`, written with the run when the rule fires, and `run_completed`, written with the run's last result.
// A `webhook` action sends the event that triggered the rule; a time or schedule rule has none on the bus, so its
// webhook actions send the run's `rule_fired`.
import { encodeEvent, type automationEventsV1 } from '@helpdesk/contracts';
import type { Action } from '../domain/rule';
import type { ActionOutcome, NewRun, PendingRun, PlannedAction, TriggerEnvelope } from './ports';

type RunFacts = Pick<
  NewRun,
  'id' | 'tenantId' | 'rule' | 'ticketId' | 'ticketNumber' | 'triggerType' | 'eventId' | 'at'
>;

function data(
  run: RunFacts,
  actions: readonly ActionOutcome[],
  completedAt: Date | undefined,
): automationEventsV1.RuleRunEvent {
  return {
    runId: run.id,
    ruleId: run.rule.id,
    ruleName: run.rule.name,
    ruleVersion: run.rule.version,
    trigger: { type: run.triggerType, eventId: run.eventId },
    ticketId: run.ticketId ?? '',
    ticketNumber: run.ticketNumber ?? 0,
    actions: actions.map((a) => ({ type: a.type, result: a.result, error: a.error ?? '' })),
    firedAt: run.at,
    completedAt,
  };
}

/**
 * A fired run as it is written: its `rule_fired` event (id `eventId`, its actions pending) and the actions to apply,
 * each `webhook` with the event it sends, `trigger` (the bus event that triggered the rule) or else the run's own.
 */
export function firedRun(
  run: Omit<NewRun, 'outcome' | 'reason' | 'planned' | 'firedEvent'>,
  actions: readonly Action[],
  trigger: TriggerEnvelope | undefined,
  eventId: string,
): NewRun {
  const pending = actions.map((a) => ({ type: a.type, result: 'pending' as const, error: null }));
  const firedEvent: TriggerEnvelope = {
    id: eventId,
    type: 'helpdesk.automation.rule_fired',
    version: 1,
    tenantId: run.tenantId,
    occurredAt: run.at.toISOString(),
    data: encodeEvent('helpdesk.automation.rule_fired', data(run, pending, undefined)),
  };
  const planned: PlannedAction[] = actions.map((a) =>
    a.type === 'webhook' ? { ...a, event: trigger ?? firedEvent } : a,
  );
  return { ...run, outcome: 'fired', reason: null, planned, firedEvent };
}

/** The run's `run_completed` event: every action with its outcome, the run done at `at`. */
export function runCompletedEvent(
  run: PendingRun,
  results: readonly ActionOutcome[],
  at: Date,
  eventId: string,
): TriggerEnvelope {
  const facts: RunFacts = {
    id: run.id,
    tenantId: run.tenantId,
    rule: { id: run.ruleId, name: run.ruleName, version: run.ruleVersion },
    ticketId: run.ticketId,
    ticketNumber: run.ticketNumber,
    triggerType: run.triggerType,
    eventId: run.eventId,
    at: run.at,
  };
  return {
    id: eventId,
    type: 'helpdesk.automation.run_completed',
    version: 1,
    tenantId: run.tenantId,
    occurredAt: at.toISOString(),
    data: encodeEvent('helpdesk.automation.run_completed', data(facts, results, at)),
  };
}
