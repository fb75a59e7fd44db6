import fc from 'fast-check';
import { evaluate, holds, type EvaluationContext, type TicketFacts } from './conditions';
import { CONDITION_FIELDS, OPERATORS, conditionSchema, type Condition } from './rule';

const ticket = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  id: 't1',
  tenantId: 'x',
  number: 1042,
  version: 3,
  title: 'Printer offline',
  description: 'The printer on floor 2 is offline',
  status: 'open',
  priority: 'high',
  type: 'Incident',
  category: null,
  tags: ['vip', 'printing'],
  source: 'email',
  clientId: 'c1',
  contactId: 'p1',
  teamId: null,
  assigneeId: null,
  requester: { email: 'Jane@Customer.example', name: 'Jane' },
  slaPolicyId: null,
  openedAt: new Date(0),
  updatedAt: new Date(0),
  lastCustomerReplyAt: null,
  lastAgentReplyAt: null,
  ...over,
});

const ctx = (over: Partial<EvaluationContext> = {}): EvaluationContext => ({
  ticket: ticket(),
  changes: [],
  message: null,
  ...over,
});

const c = (field: Condition['field'], op: Condition['op'], value?: unknown): Condition =>
  value === undefined ? { field, op } : { field, op, value };

describe('holds', () => {
  it.each<[Condition, boolean]>([
    [c('status', 'equals', 'open'), true],
    [c('status', 'equals', 'OPEN'), true],
    [c('status', 'equals', 'closed'), false],
    [c('status', 'not_equals', 'closed'), true],
    [c('priority', 'in', ['high', 'critical']), true],
    [c('priority', 'not_in', ['high', 'critical']), false],
    [c('title', 'contains', 'PRINTER'), true],
    [c('description', 'contains', 'floor 3'), false],
    [c('requester.email', 'equals', 'jane@customer.example'), true],
    [c('requester.email', 'contains', '@customer.example'), true],
    [c('category', 'is_empty'), true],
    [c('category', 'equals', null), true],
    [c('category', 'not_equals', 'Hardware'), true],
    [c('category', 'in', ['Hardware']), false],
    [c('category', 'not_in', ['Hardware']), true],
    [c('category', 'contains', 'Hard'), false],
    [c('type', 'is_not_empty'), true],
    [c('assigneeId', 'is_empty'), true],
    [c('clientId', 'equals', 'c1'), true],
    [c('tags', 'contains', 'VIP'), true],
    [c('tags', 'contains', 'vi'), false],
    [c('tags', 'in', ['none', 'printing']), true],
    [c('tags', 'not_in', ['none']), true],
    [c('tags', 'equals', ['printing', 'vip']), true],
    [c('tags', 'equals', ['vip']), false],
    [c('tags', 'not_equals', ['vip']), true],
    [c('tags', 'is_empty'), false],
    [c('message.kind', 'equals', 'email_in'), false],
    [c('message.kind', 'is_empty'), true],
    [c('message.authorType', 'not_in', ['customer']), true],
    [c('status', 'changed'), false],
    [c('status', 'changed_to', 'open'), false],
  ])('%j → %s', (condition, expected) => {
    expect(holds(condition, ctx())).toBe(expected);
  });

  it('reads the event: changed, changed_to, changed_from, tags added and removed, the message', () => {
    const changed = ctx({
      changes: [
        { field: 'status', from: 'waiting_on_customer', to: 'open' },
        { field: 'tags', from: ['vip'], to: ['vip', 'printing'] },
        { field: 'assigneeId', from: 'u1', to: null },
        { field: 'contactId', from: 'p0', to: 'p1' },
      ],
      message: { kind: 'email_in', authorType: 'customer' },
    });
    expect(holds(c('status', 'changed'), changed)).toBe(true);
    expect(holds(c('status', 'changed_to', 'open'), changed)).toBe(true);
    expect(holds(c('status', 'changed_from', 'waiting_on_customer'), changed)).toBe(true);
    expect(holds(c('status', 'changed_from', 'open'), changed)).toBe(false);
    expect(holds(c('priority', 'changed'), changed)).toBe(false);
    expect(holds(c('tags', 'changed_to', 'printing'), changed)).toBe(true);
    expect(holds(c('tags', 'changed_to', 'vip'), changed)).toBe(false);
    expect(holds(c('tags', 'changed_from', 'printing'), changed)).toBe(false);
    expect(holds(c('assigneeId', 'changed_to', null), changed)).toBe(true);
    expect(holds(c('assigneeId', 'changed_from', 'u1'), changed)).toBe(true);
    expect(holds(c('requester.email', 'changed'), changed)).toBe(true);
    expect(holds(c('message.authorType', 'equals', 'customer'), changed)).toBe(true);
    expect(holds(c('message.kind', 'in', ['email_in', 'public_reply']), changed)).toBe(true);
  });

  it('never throws, and not_equals / not_in are the negations of equals / in, for any values', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.string({ maxLength: 5 }),
      fc.array(fc.string({ maxLength: 3 })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CONDITION_FIELDS),
        fc.constantFrom(...OPERATORS),
        value,
        fc.option(fc.string({ maxLength: 5 }), { nil: null }),
        fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
        (field, op, v, category, tags) => {
          const context = ctx({ ticket: ticket({ category, tags, assigneeId: category }) });
          const result = holds({ field, op, value: v }, context);
          expect(typeof result).toBe('boolean');
          if (op === 'equals') expect(holds({ field, op: 'not_equals', value: v }, context)).toBe(!result);
          if (op === 'in') expect(holds({ field, op: 'not_in', value: v }, context)).toBe(!result);
          if (op === 'is_empty') expect(holds({ field, op: 'is_not_empty' }, context)).toBe(!result);
        },
      ),
    );
  });
});

describe('evaluate', () => {
  it('holds with no conditions, needs every `all` and one `any`, and reports each with its actual value', () => {
    expect(evaluate({ all: [], any: [] }, ctx()).matched).toBe(true);
    const result = evaluate(
      {
        all: [c('priority', 'in', ['high', 'critical']), c('assigneeId', 'is_empty')],
        any: [c('tags', 'contains', 'none'), c('source', 'equals', 'email')],
      },
      ctx(),
    );
    expect(result.matched).toBe(true);
    expect(result.outcomes.map((o) => [o.group, o.field, o.actual, o.result])).toEqual([
      ['all', 'priority', 'high', true],
      ['all', 'assigneeId', null, true],
      ['any', 'tags', ['vip', 'printing'], false],
      ['any', 'source', 'email', true],
    ]);
    expect(evaluate({ all: [], any: [c('tags', 'contains', 'none')] }, ctx()).matched).toBe(false);
    expect(evaluate({ all: [c('status', 'equals', 'closed')], any: [] }, ctx()).matched).toBe(false);
  });
});

describe('conditionSchema', () => {
  it.each([
    [{ field: 'status', op: 'changed' }, true],
    [{ field: 'status', op: 'changed', value: 'open' }, false],
    [{ field: 'status', op: 'equals' }, false],
    [{ field: 'status', op: 'equals', value: 'nope' }, false],
    [{ field: 'status', op: 'in', value: [] }, false],
    [{ field: 'status', op: 'in', value: ['open', 'resolved'] }, true],
    [{ field: 'priority', op: 'equals', value: 7 }, false],
    [{ field: 'tags', op: 'equals', value: 'vip' }, false],
    [{ field: 'tags', op: 'equals', value: ['vip'] }, true],
    [{ field: 'category', op: 'equals', value: null }, true],
    [{ field: 'title', op: 'contains', value: null }, false],
    [{ field: 'message.authorType', op: 'equals', value: 'robot' }, false],
    [{ field: 'teamId', op: 'equals', value: 'x', extra: 1 }, false],
  ])('%j valid: %s', (condition, valid) => {
    expect(conditionSchema.safeParse(condition).success).toBe(valid);
  });
});
