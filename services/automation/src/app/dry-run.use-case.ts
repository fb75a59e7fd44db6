// POST /automation-rules/:id/dry-run and /automation-rules/dry-run: a rule's conditions against a ticket as it is
// now, each with the ticket's actual value, and the actions it would apply; nothing is changed or logged.
import { notFound } from '@helpdesk/platform';
import { renderAction } from '../domain/actions';
import { evaluate, type ConditionOutcome } from '../domain/conditions';
import type { Action, Conditions } from '../domain/rule';
import type { RuleRepository, TicketCommands } from './ports';
import { parseDefinition, throwIfProblems } from './rule-input';

export interface DryRunResult {
  matched: boolean;
  conditions: ConditionOutcome[];
  actions: Action[];
}

export class DryRunUseCase {
  constructor(private readonly deps: { rules: RuleRepository; tickets: TicketCommands }) {}

  async execute(command: {
    tenantId: string;
    ticketId: string;
    ruleId?: string;
    ruleJson?: string;
  }): Promise<DryRunResult> {
    let conditions: Conditions;
    let actions: Action[];
    if (command.ruleId) {
      const rule = await this.deps.rules.find(command.tenantId, command.ruleId);
      if (!rule) throw notFound('rule');
      ({ conditions, actions } = rule);
    } else {
      ({ conditions, actions } = parseUnsaved(command.ruleJson ?? ''));
    }
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
