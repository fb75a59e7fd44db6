// AutomationService over gRPC: requests checked by zod (proto3 has no required fields), answers mapped to the
// contract. Another tenant's rule or run is never found.
import { automationV1, commonV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import {
  InvalidCursorError,
  cursorDate,
  cursorUuid,
  decodeOpaque,
  encodeOpaque,
  invalidArgument,
  isUuid,
  type Logger,
} from '@helpdesk/platform';
import { z } from 'zod';
import type { DryRunUseCase } from '../../app/dry-run.use-case';
import type { RuleActor, RuleCursor, RunRepository } from '../../app/ports';
import type { RuleUseCases } from '../../app/rules.use-cases';
import type { Rule } from '../../domain/rule';

export interface AutomationHandlerDeps {
  rules: RuleUseCases;
  dryRun: DryRunUseCase;
  runs: RunRepository;
  logger: Logger;
}

const uuid = z
  .string()
  .refine(isUuid, { message: 'must be a uuid' })
  .transform((v) => v.toLowerCase());
const optionalUuid = z.union([z.literal(''), uuid]).transform((v) => (v === '' ? undefined : v));

const ACTOR_NAMES: Partial<Record<commonV1.ActorType, string>> = {
  [commonV1.ActorType.ACTOR_TYPE_USER]: 'user',
  [commonV1.ActorType.ACTOR_TYPE_API_KEY]: 'api_key',
  [commonV1.ActorType.ACTOR_TYPE_SYSTEM]: 'system',
};
const actor = z
  .object({ type: z.enum(commonV1.ActorType), id: z.string().max(200) })
  .optional()
  .transform((a, ctx): RuleActor => {
    const type = a ? ACTOR_NAMES[a.type] : undefined;
    if (!a || !type) {
      ctx.addIssue({
        code: 'custom',
        message: 'an agent, an API key or the system must act',
        path: ['actor'],
      });
      return z.NEVER;
    }
    return { type, id: a.id };
  });
const page = z
  .object({ limit: z.number().int().min(0).max(200), cursor: z.string().max(1024) })
  .optional()
  .transform((p) => ({ limit: p && p.limit > 0 ? p.limit : 50, cursor: p?.cursor || undefined }));

function decodeCursor<T>(raw: string | undefined, read: (o: Record<string, unknown>) => T): T | undefined {
  if (!raw) return undefined;
  try {
    return read(decodeOpaque(raw));
  } catch (err) {
    if (err instanceof InvalidCursorError)
      throw invalidArgument('cursor is not valid', [{ path: ['cursor'], message: 'is not valid' }]);
    throw err;
  }
}

const ruleCursor = (o: Record<string, unknown>): RuleCursor => {
  if (typeof o.p !== 'number' || !Number.isInteger(o.p)) throw new InvalidCursorError();
  return { position: o.p, createdAt: cursorDate(o.c), id: cursorUuid(o.i) };
};

export function toProtoRule(rule: Rule): automationV1.Rule {
  return {
    id: rule.id,
    tenantId: rule.tenantId,
    name: rule.name,
    position: rule.position,
    active: rule.active,
    stopProcessing: rule.stopProcessing,
    triggerJson: JSON.stringify(rule.trigger),
    conditionsJson: JSON.stringify(rule.conditions),
    actionsJson: JSON.stringify(rule.actions),
    version: rule.version,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
    stats: {
      fired: rule.stats.fired,
      skipped: rule.stats.skipped,
      lastFiredAt: rule.stats.lastFiredAt ?? undefined,
    },
  };
}

const listRulesSchema = z.object({ tenantId: uuid, page });
const getRuleSchema = z.object({ tenantId: uuid, id: uuid });
const createRuleSchema = z.object({
  tenantId: uuid,
  actor,
  name: z.string().max(1000),
  position: z.number().int().optional(),
  active: z.boolean().optional(),
  stopProcessing: z.boolean(),
  triggerJson: z.string().max(100_000),
  conditionsJson: z.string().max(200_000),
  actionsJson: z.string().max(200_000),
});
const updateRuleSchema = z.object({
  tenantId: uuid,
  actor,
  id: uuid,
  expectedVersion: z.number().int().min(1).optional(),
  name: z.string().max(1000).optional(),
  position: z.number().int().optional(),
  active: z.boolean().optional(),
  stopProcessing: z.boolean().optional(),
  triggerJson: z.string().max(100_000).optional(),
  conditionsJson: z.string().max(200_000).optional(),
  actionsJson: z.string().max(200_000).optional(),
});
const deleteRuleSchema = z.object({
  tenantId: uuid,
  actor,
  id: uuid,
  expectedVersion: z.number().int().min(1).optional(),
});
const dryRunSchema = z
  .object({
    tenantId: uuid,
    ruleId: optionalUuid,
    ruleJson: z.string().max(400_000),
    // a schedule rule acts on no ticket: the use case asks for one where the rule needs it
    ticketId: optionalUuid,
  })
  .refine((r) => (r.ruleId === undefined) !== (r.ruleJson === ''), {
    message: 'give either rule_id or rule_json',
  });
const listRunsSchema = z.object({ tenantId: uuid, page, ruleId: optionalUuid, ticketId: optionalUuid });

export function automationHandlers(deps: AutomationHandlerDeps): automationV1.AutomationServiceServer {
  const { logger } = deps;
  return {
    listRules: unary<automationV1.ListRulesRequest, automationV1.ListRulesResponse>(async (request) => {
      const input = listRulesSchema.parse(request);
      const after = decodeCursor(input.page.cursor, ruleCursor);
      const rules = await deps.rules.list(input.tenantId, input.page.limit + 1, after);
      const items = rules.slice(0, input.page.limit);
      const last = items[items.length - 1];
      const nextCursor =
        rules.length > input.page.limit && last
          ? encodeOpaque({ p: last.position, c: last.createdAt.toISOString(), i: last.id })
          : '';
      return { items: items.map(toProtoRule), nextCursor };
    }, logger),
    getRule: unary<automationV1.GetRuleRequest, automationV1.GetRuleResponse>(async (request) => {
      const input = getRuleSchema.parse(request);
      return { rule: toProtoRule(await deps.rules.get(input.tenantId, input.id)) };
    }, logger),
    createRule: unary<automationV1.CreateRuleRequest, automationV1.CreateRuleResponse>(async (request) => {
      const input = createRuleSchema.parse(request);
      return { rule: toProtoRule(await deps.rules.create(input)) };
    }, logger),
    updateRule: unary<automationV1.UpdateRuleRequest, automationV1.UpdateRuleResponse>(async (request) => {
      const input = updateRuleSchema.parse(request);
      return { rule: toProtoRule(await deps.rules.update(input)) };
    }, logger),
    deleteRule: unary<automationV1.DeleteRuleRequest, automationV1.DeleteRuleResponse>(async (request) => {
      const input = deleteRuleSchema.parse(request);
      await deps.rules.delete(input);
      return {};
    }, logger),
    dryRun: unary<automationV1.DryRunRequest, automationV1.DryRunResponse>(async (request) => {
      const input = dryRunSchema.parse(request);
      const result = await deps.dryRun.execute({
        tenantId: input.tenantId,
        ticketId: input.ticketId,
        ruleId: input.ruleId,
        ruleJson: input.ruleJson || undefined,
      });
      return {
        matched: result.matched,
        conditions: result.conditions.map((c) => ({
          field: c.field,
          op: c.op,
          valueJson: JSON.stringify(c.value ?? null),
          actualJson: JSON.stringify(c.actual),
          result: c.result,
          group: c.group,
        })),
        actionsJson: JSON.stringify(result.actions),
        schedule: result.occurrences !== undefined,
        occurrences: result.occurrences ?? [],
      };
    }, logger),
    listRuns: unary<automationV1.ListRunsRequest, automationV1.ListRunsResponse>(async (request) => {
      const input = listRunsSchema.parse(request);
      const after = decodeCursor(input.page.cursor, (o) => ({ at: cursorDate(o.a), id: cursorUuid(o.i) }));
      const runs = await deps.runs.list({
        tenantId: input.tenantId,
        ruleId: input.ruleId,
        ticketId: input.ticketId,
        limit: input.page.limit + 1,
        after,
      });
      const items = runs.slice(0, input.page.limit);
      const last = items[items.length - 1];
      return {
        items: items.map((r) => ({
          id: r.id,
          ruleId: r.ruleId,
          ruleVersion: r.ruleVersion,
          ticketId: r.ticketId ?? '',
          triggerType: r.triggerType,
          eventId: r.eventId,
          outcome: r.outcome,
          reason: r.reason ?? '',
          actions: r.actions.map((a) => ({ type: a.type, result: a.result, error: a.error ?? '' })),
          at: r.at,
        })),
        nextCursor:
          runs.length > input.page.limit && last
            ? encodeOpaque({ a: last.at.toISOString(), i: last.id })
            : '',
      };
    }, logger),
  };
}
