// One event against a tenant's event rules, inside the consumer's inbox transaction: every rule listening for it is
// decided (docs/product/automation.md "Order and loops"), each decision is a run in the log, and a fired run's
// actions wait for the action worker, which applies them after the commit. So a redelivered event (its id is in
// the inbox) plans nothing twice, and a crash between planning and applying loses nothing.
import { renderAction } from '../domain/actions';
import { evaluate, type EvaluationContext } from '../domain/conditions';
import { decide, type Origin } from '../domain/firing';
import type { EventTrigger } from '../domain/rule';
import type { Clock, EngineTransaction, IdGenerator, NewRun, TriggerEnvelope } from './ports';
import { firedRun } from './run-events';

export interface RuleEvent extends EvaluationContext {
  tenantId: string;
  /** The envelope id: what the run log names as the run's event. */
  eventId: string;
  trigger: EventTrigger;
  origin: Origin;
  /** The event as the bus carried it: what the rule's `webhook` actions send. */
  envelope?: TriggerEnvelope;
}

export interface EvaluationResult {
  fired: number;
  skipped: number;
}

export class EvaluateEventUseCase {
  constructor(private readonly deps: { clock: Clock; ids: IdGenerator }) {}

  async execute(tx: EngineTransaction, event: RuleEvent): Promise<EvaluationResult> {
    const rules = await tx.listening(event.tenantId, event.trigger);
    if (rules.length === 0) return { fired: 0, skipped: 0 };
    const ticket = event.ticket;
    const already = await tx.firedAlready(
      ticket.id,
      event.origin.originId,
      rules.map((r) => r.id),
    );
    const decisions = decide(rules, event.origin, (r) => evaluate(r.conditions, event).matched, already);
    const now = this.deps.clock.now();
    const result: EvaluationResult = { fired: 0, skipped: 0 };
    const runs: NewRun[] = [];
    for (const decision of decisions) {
      let outcome = decision.outcome;
      let reason = decision.outcome === 'skipped' ? decision.reason : null;
      if (outcome === 'fired') {
        // a replica handling another event of the same change may have fired it a moment ago
        const first = await tx.recordFiring(
          event.tenantId,
          decision.rule.id,
          ticket.id,
          event.origin.originId,
          now,
        );
        if (!first) {
          outcome = 'skipped';
          reason = 'already_fired';
        }
      }
      const run = {
        id: this.deps.ids.newId(),
        tenantId: event.tenantId,
        rule: decision.rule,
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        triggerType: 'event' as const,
        eventId: event.eventId,
        origin: event.origin,
        at: now,
      };
      runs.push(
        outcome === 'fired'
          ? firedRun(
              run,
              decision.rule.actions.map((a) => renderAction(a, ticket)),
              event.envelope,
              this.deps.ids.newId(),
            )
          : { ...run, outcome, reason, planned: [], firedEvent: null },
      );
      result[outcome] += 1;
    }
    // every decision is a run in the log, skipped ones too (why a rule did not fire): written in one go
    await tx.insertRuns(runs);
    if (result.fired > 0) await tx.signalRuns();
    return result;
  }
}
