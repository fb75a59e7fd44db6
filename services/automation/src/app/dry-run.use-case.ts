// POST /automation-rules/:id/dry-run and /automation-rules/dry-run: a rule's conditions against a ticket as it is
// now, each with the ticket's actual value, and the actions it would apply; nothing is changed or logged.
import { invalidArgument, notFound } from '@helpdesk/platform';
import { renderAction } from '../domain/actions';
import { evaluate, type ConditionOutcome } from '../domain/conditions';
import type { Action, Conditions, Trigger } from '../domain/rule';
import type { Clock, RuleRepository, ScheduleState, TicketCommands } from './ports';
import { parseDefinition, throwIfProblems } from './rule-input';
import { upcoming } from './schedules.use-cases';

/** How many of a schedule rule's next occurrences a dry run answers. */
export const DRY_RUN_OCCURRENCES = 10;

export interface DryRunResult {
  matched: boolean;
  conditions: ConditionOutcome[];
  actions: Action[];
  /** A schedule rule's next occurrences (it acts on no ticket); undefined for the other rules. */
  occurrences?: Date[];
}

export class DryRunUseCase {
  constructor(private readonly deps: { rules: RuleRepository; tickets: TicketCommands; clock: Clock }) {}

  async execute(command: {
    tenantId: string;
    ticketId?: string;
    ruleId?: string;
    ruleJson?: string;
  }): Promise<DryRunResult> {
    let conditions: Conditions;
    let actions: Action[];
    let trigger: Trigger;
    let stored: ScheduleState | null = null;
    if (command.ruleId) {
      const rule = await this.deps.rules.find(command.tenantId, command.ruleId);
      if (!rule) throw notFound('rule');
      ({ conditions, actions, trigger } = rule);
      if (trigger.type === 'schedule') stored = await this.deps.rules.scheduleOf(command.tenantId, rule.id);
    } else {
      ({ conditions, actions, trigger } = parseUnsaved(command.ruleJson ?? ''));
    }
    if (trigger.type === 'schedule') {
      // when it would create its tickets: a saved rule's next occurrences as stored, an unsaved one's as if saved now
      const zone = await this.deps.rules.timeZoneOf(command.tenantId);
      return {
        matched: true,
        conditions: [],
        actions: actions.map((a) => renderAction(a, null)),
        occurrences: upcoming({ trigger }, zone, this.deps.clock.now(), DRY_RUN_OCCURRENCES, stored),
      };
    }
    if (!command.ticketId)
      throw invalidArgument('a dry run needs a ticket', [{ path: ['ticketId'], message: 'required' }]);
    const ticket = await this.deps.tickets.get(command.tenantId, command.ticketId);
    if (!ticket) throw notFound('ticket');
    // as of now: no change and no message is being looked at
    const { matched, outcomes } = evaluate(conditions, { ticket, changes: [], message: null });
    return { matched, conditions: outcomes, actions: actions.map((a) => renderAction(a, ticket)) };
  }
}

function parseUnsaved(json: string) {
  let rule: unknown;
  try {
    rule = JSON.parse(json);
  } catch {
    rule = undefined;
  }
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throwIfProblems([{ path: ['rule'], message: 'must be an object {trigger, conditions?, actions}' }]);
  }
  const r = rule as Record<string, unknown>;
  const part = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));
  try {
    return parseDefinition({
      trigger: part(r.trigger),
      conditions: part(r.conditions),
      actions: part(r.actions),
    });
  } catch (err) {
    // the unsaved rule sits under `rule` in the request
    const details = (err as { details?: unknown }).details;
    if (Array.isArray(details))
      (err as { details: unknown }).details = details.map((d: { path: string[]; message: string }) => ({
        ...d,
        path: ['rule', ...d.path],
      }));
    throw err;
  }
}
