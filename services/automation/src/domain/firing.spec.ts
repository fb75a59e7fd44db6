import { randomUUID } from 'node:crypto';
import { fillPlaceholders, nextInRoundRobin, patchFor } from './actions';
import type { TicketFacts } from './conditions';
import { MAX_DEPTH, childOrigin, decide } from './firing';
import { DEFAULT_RULES } from './default-rules';
import { actionsSchema, conditionsSchema, durationSchema, triggerSchema, type Rule } from './rule';

let n = 0;
const rule = (over: Partial<Rule> = {}): Rule => {
  n += 1;
  return {
    id: `r${n}`,
    tenantId: 't',
    name: 'rule',
    position: 0,
    active: true,
    stopProcessing: false,
    trigger: { type: 'event', events: ['ticket.updated'] },
    conditions: { all: [], any: [] },
    actions: [{ type: 'add_tags', tags: ['x'] }],
    version: 1,
    createdAt: new Date(n * 1000),
    updatedAt: new Date(n * 1000),
    stats: { fired: 0, skipped: 0, lastFiredAt: null },
    ...over,
  };
};

const origin = { originId: 'ticket:1:2', depth: 0 };
const always = () => true;

describe('decide', () => {
  it('goes in position order; a firing rule with stopProcessing skips the later ones', () => {
    const c = rule({ position: 3 });
    const a = rule({ position: 1 });
    const b = rule({ position: 2, stopProcessing: true });
    const decisions = decide([c, a, b], origin, always, new Set());
    expect(decisions.map((d) => [d.rule.id, d.outcome, d.outcome === 'skipped' ? d.reason : null])).toEqual([
      [a.id, 'fired', null],
      [b.id, 'fired', null],
      [c.id, 'skipped', 'stopped_by'],
    ]);
  });

  it('a stopProcessing rule that does not fire stops nothing', () => {
    const a = rule({ position: 1, stopProcessing: true });
    const b = rule({ position: 2 });
    const decisions = decide([a, b], origin, (r) => r.id === b.id, new Set());
    expect(decisions.map((d) => d.outcome)).toEqual(['skipped', 'fired']);
  });

  it('fires a rule once per origin, and nothing for changes deeper than 5', () => {
    const a = rule();
    const b = rule();
    expect(decide([a, b], origin, always, new Set([a.id])).map((d) => d.outcome)).toEqual([
      'skipped',
      'fired',
    ]);
    let o = origin;
    for (let i = 0; i < MAX_DEPTH; i += 1) o = childOrigin(o);
    expect(o.depth).toBe(5);
    expect(decide([a], o, always, new Set())[0]!.outcome).toBe('fired');
    const deeper = decide([a, b], childOrigin(o), always, new Set());
    expect(deeper.map((d) => (d.outcome === 'skipped' ? d.reason : d.outcome))).toEqual([
      'depth_exceeded',
      'depth_exceeded',
    ]);
  });

  it('two rules flipping a field settle: along the chain each fires once', () => {
    const down = rule({ position: 1 });
    const up = rule({ position: 2 });
    const fired = new Set<string>();
    let o = origin;
    let firings = 0;
    // each event of the chain: the rule matching the current value fires, unless it fired already
    for (let step = 0; step < 20; step += 1) {
      const matching = step % 2 === 0 ? down : up;
      const f = decide([down, up], o, (r) => r.id === matching.id, fired).filter(
        (d) => d.outcome === 'fired',
      );
      if (f.length === 0) break;
      for (const d of f) fired.add(d.rule.id);
      firings += f.length;
      o = childOrigin(o);
    }
    expect(firings).toBe(2);
  });
});

const facts = {
  tags: ['a'],
  assigneeId: null,
  teamId: null,
  status: 'open',
  priority: 'low',
  type: null,
  category: null,
} as unknown as TicketFacts;

describe('actions', () => {
  it('patches only what changes', () => {
    expect(patchFor({ type: 'add_tags', tags: ['a', 'b'] }, facts)).toEqual({ tags: ['a', 'b'] });
    expect(patchFor({ type: 'add_tags', tags: ['a'] }, facts)).toEqual({});
    expect(patchFor({ type: 'remove_tags', tags: ['a'] }, facts)).toEqual({ tags: [] });
    expect(patchFor({ type: 'set', field: 'status', value: 'open' }, facts)).toEqual({});
    expect(patchFor({ type: 'set', field: 'category', value: 'Network' }, facts)).toEqual({
      category: 'Network',
    });
    expect(patchFor({ type: 'assign', roundRobinTeamId: 'team' }, facts, 'u2')).toEqual({
      teamId: 'team',
      assigneeId: 'u2',
    });
    expect(patchFor({ type: 'add_note', bodyText: 'x' }, facts)).toBeNull();
  });

  it('goes round the active members in a stable order', () => {
    expect(nextInRoundRobin(['b', 'a', 'c'], null)).toBe('a');
    expect(nextInRoundRobin(['b', 'a', 'c'], 'a')).toBe('b');
    expect(nextInRoundRobin(['b', 'a', 'c'], 'c')).toBe('a');
    // the last one left the team: the next after it
    expect(nextInRoundRobin(['a', 'c'], 'b')).toBe('c');
    expect(nextInRoundRobin([], 'a')).toBeNull();
  });

  it('fills the placeholders', () => {
    expect(
      fillPlaceholders('#{{ticket.number}} {{ ticket.title }} for {{requester.name}} {{other}}', {
        number: 7,
        title: 'T',
        requester: { email: 'j@x', name: '' },
      }),
    ).toBe('#7 T for j@x {{other}}');
  });
});

describe('rule schemas', () => {
  it('takes durations of a second or more', () => {
    expect(durationSchema.safeParse('PT1S').success).toBe(true);
    expect(durationSchema.safeParse('P7D').success).toBe(true);
    expect(durationSchema.safeParse('PT0S').success).toBe(false);
    expect(durationSchema.safeParse('7 days').success).toBe(false);
  });

  it('checks triggers and actions', () => {
    expect(triggerSchema.safeParse({ type: 'time', after: 'PT3S', since: 'created' }).data).toEqual({
      type: 'time',
      after: 'PT3S',
      since: 'created',
      businessHours: false,
    });
    expect(triggerSchema.safeParse({ type: 'event', events: [] }).success).toBe(false);
    expect(
      triggerSchema.safeParse({ type: 'schedule', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9' }).success,
    ).toBe(true);
    expect(
      actionsSchema.safeParse([{ type: 'assign', userId: randomUUID(), teamId: randomUUID() }]).success,
    ).toBe(false);
    expect(actionsSchema.safeParse([{ type: 'notify', admins: true, message: 'x' }]).success).toBe(true);
    expect(
      actionsSchema.safeParse([{ type: 'send_email', to: 'agent', subject: 's', bodyText: 'b' }]).success,
    ).toBe(false);
    expect(actionsSchema.safeParse([]).success).toBe(false);
  });
});

describe('default rules', () => {
  it('are valid rules, the two auto-close rules of SPEC §2 among them', () => {
    for (const d of DEFAULT_RULES) {
      expect(triggerSchema.parse(d.trigger)).toEqual(d.trigger);
      expect(conditionsSchema.parse(d.conditions)).toEqual(d.conditions);
      expect(actionsSchema.parse(d.actions)).toEqual(d.actions);
    }
    expect(DEFAULT_RULES.map((d) => d.seedKey)).toEqual([
      'close_waiting_on_customer',
      'close_resolved',
      'remind_waiting_on_customer',
      'notify_unassigned_urgent',
    ]);
  });
});
