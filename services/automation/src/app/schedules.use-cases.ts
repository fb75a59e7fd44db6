// Schedule rules (docs/product/automation.md "Schedule"): a row per rule with its next occurrence, kept when the
// rule is saved, woken by the time rules' timer loop (same NOTIFY channel, same SKIP LOCKED claim). Firing an
// occurrence writes its run and moves the row past now in one transaction, so an occurrence fires once however many
// replicas wake, a crash before the commit fires it again, and a service that was down creates one ticket for
// everything it missed (docs/adr/0045).
import { renderAction } from '../domain/actions';
import type { Rule } from '../domain/rule';
import { nextOccurrence, occurrencesAfter, sameRecurrence, scheduleAnchor } from '../domain/schedule';
import type { Clock, EngineUnitOfWork, IdGenerator, Reschedule, ScheduleState } from './ports';
import { firedRun } from './run-events';

/** Where a zone is not known (neither on the rule nor from identity yet). */
export const FALLBACK_TIME_ZONE = 'UTC';

function zoneOf(rule: Pick<Rule, 'trigger'>, tenantZone: string | null): string {
  return (rule.trigger.type === 'schedule' && rule.trigger.timezone) || tenantZone || FALLBACK_TIME_ZONE;
}

/**
 * How a rule's schedule is saved at `now` from the one stored (docs/adr/0053); null unless it is a schedule rule.
 * The same recurrence (RRULE and zone) keeps its DTSTART (`anchorAt`) and the occurrence it waits for, due or not,
 * so an edit of the name, the actions or the position neither skips nor repeats an occurrence. Another recurrence
 * is anchored afresh: at midnight, in its zone, of the day of the save (docs/adr/0045). Either way the next
 * occurrence is never one already fired, nor one before now; a switched-off rule has none.
 */
export function reschedule(rule: Rule, tenantZone: string | null, now: Date): Reschedule {
  return (stored) => {
    if (rule.trigger.type !== 'schedule') return null;
    const { rrule } = rule.trigger;
    const timezone = zoneOf(rule, tenantZone);
    const lastOccurrenceAt = stored?.lastOccurrenceAt ?? null;
    const after = lastOccurrenceAt && lastOccurrenceAt > now ? lastOccurrenceAt : now;
    if (stored && stored.timezone === timezone && sameRecurrence(stored.rrule, rrule)) {
      const nextAt = !rule.active
        ? null
        : (stored.nextAt ?? nextOccurrence(rrule, timezone, stored.anchorAt, after));
      return { rrule, timezone, anchorAt: stored.anchorAt, nextAt, lastOccurrenceAt };
    }
    const anchorAt = scheduleAnchor(now, timezone);
    return {
      rrule,
      timezone,
      anchorAt,
      nextAt: rule.active ? nextOccurrence(rrule, timezone, anchorAt, after) : null,
      lastOccurrenceAt,
    };
  };
}

/** The schedule of a rule first saved at `savedAt` (null unless it is a schedule rule). */
export function scheduleStateOf(rule: Rule, tenantZone: string | null, savedAt: Date): ScheduleState | null {
  return reschedule(rule, tenantZone, savedAt)(null);
}

/**
 * The next `count` occurrences of a schedule rule after `now` (a dry run's answer): a saved rule's from its stored
 * schedule (the occurrence it waits for first), an unsaved one's as if saved now.
 */
export function upcoming(
  rule: Pick<Rule, 'trigger'>,
  tenantZone: string | null,
  now: Date,
  count: number,
  stored: ScheduleState | null = null,
): Date[] {
  if (rule.trigger.type !== 'schedule') return [];
  if (stored) {
    const last = stored.lastOccurrenceAt;
    const first = stored.nextAt
      ? [stored.nextAt]
      : occurrencesAfter(stored.rrule, stored.timezone, stored.anchorAt, last && last > now ? last : now, 1);
    if (first.length === 0) return [];
    return [
      first[0]!,
      ...occurrencesAfter(stored.rrule, stored.timezone, stored.anchorAt, first[0]!, count - 1),
    ];
  }
  const timezone = zoneOf(rule, tenantZone);
  return occurrencesAfter(rule.trigger.rrule, timezone, scheduleAnchor(now, timezone), now, count);
}

export class FireSchedulesUseCase {
  constructor(private readonly deps: { uow: EngineUnitOfWork; clock: Clock; ids: IdGenerator }) {}

  /** Fires the occurrences due now, in one transaction of at most `limit` schedules. */
  async execute(limit: number): Promise<{ timers: number; fired: number }> {
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (tx) => {
      const due = await tx.lockDueSchedules(now, limit);
      let fired = 0;
      for (const schedule of due) {
        const rule = await tx.findRule(schedule.tenantId, schedule.ruleId);
        if (!rule || !rule.active || rule.trigger.type !== 'schedule') {
          // saved again when switched on: that computes the next occurrence afresh
          await tx.advanceSchedule(schedule.ruleId, null);
          continue;
        }
        const occurrence = schedule.nextAt;
        const originId = `schedule:${rule.id}:${occurrence.toISOString()}`;
        await tx.insertRun(
          firedRun(
            {
              id: this.deps.ids.newId(),
              tenantId: rule.tenantId,
              rule,
              ticketId: null,
              ticketNumber: null,
              triggerType: 'schedule',
              eventId: originId,
              origin: { originId, depth: 0 },
              at: now,
            },
            rule.actions.map((a) => renderAction(a, null)),
            // no bus event made it fire: its webhook actions send its rule_fired (docs/adr/0049)
            undefined,
            this.deps.ids.newId(),
          ),
        );
        fired += 1;
        // past now, not past the occurrence: the occurrences missed while nobody ran are this one run
        const next = nextOccurrence(
          schedule.rrule,
          schedule.timezone,
          schedule.anchorAt,
          now > occurrence ? now : occurrence,
        );
        await tx.advanceSchedule(schedule.ruleId, next, occurrence);
        if (next) await tx.signalDue(next);
      }
      if (fired > 0) await tx.signalRuns();
      return { timers: due.length, fired };
    });
  }
}

/** What following a tenant's zone needs, inside the tenant event's inbox transaction. */
export interface TenantZoneStore {
  /** Keeps the tenant's zone announced at `at`; false when a newer one is kept already (nothing to do). */
  moveZone(tenantId: string, timezone: string, at: Date): Promise<boolean>;
  /** The tenant's schedule rules with no zone of their own (they follow the tenant's). */
  zoneFollowingRules(tenantId: string): Promise<Rule[]>;
  /** Saves the rule's schedule as `reschedule` works it out from the one stored, read under its row lock. */
  reschedule(rule: Rule, reschedule: Reschedule): Promise<void>;
}

/**
 * A tenant's zone changed (`tenant_updated`): the schedule rules that follow it are counted in the new zone from
 * now on, as if saved now (docs/adr/0045); an update that keeps the zone (a new name) leaves them as they are.
 */
export class FollowTenantZoneUseCase {
  constructor(private readonly deps: { clock: Clock }) {}

  async execute(store: TenantZoneStore, tenantId: string, timezone: string, at: Date): Promise<number> {
    if (!(await store.moveZone(tenantId, timezone, at))) return 0;
    const now = this.deps.clock.now();
    const rules = await store.zoneFollowingRules(tenantId);
    for (const rule of rules) await store.reschedule(rule, reschedule(rule, timezone, now));
    return rules.length;
  }
}
