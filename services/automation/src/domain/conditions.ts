// Condition evaluation (docs/product/automation.md "Conditions"): a ticket's values, what changed, the message of
// the event, and each operator over them. Pure.
import type { Condition, ConditionField, Conditions } from './rule';

/** The ticket as rules see it; `null` for a field that is not set. */
export interface TicketFacts {
  id: string;
  tenantId: string;
  number: number;
  version: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  type: string | null;
  category: string | null;
  tags: string[];
  source: string;
  clientId: string | null;
  contactId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  requester: { email: string; name: string };
  slaPolicyId: string | null;
  openedAt: Date;
  updatedAt: Date;
  lastCustomerReplyAt: Date | null;
  lastAgentReplyAt: Date | null;
}

/** One field change of the event, values as JSON (REST field names, as the ticket events carry them). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface EvaluationContext {
  ticket: TicketFacts;
  /** The event's changes; empty for events that change no field (and for time rules and dry runs). */
  changes: readonly FieldChange[];
  /** The message of a `message.created` event (or the ticket's first message on `ticket.created`). */
  message: { kind: string; authorType: 'customer' | 'agent' | 'system' } | null;
}

type Value = string | string[] | null;

/** The value a condition field has in the context. */
export function actualValue(ctx: EvaluationContext, field: ConditionField): Value {
  const t = ctx.ticket;
  switch (field) {
    case 'status':
      return t.status;
    case 'priority':
      return t.priority;
    case 'type':
      return t.type;
    case 'category':
      return t.category;
    case 'tags':
      return t.tags;
    case 'source':
      return t.source;
    case 'clientId':
      return t.clientId;
    case 'teamId':
      return t.teamId;
    case 'assigneeId':
      return t.assigneeId;
    case 'title':
      return t.title;
    case 'description':
      return t.description;
    case 'requester.email':
      return t.requester.email || null;
    case 'message.kind':
      return ctx.message?.kind ?? null;
    case 'message.authorType':
      return ctx.message?.authorType ?? null;
  }
}

// the event field a condition field changes under (the ticket events name fields as the REST API does)
const CHANGE_FIELD: Partial<Record<ConditionField, string>> = {
  'requester.email': 'contactId',
};

function changeOf(ctx: EvaluationContext, field: ConditionField): FieldChange | undefined {
  const name = CHANGE_FIELD[field] ?? field;
  return ctx.changes.find((c) => c.field === name);
}

const norm = (v: string) => v.toLowerCase();

function isEmpty(v: Value): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

// ids, statuses and e-mail addresses compare without regard to case; so do tags (stored lower-cased)
function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '';
  if (typeof a === 'string' && typeof b === 'string') return norm(a) === norm(b);
  return false;
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').map(norm);
  return [];
}

function holdsOnList(op: Condition['op'], actual: string[], value: unknown, ctx: EvaluationContext): boolean {
  const tags = actual.map(norm);
  switch (op) {
    case 'equals':
    case 'not_equals': {
      const wanted = new Set(asList(value));
      const equal = wanted.size === new Set(tags).size && tags.every((t) => wanted.has(t));
      return op === 'equals' ? equal : !equal;
    }
    case 'in':
      return asList(value).some((v) => tags.includes(v));
    case 'not_in':
      return !asList(value).some((v) => tags.includes(v));
    case 'contains':
      return typeof value === 'string' && tags.includes(norm(value));
    case 'is_empty':
      return tags.length === 0;
    case 'is_not_empty':
      return tags.length > 0;
    case 'changed':
      return changeOf(ctx, 'tags') !== undefined;
    case 'changed_to':
    case 'changed_from': {
      // a tag added (changed_to) or removed (changed_from) by the change
      const change = changeOf(ctx, 'tags');
      if (!change || typeof value !== 'string') return false;
      const before = asList(change.from);
      const after = asList(change.to);
      const tag = norm(value);
      return op === 'changed_to'
        ? after.includes(tag) && !before.includes(tag)
        : before.includes(tag) && !after.includes(tag);
    }
  }
}

/** Whether one condition holds. A missing value is null: it equals null, is empty, and is in no list. */
export function holds(condition: Condition, ctx: EvaluationContext): boolean {
  const actual = actualValue(ctx, condition.field);
  const { op, value } = condition;
  if (Array.isArray(actual)) return holdsOnList(op, actual, value, ctx);
  switch (op) {
    case 'equals':
      return same(actual, value);
    case 'not_equals':
      return !same(actual, value);
    case 'in':
      return Array.isArray(value) && value.some((v) => same(actual, v));
    case 'not_in':
      return !(Array.isArray(value) && value.some((v) => same(actual, v)));
    case 'contains':
      return typeof value === 'string' && actual !== null && norm(actual).includes(norm(value));
    case 'is_empty':
      return isEmpty(actual);
    case 'is_not_empty':
      return !isEmpty(actual);
    case 'changed':
      return changeOf(ctx, condition.field) !== undefined;
    case 'changed_to': {
      const change = changeOf(ctx, condition.field);
      return change !== undefined && same(condition.field === 'requester.email' ? actual : change.to, value);
    }
    case 'changed_from': {
      const change = changeOf(ctx, condition.field);
      // the previous requester's address is not on the event: only its contact id
      return change !== undefined && condition.field !== 'requester.email' && same(change.from, value);
    }
  }
}

export interface ConditionOutcome {
  group: 'all' | 'any';
  field: ConditionField;
  op: Condition['op'];
  value: unknown;
  actual: Value;
  result: boolean;
}

/** Every condition with its result, and whether the whole holds: all of `all`, and one of `any` when it has any. */
export function evaluate(
  conditions: Conditions,
  ctx: EvaluationContext,
): { matched: boolean; outcomes: ConditionOutcome[] } {
  const outcome = (group: 'all' | 'any') => (c: Condition) => ({
    group,
    field: c.field,
    op: c.op,
    value: c.value ?? null,
    actual: actualValue(ctx, c.field),
    result: holds(c, ctx),
  });
  const all = conditions.all.map(outcome('all'));
  const any = conditions.any.map(outcome('any'));
  const matched = all.every((o) => o.result) && (any.length === 0 || any.some((o) => o.result));
  return { matched, outcomes: [...all, ...any] };
}
