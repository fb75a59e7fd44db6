import { z } from 'zod';
import { isoDateTime, pageOf, pageQueryShape } from './common.schema';

// The automation service checks a rule exactly (docs/product/automation.md: fields, operators, value types,
// durations, RRULEs, time zones) and answers the path of every offending part; these describe the shapes.
const triggerSchema = z
  .looseObject({
    type: z.enum(['event', 'time', 'schedule']),
  })
  .meta({
    id: 'AutomationTrigger',
    description:
      '{"type":"event","events":["ticket.created"|"ticket.updated"|"message.created"|"sla.warning"|"sla.breached"]}, ' +
      '{"type":"time","after":"P7D","since":"status_entered"|"created"|"last_customer_reply"|"last_agent_reply"|"last_activity","businessHours":false} ' +
      'or {"type":"schedule","rrule":"FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9","timezone":"Europe/Berlin"}',
  });

const conditionSchema = z
  .looseObject({
    field: z
      .string()
      .meta({ description: 'status, priority, type, category, tags, source, clientId, teamId, …' }),
    op: z.string().meta({ description: 'equals, not_equals, in, not_in, contains, changed, changed_to, …' }),
    value: z.unknown().optional(),
  })
  .meta({ id: 'AutomationCondition' });

const conditionsSchema = z
  .looseObject({
    all: z.array(conditionSchema).optional(),
    any: z.array(conditionSchema).optional(),
  })
  .meta({
    id: 'AutomationConditions',
    description: 'Every `all` item and one `any` item (when any); empty: always',
  });

const actionSchema = z
  .looseObject({
    type: z.enum([
      'assign',
      'set',
      'add_tags',
      'remove_tags',
      'add_note',
      'send_email',
      'notify',
      'webhook',
      'create_ticket',
    ]),
  })
  .meta({ id: 'AutomationAction', description: 'One action of docs/product/automation.md "Actions"' });

const statsSchema = z.object({
  fired: z.number().int(),
  skipped: z.number().int(),
  lastFiredAt: isoDateTime().nullable(),
});

export const ruleSchema = z
  .object({
    id: z.guid(),
    name: z.string(),
    position: z.number().int(),
    active: z.boolean(),
    stopProcessing: z.boolean(),
    trigger: triggerSchema,
    conditions: conditionsSchema,
    actions: z.array(actionSchema),
    version: z.number().int().meta({ description: 'Grows with every change (If-Match on PATCH and DELETE)' }),
    stats: statsSchema,
    createdAt: isoDateTime().nullable(),
    updatedAt: isoDateTime().nullable(),
  })
  .meta({ id: 'AutomationRule' });

export const rulePageSchema = pageOf(ruleSchema, 'AutomationRulePage');

const nameSchema = z.string().trim().min(1).max(200);
const positionSchema = z.number().int().min(0).max(1_000_000);

export const createRuleBodySchema = z
  .strictObject({
    name: nameSchema,
    position: positionSchema.optional().meta({ description: "After the tenant's last rule when left out" }),
    active: z.boolean().optional(),
    stopProcessing: z.boolean().default(false),
    trigger: triggerSchema,
    conditions: conditionsSchema.optional(),
    actions: z.array(actionSchema).min(1).max(20),
  })
  .meta({ id: 'CreateAutomationRuleRequest' });

export const updateRuleBodySchema = z
  .strictObject({
    name: nameSchema.optional(),
    position: positionSchema.optional(),
    active: z.boolean().optional(),
    stopProcessing: z.boolean().optional(),
    trigger: triggerSchema.optional(),
    conditions: conditionsSchema.optional(),
    actions: z.array(actionSchema).min(1).max(20).optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'Give at least one field to change',
  })
  .meta({ id: 'UpdateAutomationRuleRequest' });

const dryRunTicketId = z
  .guid()
  .optional()
  .meta({ description: 'The ticket to try the rule on; not for a schedule rule, which acts on no ticket' });

export const dryRunBodySchema = z
  .strictObject({ ticketId: dryRunTicketId })
  .meta({ id: 'AutomationDryRunRequest' });

export const unsavedDryRunBodySchema = z
  .strictObject({
    ticketId: dryRunTicketId,
    rule: z.looseObject({
      trigger: triggerSchema,
      conditions: conditionsSchema.optional(),
      actions: z.array(actionSchema),
    }),
  })
  .meta({ id: 'AutomationUnsavedDryRunRequest' });

export const dryRunSchema = z
  .object({
    matched: z.boolean(),
    conditions: z.array(
      z.object({
        field: z.string(),
        op: z.string(),
        value: z.unknown(),
        actual: z.unknown().meta({ description: "The ticket's value now" }),
        result: z.boolean(),
      }),
    ),
    actions: z.array(actionSchema).meta({ description: 'What the rule would do, placeholders filled in' }),
    occurrences: z
      .array(z.iso.datetime())
      .optional()
      .meta({ description: "A schedule rule's next occurrences (at most 10), oldest first" }),
  })
  .meta({ id: 'AutomationDryRun' });

export const runSchema = z
  .object({
    id: z.guid(),
    ruleId: z.guid(),
    ruleVersion: z.number().int(),
    ticketId: z.guid().nullable(),
    trigger: z.object({ type: z.string(), eventId: z.string() }),
    outcome: z.enum(['fired', 'skipped']),
    reason: z.string().nullable().meta({
      description: 'conditions_not_met, already_fired, depth_exceeded or stopped_by; null when fired',
    }),
    actions: z.array(
      z.object({
        type: z.string(),
        result: z.enum(['ok', 'failed', 'pending']),
        error: z.string().nullable(),
      }),
    ),
    at: isoDateTime(),
  })
  .meta({ id: 'AutomationRun' });

export const runPageSchema = pageOf(runSchema, 'AutomationRunPage');

export const runQuerySchema = z.strictObject({
  ...pageQueryShape,
  ruleId: z.guid().optional().meta({ description: "Only this rule's runs" }),
  ticketId: z.guid().optional().meta({ description: 'Only runs on this ticket' }),
});
