// What an action does to a ticket, worked out before anyone calls the ticket service: placeholders filled, tag
// lists computed, patches reduced to what changes. Pure.
import type { TicketFacts } from './conditions';
import type { Action } from './rule';

/** `{{ticket.number}}`, `{{ticket.title}}`, `{{requester.name}}` (docs/product/automation.md "Actions"). */
export function fillPlaceholders(text: string, ticket: Pick<TicketFacts, 'number' | 'title' | 'requester'>) {
  return text.replace(/\{\{\s*(ticket\.number|ticket\.title|requester\.name)\s*\}\}/g, (_, key: string) => {
    switch (key) {
      case 'ticket.number':
        return String(ticket.number);
      case 'ticket.title':
        return ticket.title;
      default:
        return ticket.requester.name || ticket.requester.email;
    }
  });
}

/** An action as a dry run shows it: texts with the ticket's placeholders filled in. */
export function renderAction(action: Action, ticket: TicketFacts | null): Action {
  if (!ticket) return action;
  if (action.type === 'send_email')
    return {
      ...action,
      subject: fillPlaceholders(action.subject, ticket),
      bodyText: fillPlaceholders(action.bodyText, ticket),
    };
  if (action.type === 'add_note') return { ...action, bodyText: fillPlaceholders(action.bodyText, ticket) };
  if (action.type === 'notify') return { ...action, message: fillPlaceholders(action.message, ticket) };
  if (action.type === 'create_ticket') return { ...action, title: fillPlaceholders(action.title, ticket) };
  return action;
}

/** A change of a ticket's plain fields; unset fields stay; null clears. */
export interface TicketPatch {
  status?: string;
  priority?: string;
  type?: string | null;
  category?: string | null;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
}

/**
 * The patch an action makes on `ticket`, only what differs (an empty patch: nothing to do). `assign` with a
 * round robin needs the member picked beforehand (`roundRobinUserId`).
 */
export function patchFor(
  action: Action,
  ticket: TicketFacts,
  roundRobinUserId?: string | null,
): TicketPatch | null {
  const patch: TicketPatch = {};
  switch (action.type) {
    case 'assign':
      if (action.userId !== undefined && action.userId !== ticket.assigneeId)
        patch.assigneeId = action.userId;
      if (action.teamId !== undefined && action.teamId !== ticket.teamId) patch.teamId = action.teamId;
      if (action.roundRobinTeamId !== undefined) {
        if (action.roundRobinTeamId !== ticket.teamId) patch.teamId = action.roundRobinTeamId;
        if (roundRobinUserId && roundRobinUserId !== ticket.assigneeId) patch.assigneeId = roundRobinUserId;
      }
      return patch;
    case 'set': {
      const current = ticket[action.field];
      if (current === action.value) return patch;
      if (action.field === 'status' || action.field === 'priority') patch[action.field] = action.value ?? '';
      else patch[action.field] = action.value;
      return patch;
    }
    case 'add_tags': {
      const tags = [...new Set([...ticket.tags, ...action.tags])];
      if (tags.length !== ticket.tags.length) patch.tags = tags;
      return patch;
    }
    case 'remove_tags': {
      const tags = ticket.tags.filter((t) => !action.tags.includes(t));
      if (tags.length !== ticket.tags.length) patch.tags = tags;
      return patch;
    }
    case 'add_note':
    case 'send_email':
    case 'notify':
    case 'webhook':
    case 'create_ticket':
      return null;
  }
}

export function isEmptyPatch(patch: TicketPatch): boolean {
  return Object.keys(patch).length === 0;
}

/** The next member of a round robin: the one after `last` in a stable order of the active members. */
export function nextInRoundRobin(activeMembers: readonly string[], last: string | null): string | null {
  const members = [...new Set(activeMembers)].sort();
  if (members.length === 0) return null;
  if (last === null) return members[0]!;
  const after = members.find((m) => m > last);
  return after ?? members[0]!;
}
