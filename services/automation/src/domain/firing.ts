// Which rules of one trigger fire (docs/product/automation.md "Order and loops"): position order, stopProcessing,
// once per ticket per original change, and changes made by rules reaching event rules only down to depth 5. Pure.
import type { Rule } from './rule';

/** The depth of rule-made changes event rules still see; deeper ones are skipped (`depth_exceeded`). */
export const MAX_DEPTH = 5;

export const SKIP_REASONS = ['conditions_not_met', 'already_fired', 'depth_exceeded', 'stopped_by'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Where a change comes from: the original change of its chain and how many firings lie between them. */
export interface Origin {
  originId: string;
  /** 0 for a change nobody's rule made (an agent, a customer, a timer); n for a change a rule made at depth n−1. */
  depth: number;
}

export type Decision =
  | { rule: Rule; outcome: 'fired' }
  | { rule: Rule; outcome: 'skipped'; reason: SkipReason; stoppedBy?: string };

/**
 * Decides every rule of a trigger for one event: `rules` are the active rules listening for it, `matches` says
 * whether a rule's conditions hold, `alreadyFired` which rules fired already for this origin on this ticket.
 */
export function decide(
  rules: readonly Rule[],
  origin: Origin,
  matches: (rule: Rule) => boolean,
  alreadyFired: ReadonlySet<string>,
): Decision[] {
  const ordered = [...rules].sort(byPosition);
  if (origin.depth > MAX_DEPTH)
    return ordered.map((rule) => ({ rule, outcome: 'skipped', reason: 'depth_exceeded' }));
  const decisions: Decision[] = [];
  let stoppedBy: string | undefined;
  for (const rule of ordered) {
    if (stoppedBy) decisions.push({ rule, outcome: 'skipped', reason: 'stopped_by', stoppedBy });
    else if (alreadyFired.has(rule.id)) decisions.push({ rule, outcome: 'skipped', reason: 'already_fired' });
    else if (!matches(rule)) decisions.push({ rule, outcome: 'skipped', reason: 'conditions_not_met' });
    else {
      decisions.push({ rule, outcome: 'fired' });
      if (rule.stopProcessing) stoppedBy = rule.id;
    }
  }
  return decisions;
}

/** Rules in position order; equal positions by creation, then id, so the order never depends on the store. */
export function byPosition(a: Rule, b: Rule): number {
  return (
    a.position - b.position ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The origin of the changes a rule fired at `origin` makes. */
export function childOrigin(origin: Origin): Origin {
  return { originId: origin.originId, depth: origin.depth + 1 };
}
