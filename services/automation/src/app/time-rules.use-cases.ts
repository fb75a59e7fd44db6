// Time rules as per-ticket timers (docs/product/automation.md "Time"): every ticket event arms, moves or cancels
// the timers of the tenant's time rules on that ticket, in the consumer's inbox transaction; the timer loop fires
// what falls due, re-checking the rule and the ticket as they are then. No periodic scan of tickets.
import { renderAction } from '../domain/actions';
import { evaluate, type EvaluationContext, type TicketFacts } from '../domain/conditions';
import { decide } from '../domain/firing';
import type { Rule } from '../domain/rule';
import { businessMinutes, plainDue, sinceInstant, type TicketClock } from '../domain/time-rules';
import type {
  BusinessTime,
  Clock,
  EngineTransaction,
  EngineUnitOfWork,
  IdGenerator,
  TicketCommands,
} from './ports';
import { firedRun } from './run-events';

async function dueOf(
  rule: Rule,
  ticket: TicketFacts,
  clock: TicketClock,
  business: BusinessTime,
): Promise<{ since: Date; due: Date } | null> {
  if (rule.trigger.type !== 'time') return null;
  const since = sinceInstant(rule.trigger.since, ticket, clock);
  if (!since) return null;
  if (rule.trigger.businessHours) {
    const due = await business.due(
      ticket.tenantId,
      ticket.slaPolicyId,
      since,
      businessMinutes(rule.trigger.after),
    );
    if (due) return { since, due };
  }
  return { since, due: plainDue(since, rule.trigger.after) };
}

const asOfNow = (ticket: TicketFacts): EvaluationContext => ({ ticket, changes: [], message: null });

export class ArmTimersUseCase {
  constructor(private readonly deps: { business: BusinessTime }) {}

  /** After a ticket event: each time rule's timer on the ticket armed (conditions hold now) or cancelled. */
  async execute(
    tx: EngineTransaction,
    ticket: TicketFacts,
    event: { at: Date; statusChanged: boolean },
  ): Promise<void> {
    const clock = await tx.trackTicket(
      ticket.tenantId,
      ticket.id,
      ticket.version,
      event.at,
      event.statusChanged,
    );
    const rules = await tx.timeRules(ticket.tenantId);
    for (const rule of rules) {
      const when = evaluate(rule.conditions, asOfNow(ticket)).matched
        ? await dueOf(rule, ticket, clock, this.deps.business)
        : null;
      if (!when) {
        await tx.cancel(rule.id, ticket.id);
        continue;
      }
      if (await tx.arm(ticket.tenantId, rule.id, ticket.id, when.since, when.due))
        await tx.signalDue(when.due);
    }
  }
}

// ticket reads of one batch in flight at once: well inside the ticket service's GRPC_MAX_CONCURRENT_CALLS
const TICKET_READS_AT_ONCE = 16;

/** `read` of every item, `width` at a time, in the items' order. */
async function inChunks<T, R>(
  items: readonly T[],
  width: number,
  read: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map(read))));
  return out;
}

export interface FireResult {
  timers: number;
  fired: number;
}

export class FireTimersUseCase {
  constructor(
    private readonly deps: {
      uow: EngineUnitOfWork;
      tickets: TicketCommands;
      business: BusinessTime;
      clock: Clock;
      ids: IdGenerator;
    },
  ) {}

  /** Fires what is due now, in one transaction of at most `limit` timers. */
  async execute(limit: number): Promise<FireResult> {
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (tx) => {
      const due = await tx.lockDue(now, limit);
      // the batch's tickets asked for side by side, not one round trip after another, and each rule read once
      const tickets = await inChunks(due, TICKET_READS_AT_ONCE, (t) =>
        this.deps.tickets.get(t.tenantId, t.ticketId),
      );
      const rules = new Map<string, Promise<Rule | null>>();
      let fired = 0;
      for (const [i, timer] of due.entries()) {
        await tx.markFired(timer.ruleId, timer.ticketId);
        const key = `${timer.tenantId}:${timer.ruleId}`;
        if (!rules.has(key)) rules.set(key, tx.findRule(timer.tenantId, timer.ruleId));
        const rule = await rules.get(key)!;
        const ticket = tickets[i];
        if (!rule || !rule.active || rule.trigger.type !== 'time' || !ticket) continue;
        const origin = { originId: `timer:${rule.id}:${ticket.id}:${timer.sinceAt.getTime()}`, depth: 0 };
        const already = await tx.firedAlready(ticket.id, origin.originId, [rule.id]);
        // the conditions must hold at the moment it falls due, on the ticket as it is now
        const [decision] = decide(
          [rule],
          origin,
          (r) => evaluate(r.conditions, asOfNow(ticket)).matched,
          already,
        );
        let outcome = decision!.outcome;
        if (
          outcome === 'fired' &&
          !(await tx.recordFiring(timer.tenantId, rule.id, ticket.id, origin.originId, now))
        )
          outcome = 'skipped';
        const run = {
          id: this.deps.ids.newId(),
          tenantId: timer.tenantId,
          rule,
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          triggerType: 'time' as const,
          eventId: origin.originId,
          origin,
          at: now,
        };
        await tx.insertRun(
          outcome === 'fired'
            ? // no bus event made it fire: its webhook actions send its rule_fired (docs/adr/0049)
              firedRun(
                run,
                rule.actions.map((a) => renderAction(a, ticket)),
                undefined,
                this.deps.ids.newId(),
              )
            : {
                ...run,
                outcome,
                reason: decision!.outcome === 'skipped' ? decision!.reason : 'already_fired',
                planned: [],
                firedEvent: null,
              },
        );
        if (outcome === 'fired') fired += 1;
      }
      if (fired > 0) await tx.signalRuns();
      return { timers: due.length, fired };
    });
  }
}
