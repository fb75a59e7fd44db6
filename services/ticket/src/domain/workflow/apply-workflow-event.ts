// The status workflow (docs/product/tickets.md) as one pure function: (state, event, now, settings) → (state, effects).
// No I/O and no clock: the caller passes `now` and carries out the effects (events, to-dos, notifications, follow-ups).
import { failedPrecondition, invalidArgument } from '@helpdesk/platform';
import { isOpenStatus, isTicketStatus, type TicketStatus } from './ticket-status';
import { AUTO_CLOSE_FROM, type WorkflowEffect, type WorkflowEvent } from './workflow-event';
import { closedReplyReopens, DEFAULT_WORKFLOW_SETTINGS, type WorkflowSettings } from './workflow-settings';
import { workflowTimestamps, type WorkflowState } from './workflow-state';

export interface WorkflowResult {
  readonly state: WorkflowState;
  readonly effects: readonly WorkflowEffect[];
}

/**
 * Applies one event. Never mutates `state`; returns the same object when nothing changed.
 * Throws DomainError: FAILED_PRECONDITION for a move the workflow forbids, INVALID_ARGUMENT for a malformed event.
 *
 * `now` earlier than a timestamp already on the ticket (clock skew between replicas) is raised to that timestamp,
 * so that timestamps never go backwards and `firstRespondedAt >= openedAt` always holds.
 */
export function applyWorkflowEvent(
  state: WorkflowState,
  event: WorkflowEvent,
  now: Date,
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): WorkflowResult {
  const at = effectiveNow(state, now);
  if (state.mergedIntoId !== undefined) return onMergedTicket(state, event);
  switch (event.type) {
    case 'agent_set_status':
      return agentSetStatus(state, event.to, event.resolutionDetails, at);
    case 'agent_public_reply':
      return agentPublicReply(state, event.statusWithReply, event.resolutionDetails, at);
    case 'agent_internal_note':
      // Internal notes are never a response (docs/product/tickets.md, docs/product/sla.md): no status, no timestamp.
      return unchanged(state);
    case 'customer_reply':
      return customerReply(state, at, settings);
    case 'customer_confirm':
      if (state.status !== 'resolved') {
        throw failedPrecondition(`only a resolved ticket can be confirmed; this one is ${state.status}`, {
          status: state.status,
        });
      }
      return moveTo(state, 'closed', at);
    case 'reopen':
      if (state.status !== 'closed') {
        throw failedPrecondition(`only a closed ticket can be reopened; this one is ${state.status}`, {
          status: state.status,
        });
      }
      return moveTo(state, 'open', at);
    case 'merged_into':
      return mergeInto(state, event.ticketId, at);
    case 'auto_close':
      if (!(AUTO_CLOSE_FROM as readonly string[]).includes(event.from)) {
        throw invalidArgument(
          `auto-close applies to ${AUTO_CLOSE_FROM.join(' or ')}, not ${String(event.from)}`,
        );
      }
      // The timer was armed for `from`; if the ticket moved on since (customer replied, agent acted), it stays.
      if (state.status !== event.from) {
        throw failedPrecondition(`auto-close for ${event.from} does not apply to a ${state.status} ticket`, {
          status: state.status,
        });
      }
      return moveTo(state, 'closed', at);
    default:
      return unknownEvent(event);
  }
}

function agentSetStatus(
  state: WorkflowState,
  to: TicketStatus,
  resolutionDetails: string | undefined,
  at: Date,
): WorkflowResult {
  requireStatus(to);
  if (state.status === 'closed') {
    if (to === 'closed') return unchanged(state);
    // Closed is final (docs/product/tickets.md) except through the reopen rules: an
    // explicit `reopen`, or the customer reply policy.
    throw failedPrecondition(`a closed ticket cannot move to ${to}; reopen it first`, {
      status: state.status,
      to,
    });
  }
  const withDetails =
    resolutionDetails === undefined || resolutionDetails === state.resolutionDetails
      ? state
      : { ...state, resolutionDetails };
  return moveTo(withDetails, to, at);
}

function agentPublicReply(
  state: WorkflowState,
  statusWithReply: TicketStatus | undefined,
  resolutionDetails: string | undefined,
  at: Date,
): WorkflowResult {
  if (state.status === 'closed') {
    throw failedPrecondition('a closed ticket takes no replies; reopen it first', { status: state.status });
  }
  const to = statusWithReply ?? 'waiting_on_customer';
  requireStatus(to);
  const replied: WorkflowState = {
    ...state,
    firstRespondedAt: state.firstRespondedAt ?? at,
    lastAgentReplyAt: at,
  };
  return agentSetStatus(replied, to, resolutionDetails, at);
}

function customerReply(state: WorkflowState, at: Date, settings: WorkflowSettings): WorkflowResult {
  if (state.status === 'closed') {
    const closedAt = state.closedAt ?? at;
    if (!closedReplyReopens(settings.closedReplyPolicy, closedAt, at)) {
      // The reply goes on the follow-up ticket, so the closed one keeps its last-reply time too.
      return { state, effects: [{ kind: 'create_follow_up', fromTicketId: state.ticketId }] };
    }
    return moveTo({ ...state, lastCustomerReplyAt: at }, 'open', at);
  }
  const replied: WorkflowState = { ...state, lastCustomerReplyAt: at };
  if (state.status === 'waiting_on_customer' || state.status === 'resolved') {
    return moveTo(replied, 'open', at);
  }
  // open, in_progress, waiting_on_third_party: the agents already own the next step.
  return { state: replied, effects: [] };
}

function mergeInto(state: WorkflowState, targetId: string, at: Date): WorkflowResult {
  if (typeof targetId !== 'string' || targetId.length === 0)
    throw invalidArgument('merge target id is required');
  if (targetId === state.ticketId) throw invalidArgument('a ticket cannot be merged into itself');
  if (state.status === 'closed') {
    throw failedPrecondition('a closed ticket cannot be merged; reopen it first', { status: state.status });
  }
  return moveTo({ ...state, mergedIntoId: targetId }, 'closed', at);
}

function onMergedTicket(state: WorkflowState, event: WorkflowEvent): WorkflowResult {
  const mergedIntoId = state.mergedIntoId as string;
  // The conversation continues on the surviving ticket; this one never changes again.
  if (event.type === 'customer_reply')
    return { state, effects: [{ kind: 'redirect_to', ticketId: mergedIntoId }] };
  throw failedPrecondition(`this ticket was merged into ${mergedIntoId}`, {
    status: state.status,
    mergedIntoId,
  });
}

/**
 * The one place a status changes, so that timestamps and effects follow the status the same way for every event:
 * - → resolved: `resolvedAt` = now; customer notified; to-do done.
 * - → closed: `closedAt` = now; `resolvedAt` kept if it was resolved, else = now (closing implies resolution, as in
 *   Zendesk where a closed ticket is always solved); to-do done unless already done at resolve.
 * - → an open status: `resolvedAt` and `closedAt` cleared (reopened, as Zendesk and HaloPSA clear the solved/closed
 *   date on reopen; the next resolution is timed afresh); to-do reopened when coming back from resolved or closed.
 */
function moveTo(state: WorkflowState, to: TicketStatus, at: Date): WorkflowResult {
  const from = state.status;
  if (from === to) return unchanged(state);
  const { resolvedAt, closedAt: _closedAt, ...rest } = state;
  let next: WorkflowState;
  if (to === 'resolved') next = { ...rest, status: to, resolvedAt: at };
  else if (to === 'closed') next = { ...rest, status: to, resolvedAt: resolvedAt ?? at, closedAt: at };
  else next = { ...rest, status: to };

  const effects: WorkflowEffect[] = [{ kind: 'status_changed', from, to }];
  if (to === 'resolved') effects.push({ kind: 'notify_customer_resolved' });
  if (isOpenStatus(from) && !isOpenStatus(to)) effects.push({ kind: 'todo_done' });
  if (!isOpenStatus(from) && isOpenStatus(to)) effects.push({ kind: 'todo_reopen' });
  return { state: next, effects };
}

function unchanged(state: WorkflowState): WorkflowResult {
  return { state, effects: [] };
}

function requireStatus(status: string): asserts status is TicketStatus {
  if (!isTicketStatus(status)) throw invalidArgument(`unknown status ${JSON.stringify(status)}`);
}

function effectiveNow(state: WorkflowState, now: Date): Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw invalidArgument('now must be a valid date');
  const latest = Math.max(...workflowTimestamps(state).map((d) => d.getTime()));
  return new Date(Math.max(latest, now.getTime()));
}

function unknownEvent(event: never): never {
  throw invalidArgument(`unknown workflow event ${JSON.stringify((event as { type?: unknown }).type)}`);
}
