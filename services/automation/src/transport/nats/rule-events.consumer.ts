// Durable consumers `automation--ticket-rules` (HELPDESK_TICKET) and `automation--sla-rules` (HELPDESK_SLA): each
// event that is a trigger of docs/product/automation.md is decided against the tenant's event rules in the inbox
// transaction. Where a change comes from is on the event's actor: an automation actor carries the causation of
// the chain it belongs to (docs/adr/0030); any other change starts a chain of its own, named by the ticket's
// version, which every event of one commit shares.
import {
  IN_TRANSACTION_BATCH,
  catalogHandler,
  startConsumer,
  type Bus,
  type CatalogEnvelope,
  type EventEnvelope,
  type EventHandler,
  type PgPool,
  type RunningConsumer,
} from '@helpdesk/bus';
import { commonV1 } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import type { EvaluateEventUseCase, RuleEvent } from '../../app/evaluate-event.use-case';
import type { TicketCommands, TriggerEnvelope } from '../../app/ports';
import type { ArmTimersUseCase } from '../../app/time-rules.use-cases';
import type { Origin } from '../../domain/firing';
import type { EventTrigger } from '../../domain/rule';
import type { PgEngineUnitOfWork } from '../../infra/pg-store';
import { fieldChanges, messageOf, ticketFacts } from '../ticket-facts';

/** The chain a change belongs to: the one its automation actor names, or its own (depth 0). */
export function originOf(actor: commonV1.Actor | undefined, ticketId: string, version: number): Origin {
  if (actor?.type === commonV1.ActorType.ACTOR_TYPE_AUTOMATION && actor.causation?.originId) {
    return { originId: actor.causation.originId, depth: Math.max(1, actor.causation.depth) };
  }
  return { originId: `ticket:${ticketId}:${version}`, depth: 0 };
}

function sameTenant(event: CatalogEnvelope, tenantId: string): void {
  if (tenantId !== event.tenantId.toLowerCase()) throw new Error('event data belongs to another tenant');
}

/** The rule event a ticket event is, or null for events that are no trigger. */
export function ticketRuleEvent(event: CatalogEnvelope): RuleEvent | null {
  let trigger: EventTrigger;
  let changes: RuleEvent['changes'] = [];
  let message: RuleEvent['message'] = null;
  if (event.type === 'helpdesk.ticket.created') {
    trigger = 'ticket.created';
    message = messageOf(event.data.message);
  } else if (event.type === 'helpdesk.ticket.updated') {
    trigger = 'ticket.updated';
    changes = fieldChanges(event.data.changes);
  } else if (event.type === 'helpdesk.ticket.message_added') {
    trigger = 'message.created';
    message = messageOf(event.data.message);
  } else {
    // status_changed and assigned come with an `updated` of the same change
    return null;
  }
  const ticket = ticketFacts(event.data.ticket);
  sameTenant(event, ticket.tenantId);
  return {
    tenantId: ticket.tenantId,
    eventId: event.id,
    trigger,
    ticket,
    changes,
    message,
    origin: originOf(event.data.actor, ticket.id, ticket.version),
  };
}

/** The event as the bus carried it, without its trace context: what a `webhook` action sends on. */
export function triggerEnvelope(raw: EventEnvelope): TriggerEnvelope {
  const { id, type, version, tenantId, occurredAt, data } = raw;
  return { id, type, version, tenantId, occurredAt, data };
}

/** A catalog handler that also sees the envelope as it came (its data undecoded). */
function withRaw(
  handle: (event: CatalogEnvelope, raw: EventEnvelope, client: Parameters<EventHandler>[1]) => Promise<void>,
  logger: Logger,
): EventHandler {
  return (raw, client) => catalogHandler((event, tx) => handle(event, raw, tx), logger)(raw, client);
}

interface Deps {
  bus: Bus;
  pool: PgPool;
  uow: PgEngineUnitOfWork;
  evaluate: EvaluateEventUseCase;
  timers: ArmTimersUseCase;
  tickets: TicketCommands;
  logger: Logger;
}

export function startTicketRulesConsumer(deps: Deps): RunningConsumer {
  return startConsumer({
    bus: deps.bus,
    pool: deps.pool,
    domain: 'ticket',
    consumer: 'automation',
    purpose: 'ticket-rules',
    subjects: ['helpdesk.ticket.created', 'helpdesk.ticket.updated', 'helpdesk.ticket.message_added'],
    // the runs and timers are written in the transaction; their actions run after it, from the run log
    batchSize: IN_TRANSACTION_BATCH,
    logger: deps.logger,
    handler: withRaw(async (event, raw, client) => {
      const ruleEvent = ticketRuleEvent(event);
      if (!ruleEvent) return;
      const tx = deps.uow.on(client);
      await deps.evaluate.execute(tx, { ...ruleEvent, envelope: triggerEnvelope(raw) });
      // then the time rules' timers on the ticket: armed, moved or cancelled by what the ticket is now
      await deps.timers.execute(tx, ruleEvent.ticket, {
        at: new Date(event.occurredAt),
        statusChanged:
          ruleEvent.trigger === 'ticket.created' || ruleEvent.changes.some((c) => c.field === 'status'),
      });
    }, deps.logger),
  });
}

export function startSlaRulesConsumer(deps: Deps): RunningConsumer {
  return startConsumer({
    bus: deps.bus,
    pool: deps.pool,
    domain: 'sla',
    consumer: 'automation',
    purpose: 'sla-rules',
    subjects: ['helpdesk.sla.warning', 'helpdesk.sla.breached'],
    // the runs and timers are written in the transaction; their actions run after it, from the run log
    batchSize: IN_TRANSACTION_BATCH,
    logger: deps.logger,
    handler: withRaw(async (event, raw, client) => {
      if (event.type !== 'helpdesk.sla.warning' && event.type !== 'helpdesk.sla.breached') return;
      const tx = deps.uow.on(client);
      const trigger: EventTrigger = event.type === 'helpdesk.sla.warning' ? 'sla.warning' : 'sla.breached';
      // nothing to read when no rule listens
      if ((await tx.listening(event.tenantId.toLowerCase(), trigger)).length === 0) return;
      const ticket = await deps.tickets.get(event.tenantId.toLowerCase(), event.data.ticketId);
      if (!ticket) return;
      await deps.evaluate.execute(tx, {
        tenantId: ticket.tenantId,
        eventId: event.id,
        trigger,
        ticket,
        changes: [],
        message: null,
        // an SLA event is a change of its own: its sequence names it
        origin: { originId: `sla:${ticket.id}:${event.data.sequence}`, depth: 0 },
        envelope: triggerEnvelope(raw),
      });
    }, deps.logger),
  });
}
