import { GatewayError } from '../../../app/errors';
import { toPage } from '../../../app/pagination';
import { toActor } from '../../../app/principal';
import {
  toCreateRuleRequest,
  toDryRunDto,
  toListRunsRequest,
  toRuleDto,
  toRunDto,
  toUpdateRuleRequest,
} from '../mappers/automation.mapper';
import { defineRoute, type AnyRoute } from '../route';
import {
  createRuleBodySchema,
  dryRunBodySchema,
  dryRunSchema,
  rulePageSchema,
  ruleSchema,
  runPageSchema,
  runQuerySchema,
  unsavedDryRunBodySchema,
  updateRuleBodySchema,
} from '../schemas/automation.schema';
import { idParamsSchema, ifMatchHeadersSchema, pageQuerySchema } from '../schemas/common.schema';
import { z } from 'zod';
import type { RouteDeps } from './route-deps';
import { updateTarget } from '../mappers/update-target';

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new GatewayError('INTERNAL', `Automation service returned no ${what}`);
  return value;
}

const deletedSchema = z.object({}).meta({ id: 'AutomationRuleDeleted' });

/** Automation rules, dry runs and the run log (docs/product/automation.md): agents read, admins change rules. */
export function automationRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/automation-rules',
      operationId: 'listAutomationRules',
      summary: "Lists the tenant's automation rules in position order",
      tag: 'automation',
      access: 'tenant',
      query: pageQuerySchema,
      response: { status: 200, description: 'A page of rules', schema: rulePageSchema },
      handle: async ({ principal, query }) =>
        toPage(
          await deps.automation.listRules({
            tenantId: principal.tenantId,
            page: { limit: query.limit, cursor: query.cursor ?? '' },
          }),
          toRuleDto,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/automation-rules',
      operationId: 'createAutomationRule',
      summary: 'Creates an automation rule at version 1 (admin)',
      tag: 'automation',
      access: 'admin',
      body: createRuleBodySchema,
      response: { status: 201, description: 'Created', schema: ruleSchema },
      handle: async ({ principal, body }) => {
        const { rule } = await deps.automation.createRule(
          toCreateRuleRequest(principal.tenantId, toActor(principal), body),
        );
        return toRuleDto(present(rule, 'rule'));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/automation-rules/:id',
      operationId: 'getAutomationRule',
      summary: 'Reads one automation rule with its counters',
      tag: 'automation',
      access: 'tenant',
      params: idParamsSchema,
      response: { status: 200, description: 'The rule', schema: ruleSchema },
      errors: [404],
      handle: async ({ principal, params }) => {
        const { rule } = await deps.automation.getRule({ tenantId: principal.tenantId, id: params.id });
        return toRuleDto(present(rule, 'rule'));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/automation-rules/:id',
      operationId: 'updateAutomationRule',
      summary: 'Changes an automation rule: a new version (admin)',
      tag: 'automation',
      access: 'admin',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      body: updateRuleBodySchema,
      response: { status: 200, description: 'The rule after the change', schema: ruleSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers, body }) => {
        const { rule } = await deps.automation.updateRule(
          toUpdateRuleRequest(updateTarget(principal, params.id, headers['if-match']), body),
        );
        return toRuleDto(present(rule, 'rule'));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/automation-rules/:id',
      operationId: 'deleteAutomationRule',
      summary: 'Deletes an automation rule; its runs stay in the log (admin)',
      tag: 'automation',
      access: 'admin',
      params: idParamsSchema,
      headers: ifMatchHeadersSchema,
      response: { status: 200, description: 'Deleted', schema: deletedSchema },
      errors: [404, 409],
      handle: async ({ principal, params, headers }) => {
        await deps.automation.deleteRule({
          tenantId: principal.tenantId,
          actor: toActor(principal),
          id: params.id,
          expectedVersion: headers['if-match'],
        });
        return {};
      },
    }),
    defineRoute({
      method: 'post',
      path: '/automation-rules/dry-run',
      operationId: 'dryRunUnsavedAutomationRule',
      summary: 'Tries an unsaved rule on a ticket: every condition with its actual value; changes nothing',
      tag: 'automation',
      access: 'tenant',
      body: unsavedDryRunBodySchema,
      response: { status: 200, description: 'What the rule would do', schema: dryRunSchema },
      errors: [404],
      handle: async ({ principal, body }) =>
        toDryRunDto(
          await deps.automation.dryRun({
            tenantId: principal.tenantId,
            actor: toActor(principal),
            ruleId: '',
            ruleJson: JSON.stringify(body.rule),
            ticketId: body.ticketId ?? '',
          }),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/automation-rules/:id/dry-run',
      operationId: 'dryRunAutomationRule',
      summary: 'Tries a saved rule on a ticket: every condition with its actual value; changes nothing',
      tag: 'automation',
      access: 'tenant',
      params: idParamsSchema,
      body: dryRunBodySchema,
      response: { status: 200, description: 'What the rule would do', schema: dryRunSchema },
      errors: [404],
      handle: async ({ principal, params, body }) =>
        toDryRunDto(
          await deps.automation.dryRun({
            tenantId: principal.tenantId,
            actor: toActor(principal),
            ruleId: params.id,
            ruleJson: '',
            ticketId: body.ticketId ?? '',
          }),
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/automation-runs',
      operationId: 'listAutomationRuns',
      summary: 'The run log: fired and skipped runs with reasons and action results, newest first (30 days)',
      tag: 'automation',
      access: 'tenant',
      query: runQuerySchema,
      response: { status: 200, description: 'A page of runs', schema: runPageSchema },
      handle: async ({ principal, query }) =>
        toPage(await deps.automation.listRuns(toListRunsRequest(principal.tenantId, query)), toRunDto),
    }),
  ];
}
