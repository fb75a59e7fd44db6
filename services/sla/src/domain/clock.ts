// The two SLA clocks of a ticket (docs/product/sla.md): first response and resolution. Pure functions from the
// stored clocks, the ticket as its events describe it and the policy in force to
// the next clocks plus what changed; no I/O.
//
// A clock counts business time of its policy's calendar. While running it has a segment start (`since`) and the
// business time used before it (`usedMs`); its due time is `targetMs - usedMs` business milliseconds after
// `since`, so pausing (the policy's pause statuses) moves the due time out by exactly the business time spent
// paused. Every transition happens at an instant that never goes back (`asOf`), which makes applying the same
// ticket twice, or an older one after a newer, change nothing.
import { addBusinessMs, businessMsBetween, type Calendar } from './calendar';
import { DONE_STATUSES, slaPriority, type Policy, type Priority } from './policy';

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export const CLOCK_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface Clock {
  readonly state: ClockState;
  /** The target in business milliseconds (from the policy and the ticket's priority). */
  readonly targetMs: number;
  /** Business time used before `since` (running) or in total (any other state). */
  readonly usedMs: number;
  /** Start of the current running segment; null unless running. */
  readonly since: Date | null;
  /** When the target is (or was, once met or breached) due; null while paused or when no due time exists. */
  readonly dueAt: Date | null;
  /** When the warning is due; null once raised, when not running, or when the policy raises none. */
  readonly warnAt: Date | null;
  readonly warnedAt: Date | null;
  readonly breachedAt: Date | null;
  readonly metAt: Date | null;
}

/** Both clocks of a ticket and the policy they run under. */
export interface SlaClocks {
  readonly policyId: string;
  /** The priority whose targets the clocks carry. */
  readonly priority: Priority;
  /** When the clocks (re)started: the ticket's opening, or the last reset. */
  readonly startedAt: Date;
  /** The latest instant applied; no later change is placed before it. */
  readonly asOf: Date;
  readonly firstResponse: Clock;
  readonly resolution: Clock;
}

/** What the clocks need to know about a ticket; every ticket event carries all of it. */
export interface TicketFacts {
  readonly id: string;
  readonly tenantId: string;
  readonly number: number;
  readonly version: number;
  readonly status: string;
  readonly priority: string;
  readonly type: string | null;
  readonly clientId: string | null;
  readonly openedAt: Date;
  readonly updatedAt: Date;
  readonly firstRespondedAt: Date | null;
  readonly lastAgentReplyAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
}

/** A policy with its calendar resolved (24×7 when it names none). */
export interface ClockContext {
  readonly policy: Policy;
  readonly calendar: Calendar;
}

export type SlaEventKind = 'warning' | 'breached' | 'met' | 'updated';

/** One event-worthy change; `target` is null for `updated`. */
export interface SlaChange {
  readonly kind: SlaEventKind;
  readonly target: SlaTarget | null;
}

export interface ClockStep {
  readonly clocks: SlaClocks;
  /** Warnings, breaches and fulfilments, in the order they happened. */
  readonly changes: SlaChange[];
}

/** A target's state as the ticket shows it (docs/product/sla.md). */
export interface TargetView {
  readonly state: ClockState;
  readonly breachedAt: Date | null;
  readonly metAt: Date | null;
}

/** The ticket's `sla` object (docs/product/sla.md) plus the warning flag behind `slaState=warning`. */
export interface SlaView {
  readonly policyId: string;
  readonly firstResponseDueAt: Date | null;
  readonly resolutionDueAt: Date | null;
  readonly firstResponse: TargetView;
  readonly resolution: TargetView;
  /** A warning was raised for a target that is neither met nor breached. */
  readonly warning: boolean;
}

const MINUTE_MS = 60_000;

type MutableClock = { -readonly [K in keyof Clock]: Clock[K] };

function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

// Beyond the calendar's search limit (10 years) there is no due time: the clock never fires.
function safeAdd(calendar: Calendar, from: Date, ms: number): Date | null {
  try {
    return addBusinessMs(calendar, from, ms);
  } catch {
    return null;
  }
}

function safeBetween(calendar: Calendar, from: Date, to: Date): number {
  try {
    return businessMsBetween(calendar, from, to);
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

function targetsMs(policy: Policy, priority: Priority): Record<SlaTarget, number> {
  const t = policy.targets[priority];
  return {
    first_response: t.firstResponseMinutes * MINUTE_MS,
    resolution: t.resolutionMinutes * MINUTE_MS,
  };
}

/** The instant the first response counts from: the first agent reply since the clocks (re)started. */
function firstResponseAt(ticket: TicketFacts, startedAt: Date): Date | null {
  const since = startedAt.getTime();
  if (ticket.firstRespondedAt && ticket.firstRespondedAt.getTime() >= since) return ticket.firstRespondedAt;
  if (ticket.lastAgentReplyAt && ticket.lastAgentReplyAt.getTime() >= since) return ticket.lastAgentReplyAt;
  return null;
}

/** Mutable working copy of both clocks; collects the changes with the instant each happened at. */
class Work {
  readonly clocks: Record<SlaTarget, MutableClock>;
  private readonly happened: Array<{ at: number; order: number; change: SlaChange }> = [];

  constructor(from: SlaClocks) {
    this.clocks = { first_response: { ...from.firstResponse }, resolution: { ...from.resolution } };
  }

  private record(kind: SlaEventKind, target: SlaTarget, at: Date): void {
    this.happened.push({ at: at.getTime(), order: this.happened.length, change: { kind, target } });
  }

  changes(): SlaChange[] {
    return [...this.happened].sort((a, b) => a.at - b.at || a.order - b.order).map((h) => h.change);
  }

  /** Raises the warning and the breach of every running clock due at or before `until`. */
  advance(until: Date): void {
    for (const target of SLA_TARGETS) {
      const c = this.clocks[target];
      if (c.state !== 'running') continue;
      if (c.warnAt && c.warnAt.getTime() <= until.getTime()) {
        c.warnedAt = c.warnAt;
        c.warnAt = null;
        this.record('warning', target, c.warnedAt);
      }
      if (c.dueAt && c.dueAt.getTime() <= until.getTime()) {
        c.state = 'breached';
        c.breachedAt = c.dueAt;
        c.usedMs = c.targetMs;
        c.since = null;
        c.warnAt = null;
        this.record('breached', target, c.dueAt);
      }
    }
  }

  /** Adds the business time of the running segment up to `at` to `usedMs`. */
  checkpoint(target: SlaTarget, calendar: Calendar, at: Date): void {
    const c = this.clocks[target];
    if (c.state !== 'running' || !c.since || at.getTime() <= c.since.getTime()) return;
    c.usedMs += safeBetween(calendar, c.since, at);
    c.since = at;
  }

  /** The target is fulfilled at `at`: met if it was not breached before, else a late fulfilment. */
  meet(target: SlaTarget, calendar: Calendar, at: Date): void {
    const c = this.clocks[target];
    if (c.state === 'running') {
      this.advance(at);
      if (c.state === 'running') this.checkpoint(target, calendar, at);
    }
    if (c.state === 'running' || c.state === 'paused') {
      c.state = 'met';
      c.metAt = at;
      c.since = null;
      c.warnAt = null;
      this.record('met', target, at);
    } else if (c.state === 'breached' && !c.metAt) {
      c.metAt = at;
      this.record('met', target, at);
    }
  }

  /** The ticket is unresolved again: the resolution clock resumes with the business time it had used. */
  reopen(at: Date): void {
    const c = this.clocks.resolution;
    if (c.state === 'met') {
      c.state = 'running';
      c.metAt = null;
      c.since = at;
    } else if (c.state === 'breached') {
      c.metAt = null;
    }
  }

  pause(target: SlaTarget, calendar: Calendar, at: Date): void {
    const c = this.clocks[target];
    if (c.state !== 'running') return;
    this.checkpoint(target, calendar, at);
    c.state = 'paused';
    c.since = null;
    c.dueAt = null;
    c.warnAt = null;
  }

  resume(target: SlaTarget, at: Date): void {
    const c = this.clocks[target];
    if (c.state !== 'paused') return;
    c.state = 'running';
    c.since = at;
  }

  /** Due and warning instants of a running clock from its segment start and the business time left. */
  schedule(target: SlaTarget, calendar: Calendar, warnAtPercent: number): void {
    const c = this.clocks[target];
    if (c.state !== 'running' || !c.since) return;
    const remaining = Math.max(0, c.targetMs - c.usedMs);
    c.dueAt = safeAdd(calendar, c.since, remaining);
    const warnMs = Math.floor((c.targetMs * warnAtPercent) / 100);
    c.warnAt =
      c.warnedAt || remaining === 0 || warnMs >= c.targetMs
        ? null
        : safeAdd(calendar, c.since, Math.max(0, warnMs - c.usedMs));
  }
}

function freshClock(targetMs: number, at: Date): Clock {
  return {
    state: 'running',
    targetMs,
    usedMs: 0,
    since: at,
    dueAt: null,
    warnAt: null,
    warnedAt: null,
    breachedAt: null,
    metAt: null,
  };
}

/**
 * Applies a ticket as one of its events describes it, at `at` (the time of the change): fulfilments, warnings
 * and breaches due before it, reopening, a change of policy or priority (the targets change, the business time
 * already used stays: escalation), pausing and resuming. `previous` is the context the clocks ran under so far
 * (its calendar measures the time up to `at`); `next` is the one they run under from `at`.
 */
export function applyTicket(
  clocks: SlaClocks,
  ticket: TicketFacts,
  previous: ClockContext,
  next: ClockContext,
  at: Date,
): ClockStep {
  const w = new Work(clocks);
  const t = maxDate(at, clocks.asOf);
  const clampToStep = (d: Date) => minDate(maxDate(d, clocks.asOf), t);

  const done = DONE_STATUSES.includes(ticket.status);
  const resolvedAt = done ? clampToStep(ticket.resolvedAt ?? ticket.closedAt ?? t) : null;
  const respondedAt = firstResponseAt(ticket, clocks.startedAt);
  // a ticket resolved without any reply needs none any more (as Zendesk counts first reply time)
  const firstResponseDone = respondedAt ? clampToStep(respondedAt) : resolvedAt;
  if (firstResponseDone) w.meet('first_response', previous.calendar, firstResponseDone);
  if (resolvedAt) w.meet('resolution', previous.calendar, resolvedAt);
  w.advance(t);
  if (!done) w.reopen(t);
  for (const target of SLA_TARGETS) w.checkpoint(target, previous.calendar, t);

  const priority = slaPriority(ticket.priority);
  if (next.policy.id !== clocks.policyId || priority !== clocks.priority) {
    const targets = targetsMs(next.policy, priority);
    for (const target of SLA_TARGETS) {
      const c = w.clocks[target];
      if (c.state === 'running' || c.state === 'paused') c.targetMs = targets[target];
    }
  }
  const paused = (next.policy.pauseStatuses as readonly string[]).includes(ticket.status);
  for (const target of SLA_TARGETS) {
    if (paused) w.pause(target, previous.calendar, t);
    else w.resume(target, t);
    w.schedule(target, next.calendar, next.policy.warnAtPercent);
  }
  // an escalation may leave a target already used up: it is due now
  w.advance(t);
  return {
    clocks: {
      policyId: next.policy.id,
      priority,
      startedAt: clocks.startedAt,
      asOf: t,
      firstResponse: w.clocks.first_response,
      resolution: w.clocks.resolution,
    },
    changes: w.changes(),
  };
}

/**
 * Business minutes (whole, rounded down) of `calendar` from the ticket's opening to its first agent public reply,
 * whatever the clocks did meanwhile (pauses, resets): the reports' first response in business minutes. Null
 * without a reply, or when the span cannot be measured.
 */
export function firstResponseBusinessMinutes(ticket: TicketFacts, calendar: Calendar): number | null {
  const replied = ticket.firstRespondedAt;
  if (!replied || replied.getTime() < ticket.openedAt.getTime()) return null;
  const ms = safeBetween(calendar, ticket.openedAt, replied);
  return ms === Number.MAX_SAFE_INTEGER ? null : Math.floor(ms / MINUTE_MS);
}

/** Starts both clocks at `startAt` (the ticket's opening) and applies the ticket as it is at `at`. */
export function startClocks(ticket: TicketFacts, context: ClockContext, startAt: Date, at: Date): ClockStep {
  const priority = slaPriority(ticket.priority);
  const targets = targetsMs(context.policy, priority);
  const fresh: SlaClocks = {
    policyId: context.policy.id,
    priority,
    startedAt: startAt,
    asOf: startAt,
    firstResponse: freshClock(targets.first_response, startAt),
    resolution: freshClock(targets.resolution, startAt),
  };
  return applyTicket(fresh, ticket, context, context, maxDate(at, startAt));
}

/** "Reset SLA": both clocks restart from `now` under `context`; a reply or resolution before now no longer counts. */
export function resetClocks(ticket: TicketFacts, context: ClockContext, now: Date): ClockStep {
  const step = startClocks(ticket, context, now, now);
  return { clocks: step.clocks, changes: [{ kind: 'updated', target: null }] };
}

/** Raises every warning and breach due at or before `now`; the timers' side of the clocks. */
export function fireDue(clocks: SlaClocks, now: Date): ClockStep {
  const w = new Work(clocks);
  w.advance(now);
  return {
    clocks: { ...clocks, firstResponse: w.clocks.first_response, resolution: w.clocks.resolution },
    changes: w.changes(),
  };
}

/** The earliest pending warning or due time of a running clock: when a timer must next look at the ticket. */
export function nextFireAt(clocks: SlaClocks): Date | null {
  let next: number | null = null;
  for (const c of [clocks.firstResponse, clocks.resolution]) {
    if (c.state !== 'running') continue;
    for (const d of [c.warnAt, c.dueAt]) {
      if (d && (next === null || d.getTime() < next)) next = d.getTime();
    }
  }
  return next === null ? null : new Date(next);
}

function targetView(c: Clock): TargetView {
  return { state: c.state, breachedAt: c.breachedAt, metAt: c.metAt };
}

const warned = (c: Clock) => c.warnedAt !== null && (c.state === 'running' || c.state === 'paused');

export function slaView(clocks: SlaClocks): SlaView {
  const { firstResponse: fr, resolution: res } = clocks;
  return {
    policyId: clocks.policyId,
    firstResponseDueAt: fr.state === 'paused' ? null : fr.dueAt,
    resolutionDueAt: res.state === 'paused' ? null : res.dueAt,
    firstResponse: targetView(fr),
    resolution: targetView(res),
    warning: warned(fr) || warned(res),
  };
}

const time = (d: Date | null) => (d ? d.getTime() : null);

function sameTarget(a: TargetView, b: TargetView): boolean {
  return a.state === b.state && time(a.breachedAt) === time(b.breachedAt) && time(a.metAt) === time(b.metAt);
}

/** Whether two views show the same thing (the ticket service's copy would not change). */
export function sameView(a: SlaView, b: SlaView): boolean {
  return (
    a.policyId === b.policyId &&
    time(a.firstResponseDueAt) === time(b.firstResponseDueAt) &&
    time(a.resolutionDueAt) === time(b.resolutionDueAt) &&
    sameTarget(a.firstResponse, b.firstResponse) &&
    sameTarget(a.resolution, b.resolution) &&
    a.warning === b.warning
  );
}
