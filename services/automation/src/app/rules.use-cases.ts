// The rule CRUD of docs/product/automation.md: every change is a new version (runs name the version they used),
// If-Match on change and delete, another tenant's rule is NOT_FOUND.
import { checkVersion, notFound, staleWrite } from '@helpdesk/platform';
import type { Action, Rule } from '../domain/rule';
import type { Clock, IdGenerator, RuleActor, RuleCursor, RuleRepository, WebhookDeliveries } from './ports';
import { checkName, checkPosition, parseDefinition, throwIfProblems, type FieldProblem } from './rule-input';
import { reschedule, scheduleStateOf } from './schedules.use-cases';

export interface CreateRuleCommand {
  tenantId: string;
  actor: RuleActor;
  name: string;
  position?: number;
  active?: boolean;
  stopProcessing: boolean;
  triggerJson: string;
  conditionsJson: string;
  actionsJson: string;
}

export interface UpdateRuleCommand {
  tenantId: string;
  actor: RuleActor;
  id: string;
  expectedVersion?: number;
  name?: string;
  position?: number;
  active?: boolean;
  stopProcessing?: boolean;
  triggerJson?: string;
  conditionsJson?: string;
  actionsJson?: string;
}

export class RuleUseCases {
  constructor(
    private readonly deps: {
      rules: RuleRepository;
      clock: Clock;
      ids: IdGenerator;
      webhooks: WebhookDeliveries;
    },
  ) {}

  private async zoneOf(rule: Rule): Promise<string | null> {
    return rule.trigger.type === 'schedule' ? this.deps.rules.timeZoneOf(rule.tenantId) : null;
  }

  /** A `webhook` action must name an endpoint of the tenant (the notification service's). */
  private async checkWebhooks(tenantId: string, actions: readonly Action[]): Promise<void> {
    const problems: FieldProblem[] = [];
    for (const [i, action] of actions.entries()) {
      if (action.type !== 'webhook') continue;
      if (!(await this.deps.webhooks.exists(tenantId, action.webhookId)))
        problems.push({ path: ['actions', i, 'webhookId'], message: 'no webhook of the tenant has this id' });
    }
    throwIfProblems(problems);
  }

  async create(command: CreateRuleCommand): Promise<Rule> {
    const name = checkName(command.name);
    const parts = parseDefinition({
      trigger: command.triggerJson,
      conditions: command.conditionsJson,
      actions: command.actionsJson,
    });
    await this.checkWebhooks(command.tenantId, parts.actions);
    const position =
      command.position === undefined
        ? await this.deps.rules.nextPosition(command.tenantId)
        : checkPosition(command.position);
    const now = this.deps.clock.now();
    const rule: Rule = {
      id: this.deps.ids.newId(),
      tenantId: command.tenantId,
      name,
      position,
      active: command.active ?? true,
      stopProcessing: command.stopProcessing,
      ...parts,
      version: 1,
      createdAt: now,
      updatedAt: now,
      stats: { fired: 0, skipped: 0, lastFiredAt: null },
    };
    await this.deps.rules.insert(
      rule,
      command.actor,
      scheduleStateOf(rule, await this.zoneOf(rule), rule.updatedAt),
    );
    return rule;
  }

  async get(tenantId: string, id: string): Promise<Rule> {
    const rule = await this.deps.rules.find(tenantId, id);
    if (!rule) throw notFound('rule');
    return rule;
  }

  list(tenantId: string, limit: number, after?: RuleCursor): Promise<Rule[]> {
    return this.deps.rules.list(tenantId, limit, after);
  }

  async update(command: UpdateRuleCommand): Promise<Rule> {
    const before = await this.get(command.tenantId, command.id);
    checkVersion('the rule', command.expectedVersion, before.version);
    const parts = parseDefinition(
      { trigger: command.triggerJson, conditions: command.conditionsJson, actions: command.actionsJson },
      before,
    );
    if (command.actionsJson !== undefined) await this.checkWebhooks(command.tenantId, parts.actions);
    const after: Rule = {
      ...before,
      ...parts,
      name: command.name === undefined ? before.name : checkName(command.name),
      position: command.position === undefined ? before.position : checkPosition(command.position),
      active: command.active ?? before.active,
      stopProcessing: command.stopProcessing ?? before.stopProcessing,
      version: before.version + 1,
      updatedAt: this.deps.clock.now(),
    };
    // an edit that keeps the recurrence keeps its next occurrence and DTSTART (docs/adr/0053)
    const schedule = reschedule(after, await this.zoneOf(after), after.updatedAt);
    if (!(await this.deps.rules.update(after, before.version, command.actor, schedule)))
      throw staleWrite('the rule');
    return after;
  }

  async delete(command: { tenantId: string; id: string; expectedVersion?: number }): Promise<void> {
    const rule = await this.get(command.tenantId, command.id);
    checkVersion('the rule', command.expectedVersion, rule.version);
    const deleted = await this.deps.rules.delete(
      command.tenantId,
      command.id,
      rule.version,
      this.deps.clock.now(),
    );
    if (!deleted) throw staleWrite('the rule');
  }
}
