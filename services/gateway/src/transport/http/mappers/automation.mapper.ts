// REST ↔ AutomationService: a rule's trigger, conditions and actions travel as JSON documents, checked by the
// automation service.
import type { automationV1, commonV1 } from '@helpdesk/contracts';
import type { z } from 'zod';
import { isoOrNull } from '../../../app/rest-values';
import { toPageRequest } from '../../../app/pagination';
import type {
  createRuleBodySchema,
  dryRunSchema,
  ruleSchema,
  runQuerySchema,
  runSchema,
  updateRuleBodySchema,
} from '../schemas/automation.schema';
import type { UpdateTarget } from './update-target';

export type RuleDto = z.input<typeof ruleSchema>;
export type RunDto = z.input<typeof runSchema>;
export type DryRunDto = z.input<typeof dryRunSchema>;

function parsed<T>(json: string, fallback: T): T {
  try {
    return json ? (JSON.parse(json) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function toRuleDto(r: automationV1.Rule): RuleDto {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    active: r.active,
    stopProcessing: r.stopProcessing,
    trigger: parsed(r.triggerJson, { type: 'event' as const }),
    conditions: parsed(r.conditionsJson, { all: [], any: [] }),
    actions: parsed(r.actionsJson, []),
    version: r.version,
    stats: {
      fired: Number(r.stats?.fired ?? 0),
      skipped: Number(r.stats?.skipped ?? 0),
      lastFiredAt: isoOrNull(r.stats?.lastFiredAt),
    },
    createdAt: isoOrNull(r.createdAt),
    updatedAt: isoOrNull(r.updatedAt),
  };
}

export function toCreateRuleRequest(
  tenantId: string,
  actor: commonV1.Actor,
  body: z.output<typeof createRuleBodySchema>,
): automationV1.CreateRuleRequest {
  return {
    tenantId,
    actor,
    name: body.name,
    position: body.position,
    active: body.active,
    stopProcessing: body.stopProcessing,
    triggerJson: JSON.stringify(body.trigger),
    conditionsJson: body.conditions === undefined ? '' : JSON.stringify(body.conditions),
    actionsJson: JSON.stringify(body.actions),
  };
}

const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));

export function toUpdateRuleRequest(
  target: UpdateTarget,
  body: z.output<typeof updateRuleBodySchema>,
): automationV1.UpdateRuleRequest {
  return {
    ...target,
    name: body.name,
    position: body.position,
    active: body.active,
    stopProcessing: body.stopProcessing,
    triggerJson: json(body.trigger),
    conditionsJson: json(body.conditions),
    actionsJson: json(body.actions),
  };
}

export function toDryRunDto(r: automationV1.DryRunResponse): DryRunDto {
  return {
    matched: r.matched,
    conditions: r.conditions.map((c) => ({
      field: c.field,
      op: c.op,
      value: parsed(c.valueJson, null),
      actual: parsed(c.actualJson, null),
      result: c.result,
    })),
    actions: parsed(r.actionsJson, []),
    ...(r.schedule ? { occurrences: r.occurrences.map((at) => at.toISOString()) } : {}),
  };
}

export function toRunDto(r: automationV1.Run): RunDto {
  return {
    id: r.id,
    ruleId: r.ruleId,
    ruleVersion: r.ruleVersion,
    ticketId: r.ticketId || null,
    trigger: { type: r.triggerType, eventId: r.eventId },
    outcome: r.outcome === 'fired' ? 'fired' : 'skipped',
    reason: r.reason || null,
    actions: r.actions.map((a) => ({
      type: a.type,
      result: a.result === 'ok' ? 'ok' : a.result === 'pending' ? 'pending' : 'failed',
      error: a.error || null,
    })),
    at: (r.at ?? new Date(0)).toISOString(),
  };
}

export function toListRunsRequest(
  tenantId: string,
  query: z.output<typeof runQuerySchema>,
): automationV1.ListRunsRequest {
  return {
    tenantId,
    page: toPageRequest(query),
    ruleId: query.ruleId ?? '',
    ticketId: query.ticketId ?? '',
  };
}
