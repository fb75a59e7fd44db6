import { failedPrecondition, notFound } from '@helpdesk/platform';
import { resetClocks, selectPolicy, slaView, type SlaView, type TicketFacts } from '../domain';
import { loadContexts, storeStep } from './clock-steps';
import type { ClockUnitOfWork, OutboxNotifier, PolicyRepository, TimeSource } from './ports';
import { requireUuidOrNotFound } from './support';
import type { TrackTicketsUseCase } from './track-tickets.use-case';

export interface TicketSlaDeps {
  uow: ClockUnitOfWork;
  policies: PolicyRepository;
  tracker: TrackTicketsUseCase;
  outbox: OutboxNotifier;
  clock: TimeSource;
}

/** The SLA state of one ticket. */
export class GetTicketSlaUseCase {
  constructor(private readonly uow: ClockUnitOfWork) {}

  async execute(input: { tenantId: string; ticketId: string }): Promise<SlaView> {
    const id = requireUuidOrNotFound(input.ticketId, 'ticket SLA');
    const row = await this.uow.run((tx) => tx.findTicket(input.tenantId, id));
    if (!row?.clocks) throw notFound('ticket SLA');
    return slaView(row.clocks);
  }
}

/** "Reset SLA" (docs/product/sla.md): both clocks restart from now under the policy the ticket gets now. */
export class ResetTicketSlaUseCase {
  constructor(private readonly deps: TicketSlaDeps) {}

  /** `ticket`: the ticket as its owner just answered it; applied first when newer than what events brought. */
  async execute(input: { tenantId: string; ticketId: string; ticket?: TicketFacts }): Promise<SlaView> {
    const id = requireUuidOrNotFound(input.ticketId, 'ticket SLA');
    const view = await this.deps.uow.run(async (tx) => {
      const given = input.ticket;
      if (given && given.tenantId === input.tenantId && given.id === id) {
        await this.deps.tracker.applyTicket(tx, given);
      }
      const row = await tx.lockTicket(input.tenantId, id);
      if (!row) throw notFound('ticket SLA');
      const contexts = await loadContexts(this.deps.policies, input.tenantId);
      const clientPolicyId = row.facts.clientId
        ? await tx.clientPolicyId(input.tenantId, row.facts.clientId)
        : null;
      const chosen = selectPolicy(contexts.policies, row.facts, clientPolicyId);
      const context = chosen
        ? contexts.of(chosen)
        : row.clocks
          ? contexts.byId(row.clocks.policyId)
          : undefined;
      if (!context) throw failedPrecondition('no SLA policy applies to this ticket');
      const step = resetClocks(row.facts, context, this.deps.clock.now());
      await storeStep(tx, row.facts, row, step.clocks, step.changes, { calendar: context.calendar });
      return slaView(step.clocks);
    });
    this.deps.outbox.nudge();
    return view;
  }
}
