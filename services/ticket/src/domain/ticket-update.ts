// Changing a ticket: agent patches, workflow events on a whole ticket, and the field-by-field record of what
// changed (history and `helpdesk.ticket.updated`). Pure: the caller passes `now` and the tenant's settings.
import { pickFromList, type TicketSettings } from './settings';
import {
  checkResolutionDetails,
  normalizeCc,
  normalizeLinks,
  normalizeTags,
  normalizeTitle,
  type Ticket,
  type TicketLinks,
  type TicketPriority,
  type TicketStatus,
} from './ticket';
import {
  applyWorkflowEvent,
  type WorkflowEffect,
  type WorkflowEvent,
  type WorkflowSettings,
  type WorkflowState,
} from './workflow';

/** One changed field: values as JSON (dates as ISO strings, none as null). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * What an agent (or an API key, or an automation acting like one) may change
 * directly (docs/product/tickets.md, PATCH).
 */
export interface TicketPatch {
  title?: string;
  status?: TicketStatus;
  /** Leaves `closed` (status alone cannot: closed is final except through reopen). */
  reopen?: boolean;
  priority?: TicketPriority;
  assigneeId?: string | null;
  teamId?: string | null;
  type?: string | null;
  category?: string | null;
  tags?: readonly string[];
  links?: Partial<TicketLinks>;
  resolutionDetails?: string;
  cc?: readonly string[];
  clientId?: string | null;
  /** The new requester, a contact the caller has checked fits the ticket's client (contactFitsClient). */
  contact?: PatchContact;
}

/** A contact of the directory as a patch names it: the ticket's requester becomes this person. */
export interface PatchContact {
  id: string;
  email: string;
  name: string;
}

/**
 * Whether a contact may be a ticket's requester: it belongs to the ticket's client, or to no client at all (a
 * gmail address at the client the agent picked). A contact of another client may not.
 */
export function contactFitsClient(contactClientId: string | null, ticketClientId: string | null): boolean {
  return contactClientId === null || contactClientId === ticketClientId;
}

export interface TicketTransition {
  ticket: Ticket;
  effects: readonly WorkflowEffect[];
}

export function workflowStateOf(ticket: Ticket): WorkflowState {
  const optional = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    ticketId: ticket.id,
    status: ticket.status,
    openedAt: ticket.openedAt,
    ...optional('firstRespondedAt', ticket.firstRespondedAt),
    ...optional('resolvedAt', ticket.resolvedAt),
    ...optional('closedAt', ticket.closedAt),
    ...optional('resolutionDetails', ticket.resolutionDetails),
    ...optional('lastCustomerReplyAt', ticket.lastCustomerReplyAt),
    ...optional('lastAgentReplyAt', ticket.lastAgentReplyAt),
    ...optional('mergedIntoId', ticket.mergedIntoId),
  };
}

function withWorkflowState(ticket: Ticket, state: WorkflowState): Ticket {
  return {
    ...ticket,
    status: state.status,
    firstRespondedAt: state.firstRespondedAt ?? null,
    resolvedAt: state.resolvedAt ?? null,
    closedAt: state.closedAt ?? null,
    resolutionDetails: state.resolutionDetails ?? null,
    lastCustomerReplyAt: state.lastCustomerReplyAt ?? null,
    lastAgentReplyAt: state.lastAgentReplyAt ?? null,
    mergedIntoId: state.mergedIntoId ?? null,
  };
}

/**
 * Applies one workflow event (docs/product/tickets.md "Status workflow") to a whole ticket;
 * the state and effects are the workflow's.
 */
export function applyToTicket(
  ticket: Ticket,
  event: WorkflowEvent,
  now: Date,
  settings: WorkflowSettings,
): TicketTransition {
  const result = applyWorkflowEvent(workflowStateOf(ticket), event, now, settings);
  return { ticket: withWorkflowState(ticket, result.state), effects: result.effects };
}

/**
 * Applies an agent's patch: `reopen` first (so a closed ticket can be reopened and moved in one request), then the
 * status through the workflow (timestamps, effects), then the plain fields. Throws TicketRuleError for a bad value
 * and DomainError (FAILED_PRECONDITION) for a move the workflow forbids.
 */
export function applyTicketPatch(
  ticket: Ticket,
  patch: TicketPatch,
  now: Date,
  settings: TicketSettings,
): TicketTransition {
  let next = ticket;
  const effects: WorkflowEffect[] = [];
  const step = (event: WorkflowEvent) => {
    const result = applyToTicket(next, event, now, settings);
    next = result.ticket;
    effects.push(...result.effects);
  };
  const details =
    patch.resolutionDetails === undefined ? undefined : checkResolutionDetails(patch.resolutionDetails);

  if (patch.reopen) step({ type: 'reopen' });
  if (patch.status !== undefined) {
    step(
      details === undefined || details === null
        ? { type: 'agent_set_status', to: patch.status }
        : { type: 'agent_set_status', to: patch.status, resolutionDetails: details },
    );
  }
  if (details !== undefined && next.resolutionDetails !== details)
    next = { ...next, resolutionDetails: details };

  if (patch.title !== undefined) next = { ...next, title: normalizeTitle(patch.title) };
  if (patch.priority !== undefined) next = { ...next, priority: patch.priority };
  if (patch.assigneeId !== undefined) next = { ...next, assigneeId: patch.assigneeId };
  if (patch.teamId !== undefined) next = { ...next, teamId: patch.teamId };
  if (patch.clientId !== undefined) next = { ...next, clientId: patch.clientId };
  if (patch.contact !== undefined) {
    // replies go to the new requester; raisedBy keeps who raised the ticket
    const requester = { email: patch.contact.email, name: patch.contact.name };
    next = { ...next, contactId: patch.contact.id, requester, cc: normalizeCc(next.cc, requester.email) };
  }
  if (patch.type !== undefined) next = { ...next, type: pickFromList(settings.types, patch.type, 'type') };
  if (patch.category !== undefined) {
    next = { ...next, category: pickFromList(settings.categories, patch.category, 'category') };
  }
  if (patch.tags !== undefined) next = { ...next, tags: normalizeTags(patch.tags) };
  if (patch.links !== undefined) next = { ...next, links: normalizeLinks({ ...next.links, ...patch.links }) };
  if (patch.cc !== undefined) next = { ...next, cc: normalizeCc(patch.cc, next.requester.email) };
  return { ticket: next, effects: dedupeEffects(effects) };
}

// reopen then resolve in one patch would report the to-do twice; each effect once is what the caller needs
function dedupeEffects(effects: WorkflowEffect[]): WorkflowEffect[] {
  const seen = new Set<string>();
  const statusChanges = effects.filter((e) => e.kind === 'status_changed');
  const merged: WorkflowEffect[] = [];
  if (statusChanges.length > 0) {
    const first = statusChanges[0]!;
    const last = statusChanges[statusChanges.length - 1]!;
    if (first.from !== last.to) merged.push({ kind: 'status_changed', from: first.from, to: last.to });
  }
  for (const effect of effects) {
    if (effect.kind === 'status_changed') continue;
    const key = JSON.stringify(effect);
    if (!seen.has(key)) {
      seen.add(key);
      merged.push(effect);
    }
  }
  // a to-do reopened and then done again in the same change nets out
  const kinds = merged.map((e) => e.kind);
  if (kinds.includes('todo_done') && kinds.includes('todo_reopen')) {
    return merged.filter((e) => e.kind !== 'todo_done' && e.kind !== 'todo_reopen');
  }
  return merged;
}

/** The fields whose every change is kept in history; derived bookkeeping (versions, read models) is not. */
export const TRACKED_FIELDS = [
  'title',
  'status',
  'priority',
  'type',
  'category',
  'clientId',
  'contactId',
  'assigneeId',
  'teamId',
  'tags',
  'cc',
  'links',
  'resolutionDetails',
  'firstRespondedAt',
  'resolvedAt',
  'closedAt',
  'mergedIntoId',
  'rating',
] as const satisfies ReadonlyArray<keyof Ticket>;

function json(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(json);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, json(v)]));
  }
  return value;
}

/** The tracked fields that differ between two versions of a ticket, in TRACKED_FIELDS order. */
export function diffTicket(before: Ticket, after: Ticket): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of TRACKED_FIELDS) {
    const from = json(before[field]);
    const to = json(after[field]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

/** The next version of a changed ticket: version + 1, updatedAt = now (never earlier than before). */
export function touched(ticket: Ticket, now: Date): Ticket {
  const updatedAt = now.getTime() < ticket.updatedAt.getTime() ? ticket.updatedAt : now;
  return { ...ticket, version: ticket.version + 1, updatedAt };
}
