import { automationEventsV1 } from '@helpdesk/contracts';
import type { PendingRun, TriggerEnvelope } from './ports';
import { firedRun, runCompletedEvent } from './run-events';

const at = new Date('2027-04-03T07:00:00.250Z');
const base = {
  id: 'run-1',
  tenantId: 'tenant-1',
  rule: { id: 'rule-1', name: 'Close stale', version: 4 },
  ticketId: 'ticket-1',
  ticketNumber: 42,
  triggerType: 'time' as const,
  eventId: 'timer:rule-1:ticket-1:1775199600000',
  origin: { originId: 'timer:rule-1:ticket-1:1775199600000', depth: 0 },
  at,
};

describe('a fired run and its events', () => {
  it("writes rule_fired with the actions pending; a time rule's webhook sends it", () => {
    const run = firedRun(
      base,
      [
        { type: 'set', field: 'status', value: 'closed' },
        { type: 'webhook', webhookId: 'hook-1' },
      ],
      undefined,
      'event-1',
    );
    expect(run).toMatchObject({ outcome: 'fired', reason: null });
    expect(run.firedEvent).toMatchObject({
      id: 'event-1',
      type: 'helpdesk.automation.rule_fired',
      version: 1,
      tenantId: 'tenant-1',
      occurredAt: '2027-04-03T07:00:00.250Z',
    });
    expect(automationEventsV1.RuleRunEvent.fromJSON(run.firedEvent!.data)).toEqual({
      runId: 'run-1',
      ruleId: 'rule-1',
      ruleName: 'Close stale',
      ruleVersion: 4,
      trigger: { type: 'time', eventId: base.eventId },
      ticketId: 'ticket-1',
      ticketNumber: 42,
      actions: [
        { type: 'set', result: 'pending', error: '' },
        { type: 'webhook', result: 'pending', error: '' },
      ],
      firedAt: at,
      completedAt: undefined,
    });
    expect(run.planned[1]).toEqual({ type: 'webhook', webhookId: 'hook-1', event: run.firedEvent });
    expect(run.planned[0]).toEqual({ type: 'set', field: 'status', value: 'closed' });
  });

  it("sends an event rule's triggering event, not its rule_fired", () => {
    const trigger: TriggerEnvelope = {
      id: 'bus-1',
      type: 'helpdesk.ticket.created',
      version: 1,
      tenantId: 'tenant-1',
      occurredAt: at.toISOString(),
      data: {},
    };
    const run = firedRun(
      { ...base, triggerType: 'event', eventId: 'bus-1' },
      [{ type: 'webhook', webhookId: 'hook-1' }],
      trigger,
      'event-2',
    );
    expect(run.planned[0]).toEqual({ type: 'webhook', webhookId: 'hook-1', event: trigger });
    expect(run.firedEvent!.type).toBe('helpdesk.automation.rule_fired');
  });

  it('writes run_completed with every outcome', () => {
    const pending: PendingRun = {
      id: 'run-1',
      tenantId: 'tenant-1',
      ruleId: 'rule-1',
      ruleVersion: 4,
      ruleName: 'Monthly',
      ticketId: null,
      ticketNumber: null,
      triggerType: 'schedule',
      eventId: 'schedule:rule-1:2027-04-01T07:00:00.000Z',
      at,
      planned: [],
      results: [],
      origin: { originId: 'schedule:rule-1:2027-04-01T07:00:00.000Z', depth: 0 },
      attempts: 1,
    };
    const done = new Date('2027-04-03T07:00:01Z');
    const event = runCompletedEvent(
      pending,
      [
        { type: 'create_ticket', result: 'ok', error: null },
        { type: 'webhook', result: 'failed', error: 'the webhook is disabled (admin)' },
      ],
      done,
      'event-3',
    );
    expect(event).toMatchObject({ id: 'event-3', type: 'helpdesk.automation.run_completed' });
    expect(event.data).toEqual({
      runId: 'run-1',
      ruleId: 'rule-1',
      ruleName: 'Monthly',
      ruleVersion: 4,
      trigger: { type: 'schedule', eventId: pending.eventId },
      actions: [
        { type: 'create_ticket', result: 'ok' },
        { type: 'webhook', result: 'failed', error: 'the webhook is disabled (admin)' },
      ],
      firedAt: at.toISOString(),
      completedAt: done.toISOString(),
    });
  });
});
