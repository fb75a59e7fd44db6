// The one way a changed ticket is stored: version and time, history, to-dos and events, in the caller's transaction.
import { notFound, staleWrite } from '@helpdesk/platform';
import type { Actor, Ticket } from '../domain/ticket';
import { diffTicket, touched, type FieldChange } from '../domain/ticket-update';
import { isOpenStatus, type WorkflowEffect } from '../domain/workflow';
import type { IdGenerator, TransactionContext } from './ports';

export interface ChangeScope {
  tx: TransactionContext;
  actor: Actor;
  now: Date;
  ids: IdGenerator;
  /** Why it changed, kept in history: `update`, `message`, `merge`, `confirm`, `rating`, ... */
  cause: string;
}

export interface CommittedChange {
  ticket: Ticket;
  changes: FieldChange[];
}

/**
 * Stores `after` as the next version of `before` (read with a lock in the same transaction): history of the tracked
 * fields, the assignee's to-dos (docs/product/tickets.md "Assignment"), and `updated` / `status_changed` /
 * `assigned` events. Answers `before` untouched when nothing differs.
 */
export async function commitTicketChange(
  scope: ChangeScope,
  before: Ticket,
  after: Ticket,
  effects: readonly WorkflowEffect[],
): Promise<CommittedChange> {
  const changes = diffTicket(before, after);
  if (changes.length === 0 && !differs(before, after)) return { ticket: before, changes };
  const { tx, actor, now } = scope;
  const stored = touched(after, now);
  if (!(await tx.tickets.update(stored, before.version))) {
    throw staleWrite('the ticket');
  }
  if (changes.length > 0) {
    await tx.history.append({
      id: scope.ids.newId(),
      tenantId: stored.tenantId,
      ticketId: stored.id,
      actor,
      cause: scope.cause,
      changes,
      at: now,
    });
  }
  // the title is the heaviest part of the full-text document; rebuild it when it changes
  if (changes.some((c) => c.field === 'title')) await tx.tickets.rebuildSearch(stored.tenantId, stored.id);
  await updateTodos(scope, before, stored, effects);

  const base = { tenantId: stored.tenantId, ticket: stored, actor };
  if (changes.length > 0) await tx.outbox.enqueue({ type: 'helpdesk.ticket.updated', ...base, changes });
  if (before.status !== stored.status) {
    await tx.outbox.enqueue({
      type: 'helpdesk.ticket.status_changed',
      ...base,
      from: before.status,
      to: stored.status,
    });
  }
  if (before.assigneeId !== stored.assigneeId || before.teamId !== stored.teamId) {
    await tx.outbox.enqueue({
      type: 'helpdesk.ticket.assigned',
      ...base,
      previousAssigneeId: before.assigneeId,
      previousTeamId: before.teamId,
    });
  }
  return { ticket: stored, changes };
}

// Untracked fields (last reply times) change a ticket too: it still needs a new version.
function differs(a: Ticket, b: Ticket): boolean {
  return (
    a.lastCustomerReplyAt?.getTime() !== b.lastCustomerReplyAt?.getTime() ||
    a.lastAgentReplyAt?.getTime() !== b.lastAgentReplyAt?.getTime() ||
    a.descriptionHtml !== b.descriptionHtml
  );
}

/**
 * A to-do is open for the assignee while the ticket is unresolved: reassigning finishes the old assignee's and
 * opens the new one's; resolving or closing finishes it; reopening opens it again.
 */
async function updateTodos(
  scope: ChangeScope,
  before: Ticket,
  after: Ticket,
  effects: readonly WorkflowEffect[],
): Promise<void> {
  const { tx, now, ids } = scope;
  const kinds = new Set(effects.map((e) => e.kind));
  if (before.assigneeId !== after.assigneeId && before.assigneeId) {
    await tx.todos.done(after.tenantId, after.id, now, before.assigneeId);
  }
  if (kinds.has('todo_done') || !isOpenStatus(after.status)) {
    await tx.todos.done(after.tenantId, after.id, now);
    return;
  }
  if (after.assigneeId && (before.assigneeId !== after.assigneeId || kinds.has('todo_reopen'))) {
    await tx.todos.open(after.tenantId, after.id, after.assigneeId, ids.newId(), now);
  }
}

/** Locks a ticket of the tenant for a change, or NOT_FOUND. */
export async function lockTicket(tx: TransactionContext, tenantId: string, id: string): Promise<Ticket> {
  const ticket = await tx.tickets.lock(tenantId, id);
  if (!ticket) throw notFound('ticket');
  return ticket;
}
