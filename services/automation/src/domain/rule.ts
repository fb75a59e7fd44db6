// A rule's definition (docs/product/automation.md "Rules"): trigger, conditions and actions, checked exactly as the
// product page gives them, over the ticket vocabulary of libs/contracts. Pure: zod and Luxon only.
import { Duration } from 'luxon';
import { MESSAGE_KINDS, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from '@helpdesk/contracts';
import { z } from 'zod';
import { rruleProblem } from './schedule';

export { MESSAGE_KINDS, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES };

export const AUTHOR_TYPES = ['customer', 'agent', 'system'] as const;

export const EVENT_TRIGGERS = [
  'ticket.created',
  'ticket.updated',
  'message.created',
  'sla.warning',
  'sla.breached',
] as const;
export type EventTrigger = (typeof EVENT_TRIGGERS)[number];

export const SINCE = [
  'status_entered',
  'created',
  'last_customer_reply',
  'last_agent_reply',
  'last_activity',
] as const;
export type Since = (typeof SINCE)[number];

export const CONDITION_FIELDS = [
  'status',
  'priority',
  'type',
  'category',
  'tags',
  'source',
  'clientId',
  'teamId',
  'assigneeId',
  'title',
  'description',
  'requester.email',
  'message.kind',
  'message.authorType',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const OPERATORS = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'contains',
  'changed',
  'changed_to',
  'changed_from',
  'is_empty',
  'is_not_empty',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Operators that take no value. */
export const UNARY_OPERATORS: readonly Operator[] = ['changed', 'is_empty', 'is_not_empty'];
/** Operators whose value is a list. */
export const LIST_OPERATORS: readonly Operator[] = ['in', 'not_in'];

// the values a field may take, where the product fixes them; ids and free text are any string
const FIELD_VALUES: Partial<Record<ConditionField, readonly string[]>> = {
  status: TICKET_STATUSES,
  priority: TICKET_PRIORITIES,
  source: TICKET_SOURCES,
  'message.kind': MESSAGE_KINDS,
  'message.authorType': AUTHOR_TYPES,
};

export const SETTABLE_FIELDS = ['status', 'priority', 'type', 'category'] as const;

export const MIN_AFTER_MS = 1_000;
const MAX_AFTER_MS = 5 * 366 * 24 * 3600_000;

const uuid = z.guid().transform((v) => v.toLowerCase());
const text = (max: number) => z.string().trim().min(1).max(max);

/** An ISO-8601 duration of at least one second, e.g. `P7D`, `PT30M`, `PT3S`. */
export const durationSchema = z
  .string()
  .max(40)
  .superRefine((value, ctx) => {
    const d = Duration.fromISO(value);
    if (!d.isValid) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 duration such as P7D or PT30M' });
      return;
    }
    const ms = d.as('milliseconds');
    if (ms < MIN_AFTER_MS) ctx.addIssue({ code: 'custom', message: 'must be at least one second (PT1S)' });
    if (ms > MAX_AFTER_MS) ctx.addIssue({ code: 'custom', message: 'must be at most five years' });
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// RFC 5545 RRULE parts as `rrule` values: checked for shape here, expanded by the schedule code
const RRULE_PART =
  /^(FREQ|INTERVAL|COUNT|UNTIL|BYSECOND|BYMINUTE|BYHOUR|BYDAY|BYMONTHDAY|BYYEARDAY|BYWEEKNO|BYMONTH|BYSETPOS|WKST)=[A-Z0-9,+\-T]+$/;
const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

export const rruleSchema = z
  .string()
  .max(500)
  .superRefine((value, ctx) => {
    const body = value.replace(/^RRULE:/i, '').toUpperCase();
    const parts = body.split(';').filter((p) => p.length > 0);
    const bad = parts.find((p) => !RRULE_PART.test(p));
    if (bad) {
      ctx.addIssue({ code: 'custom', message: `not an RFC 5545 recurrence part: ${bad}` });
      return;
    }
    const freq = parts.find((p) => p.startsWith('FREQ='))?.slice(5);
    if (!freq || !FREQS.includes(freq))
      ctx.addIssue({ code: 'custom', message: `FREQ must be one of ${FREQS.join(', ')}` });
    else if (freq === 'SECONDLY' || freq === 'MINUTELY')
      ctx.addIssue({ code: 'custom', message: 'a schedule repeats hourly at most' });
    else {
      const problem = rruleProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

export const triggerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('event'),
    events: z
      .array(z.enum(EVENT_TRIGGERS))
      .min(1)
      .max(EVENT_TRIGGERS.length)
      .transform((e) => [...new Set(e)]),
  }),
  z.strictObject({
    type: z.literal('time'),
    after: durationSchema,
    since: z.enum(SINCE),
    businessHours: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('schedule'),
    rrule: rruleSchema,
    timezone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone').optional(),
  }),
]);
export type Trigger = z.output<typeof triggerSchema>;

const scalarValue = z.union([z.string().max(1000), z.null()]);

export const conditionSchema = z
  .strictObject({
    field: z.enum(CONDITION_FIELDS),
    op: z.enum(OPERATORS),
    value: z.unknown().optional(),
  })
  .superRefine((c, ctx) => {
    const at = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['value'] });
    if (UNARY_OPERATORS.includes(c.op)) {
      if (c.value !== undefined) at(`${c.op} takes no value`);
      return;
    }
    if (c.value === undefined) {
      at(`${c.op} needs a value`);
      return;
    }
    const allowed = FIELD_VALUES[c.field];
    const check = (v: unknown, path: (string | number)[]) => {
      if (v === null && c.op !== 'contains') return;
      if (typeof v !== 'string') {
        ctx.addIssue({ code: 'custom', message: 'must be a string', path: ['value', ...path] });
        return;
      }
      if (allowed && !allowed.includes(v))
        ctx.addIssue({
          code: 'custom',
          message: `must be one of ${allowed.join(', ')}`,
          path: ['value', ...path],
        });
    };
    if (LIST_OPERATORS.includes(c.op)) {
      if (!Array.isArray(c.value) || c.value.length === 0 || c.value.length > 100) {
        at(`${c.op} needs a list of 1 to 100 values`);
        return;
      }
      c.value.forEach((v, i) => check(v, [i]));
      return;
    }
    if (c.field === 'tags' && (c.op === 'equals' || c.op === 'not_equals')) {
      if (!Array.isArray(c.value) || c.value.some((t) => typeof t !== 'string')) {
        at(`${c.op} on tags compares the whole list: give a list of tags`);
      }
      return;
    }
    if (!scalarValue.safeParse(c.value).success) {
      at('must be a string or null');
      return;
    }
    check(c.value, []);
  });
export type Condition = {
  field: ConditionField;
  op: Operator;
  value?: unknown;
};

export const conditionsSchema = z
  .strictObject({
    all: z.array(conditionSchema).max(50).default([]),
    any: z.array(conditionSchema).max(50).default([]),
  })
  .default({ all: [], any: [] });
export type Conditions = { all: Condition[]; any: Condition[] };

const tagsSchema = z
  .array(z.string().trim().toLowerCase().min(1).max(50))
  .min(1)
  .max(50)
  .transform((t) => [...new Set(t)]);

const assignSchema = z
  .strictObject({
    type: z.literal('assign'),
    userId: uuid.optional(),
    teamId: uuid.optional(),
    roundRobinTeamId: uuid.optional(),
  })
  .refine(
    (a) => [a.userId, a.teamId, a.roundRobinTeamId].filter((v) => v !== undefined).length === 1,
    'give exactly one of userId, teamId, roundRobinTeamId',
  );

const setSchema = z
  .strictObject({
    type: z.literal('set'),
    field: z.enum(SETTABLE_FIELDS),
    value: z.union([z.string().trim().min(1).max(100), z.null()]),
  })
  .superRefine((a, ctx) => {
    const allowed =
      a.field === 'status' ? TICKET_STATUSES : a.field === 'priority' ? TICKET_PRIORITIES : null;
    if (allowed && (a.value === null || !(allowed as readonly string[]).includes(a.value)))
      ctx.addIssue({ code: 'custom', message: `must be one of ${allowed.join(', ')}`, path: ['value'] });
  });

const notifySchema = z
  .strictObject({
    type: z.literal('notify'),
    userIds: z.array(uuid).min(1).max(100).optional(),
    teamId: uuid.optional(),
    admins: z.literal(true).optional(),
    message: text(2_000),
  })
  .refine(
    (a) => [a.userIds, a.teamId, a.admins].filter((v) => v !== undefined).length === 1,
    'give exactly one of userIds, teamId, admins',
  );

export const actionSchema = z.discriminatedUnion('type', [
  assignSchema,
  setSchema,
  z.strictObject({ type: z.literal('add_tags'), tags: tagsSchema }),
  z.strictObject({ type: z.literal('remove_tags'), tags: tagsSchema }),
  z.strictObject({ type: z.literal('add_note'), bodyText: text(20_000) }),
  z.strictObject({
    type: z.literal('send_email'),
    to: z.literal('requester'),
    subject: text(300),
    bodyText: text(20_000),
  }),
  notifySchema,
  z.strictObject({ type: z.literal('webhook'), webhookId: uuid }),
  z.strictObject({
    type: z.literal('create_ticket'),
    templateId: uuid.optional(),
    title: text(300),
    clientId: uuid.optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    teamId: uuid.optional(),
    assigneeId: uuid.optional(),
  }),
]);
export type Action = z.output<typeof actionSchema>;
export type ActionType = Action['type'];

export const actionsSchema = z.array(actionSchema).min(1).max(20);

/** What a rule does, without identity and bookkeeping. */
export interface RuleDefinition {
  name: string;
  position: number;
  active: boolean;
  stopProcessing: boolean;
  trigger: Trigger;
  conditions: Conditions;
  actions: Action[];
}

export interface RuleStats {
  fired: number;
  skipped: number;
  lastFiredAt: Date | null;
}

/** A stored rule: its current version. */
export interface Rule extends RuleDefinition {
  id: string;
  tenantId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  stats: RuleStats;
}

/**
 * What the trigger allows beyond the parts' own shapes. A schedule rule opens tickets, so besides `create_ticket`
 * (with a client, whose primary contact is the requester: docs/adr/0045) it takes only `webhook`, which sends its
 * `helpdesk.automation.rule_fired` event (docs/adr/0049); the other actions need a ticket to act on, and so do
 * conditions: a schedule rule has none to evaluate them against (docs/adr/0053).
 */
export function definitionProblems(
  trigger: Trigger,
  actions: readonly Action[],
  conditions: Conditions = { all: [], any: [] },
): Array<{
  path: (string | number)[];
  message: string;
}> {
  if (trigger.type !== 'schedule') return [];
  const problems = (['all', 'any'] as const).flatMap((group) =>
    conditions[group].map((_, i) => ({
      path: ['conditions', group, i],
      message: 'a schedule rule has no ticket to evaluate conditions against: give none',
    })),
  );
  problems.push(
    ...actions.flatMap((a, i) => {
      if (a.type !== 'create_ticket' && a.type !== 'webhook')
        return [
          { path: ['actions', i, 'type'], message: 'a schedule rule can only create_ticket or webhook' },
        ];
      if (a.type === 'create_ticket' && !a.clientId)
        return [
          { path: ['actions', i, 'clientId'], message: 'a scheduled ticket needs a client (its requester)' },
        ];
      return [];
    }),
  );
  if (!actions.some((a) => a.type === 'create_ticket') && actions.every((a) => a.type === 'webhook'))
    problems.push({
      path: ['actions'],
      message: 'a schedule rule creates tickets: give a create_ticket action',
    });
  return problems;
}

/** Whether a rule's trigger is an event trigger listening for `event`. */
export function listensTo(rule: Pick<RuleDefinition, 'trigger'>, event: EventTrigger): boolean {
  return rule.trigger.type === 'event' && rule.trigger.events.includes(event);
}
