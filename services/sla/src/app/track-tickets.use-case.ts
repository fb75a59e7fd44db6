import {
  selectPolicy,
  startClocks,
  applyTicket,
  type ClockContext,
  type ClockStep,
  type TicketFacts,
} from '../domain';
import { loadContexts, storeStep } from './clock-steps';
import type { ClockTransaction, PolicyRepository, TicketRow, TimeSource } from './ports';

const CATCH_UP_BATCH = 200;

/**
 * Keeps the read model of tickets and clients from the ticket events and moves each ticket's clocks with it
 * (docs/product/sla.md). Runs inside the consumer's transaction, so the event is applied exactly once.
 */
export class TrackTicketsUseCase {
  constructor(private readonly deps: { policies: PolicyRepository; clock: TimeSource }) {}

  /** A ticket as one of its events carries it; older or repeated versions change nothing. Answers the events written. */
  async applyTicket(tx: ClockTransaction, facts: TicketFacts): Promise<number> {
    const row = await tx.lockTicket(facts.tenantId, facts.id);
    if (row && row.facts.version >= facts.version) return 0;
    return this.evaluate(tx, row, facts);
  }

  /** A client's SLA policy, kept for choosing the policy of its tickets. */
  async applyClient(
    tx: ClockTransaction,
    client: { tenantId: string; id: string; slaPolicyId: string | null; version: number },
  ): Promise<void> {
    await tx.upsertClient(client.tenantId, client.id, client.slaPolicyId, client.version);
  }

  /** Starts the clocks of a tenant's tickets that had no policy yet (their events came before the tenant's defaults). */
  async catchUp(tx: ClockTransaction, tenantId: string): Promise<number> {
    let started = 0;
    for (;;) {
      const rows = await tx.lockWithoutClocks(tenantId, CATCH_UP_BATCH);
      let progressed = 0;
      for (const row of rows) {
        // clocks that start always publish their first state
        if ((await this.evaluate(tx, row, row.facts)) > 0) progressed++;
      }
      started += progressed;
      // no policy applies yet to what is left: nothing more to do now
      if (rows.length < CATCH_UP_BATCH || progressed === 0) return started;
    }
  }

  private async evaluate(tx: ClockTransaction, row: TicketRow | null, facts: TicketFacts): Promise<number> {
    const contexts = await loadContexts(this.deps.policies, facts.tenantId);
    const clientPolicyId = facts.clientId ? await tx.clientPolicyId(facts.tenantId, facts.clientId) : null;
    const chosen = selectPolicy(contexts.policies, facts, clientPolicyId);
    const now = this.deps.clock.now();
    // the time of the change, never later than now (another host's clock may run ahead)
    const at = facts.updatedAt.getTime() <= now.getTime() ? facts.updatedAt : now;
    const current = row?.clocks ?? null;
    let step: ClockStep | null = null;
    // the context the clocks measured with up to this change
    let measured: ClockContext | undefined;
    if (current) {
      const previous = contexts.byId(current.policyId);
      const next = chosen ? contexts.of(chosen) : previous;
      measured = previous ?? next;
      if (next) step = applyTicket(current, facts, previous ?? next, next, at);
    } else if (chosen) {
      measured = contexts.of(chosen);
      step = startClocks(facts, measured, facts.openedAt, at);
    }
    const stored = await storeStep(tx, facts, row, step?.clocks ?? current, step?.changes ?? [], {
      calendar: measured?.calendar,
    });
    return stored ? stored.sequence - (row?.sequence ?? 0) : 0;
  }
}
