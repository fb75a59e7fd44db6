// Shared by the use cases that move clocks (ticket events, timers, reset): the policy context of a tenant, and
// storing a step with its events in the caller's transaction.
import { conflict } from '@helpdesk/platform';
import {
  TWENTY_FOUR_SEVEN,
  firstResponseBusinessMinutes,
  nextFireAt,
  sameView,
  slaView,
  type Calendar,
  type ClockContext,
  type Policy,
  type SlaChange,
  type SlaClocks,
  type TicketFacts,
} from '../domain';
import type { ClockTransaction, PolicyRepository, TicketRow } from './ports';

/** A tenant's policies in match order, each with its calendar resolved. */
export interface TenantContexts {
  readonly policies: Policy[];
  byId(policyId: string): ClockContext | undefined;
  of(policy: Policy): ClockContext;
}

export async function loadContexts(policies: PolicyRepository, tenantId: string): Promise<TenantContexts> {
  const found = await policies.contexts(tenantId);
  const of = (policy: Policy): ClockContext => ({
    policy,
    calendar: (policy.calendarId && found.calendars.get(policy.calendarId)) || TWENTY_FOUR_SEVEN,
  });
  return {
    policies: found.policies,
    of,
    byId: (policyId) => {
      const policy = found.policies.find((p) => p.id === policyId);
      return policy ? of(policy) : undefined;
    },
  };
}

export interface StoreStepOptions {
  /** The "fired" transition of a timer: skip (answer null) instead of failing when the row moved on. */
  skipIfMoved?: boolean;
  /** The calendar the clocks measured with up to this step; its events then carry the first response's business minutes. */
  calendar?: Calendar;
}

/**
 * Writes a ticket's facts and clocks and the SLA events of `changes` (an `updated` when the visible state changed
 * without a warning, breach or fulfilment), each with the next per-ticket sequence; signals the timers when the
 * next due instant moved. Answers the stored row, or null when `skipIfMoved` and another writer got there first.
 */
export async function storeStep(
  tx: ClockTransaction,
  facts: TicketFacts,
  previous: TicketRow | null,
  clocks: SlaClocks | null,
  changes: readonly SlaChange[],
  options: StoreStepOptions = {},
): Promise<TicketRow | null> {
  const before = previous?.clocks ? slaView(previous.clocks) : null;
  const after = clocks ? slaView(clocks) : null;
  let kinds = changes;
  if (kinds.length === 0 && after && !(before && sameView(before, after))) {
    kinds = [{ kind: 'updated', target: null }];
  }
  let sequence = previous?.sequence ?? 0;
  const frBusinessMinutes = options.calendar ? firstResponseBusinessMinutes(facts, options.calendar) : null;
  const events = after
    ? kinds.map((change) => ({
        ...change,
        tenantId: facts.tenantId,
        ticketId: facts.id,
        ticketNumber: facts.number,
        sla: after,
        sequence: ++sequence,
        firstResponseBusinessMinutes: frBusinessMinutes,
      }))
    : [];
  const row: TicketRow = { facts, clocks, sequence };
  if (!previous) {
    await tx.insertTicket(row);
  } else if (!(await tx.saveTicket(row, previous.sequence))) {
    if (options.skipIfMoved) return null;
    throw conflict('the ticket SLA was changed concurrently');
  }
  for (const event of events) await tx.enqueue(event);
  const due = clocks ? nextFireAt(clocks) : null;
  const dueBefore = previous?.clocks ? nextFireAt(previous.clocks) : null;
  if (due && due.getTime() !== dueBefore?.getTime()) await tx.signalDue(due);
  return row;
}
