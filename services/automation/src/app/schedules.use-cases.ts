// Schedule rules (docs/product/automation.md "Schedule"): a row per rule with its next occurrence, kept when the
// rule is saved, woken by the time rules' timer loop (same NOTIFY channel, same SKIP LOCKED claim). Firing an
// occurrence writes its run and moves the row past now in one transaction, so an occurrence fires once however many
// replicas wake, a crash before the commit fires it again, and a service that was down creates one ticket for
// everything it missed (docs/adr/0045).
import { renderAction } from '../domain/actions';
import type { Rule } from '../domain/rule';
import { nextOccurrence, occurrencesAfter, scheduleAnchor } from '../domain/schedule';
import type { Clock, EngineUnitOfWork, IdGenerator, ScheduleState } from './ports';

/** Where a zone is not known (neither on the rule nor from identity yet). */
export const FALLBACK_TIME_ZONE = 'UTC';

/**
 * The schedule of a rule saved at `savedAt`: null unless it is a schedule rule. The recurrence counts from the day
 * it was saved (its anchor) in the rule's zone, else the tenant's; a switched-off rule has no next occurrence.
 */
export function scheduleStateOf(rule: Rule, tenantZone: string | null, savedAt: Date): ScheduleState | null {
  if (rule.trigger.type !== 'schedule') return null;
  const timezone = rule.trigger.timezone ?? tenantZone ?? FALLBACK_TIME_ZONE;
  const anchorAt = scheduleAnchor(savedAt, timezone);
  return {
    rrule: rule.trigger.rrule,
    timezone,
    anchorAt,
    nextAt: rule.active ? nextOccurrence(rule.trigger.rrule, timezone, anchorAt, savedAt) : null,
  };
}

/** The next `count` occurrences of a schedule rule after `now` (a dry run's answer). */
export function upcoming(rule: Pick<Rule, 'trigger'>, tenantZone: string | null, now: Date, count: number) {
  if (rule.trigger.type !== 'schedule') return [];
  const timezone = rule.trigger.timezone ?? tenantZone ?? FALLBACK_TIME_ZONE;
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
        await tx.insertRun({
          id: this.deps.ids.newId(),
          tenantId: rule.tenantId,
          rule,
          ticketId: null,
          triggerType: 'schedule',
          eventId: originId,
          outcome: 'fired',
          reason: null,
          planned: rule.actions.map((a) => renderAction(a, null)),
          origin: { originId, depth: 0 },
          at: now,
        });
        fired += 1;
        // past now, not past the occurrence: the occurrences missed while nobody ran are this one run
        const next = nextOccurrence(
          schedule.rrule,
          schedule.timezone,
          schedule.anchorAt,
          now > occurrence ? now : occurrence,
        );
        await tx.advanceSchedule(schedule.ruleId, next);
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
  saveSchedule(rule: Rule, schedule: ScheduleState | null): Promise<void>;
}

/**
 * A tenant's zone changed (`tenant_updated`): the schedule rules that follow it are counted in the new zone from
 * now on, as if saved now (docs/adr/0045).
 */
export class FollowTenantZoneUseCase {
  constructor(private readonly deps: { clock: Clock }) {}

  async execute(store: TenantZoneStore, tenantId: string, timezone: string, at: Date): Promise<number> {
    if (!(await store.moveZone(tenantId, timezone, at))) return 0;
    const now = this.deps.clock.now();
    const rules = await store.zoneFollowingRules(tenantId);
    for (const rule of rules) await store.saveSchedule(rule, scheduleStateOf(rule, timezone, now));
    return rules.length;
  }
}
