import { ticketNumbersIn, verifyMessageId } from '@helpdesk/mail';
import { senderMayUseToken, threadingCandidates, type ThreadingRule } from '../domain/threading';
import type { TicketPort, TicketRef } from './ports';

export type TicketDecision =
  | {
      kind: 'append';
      ticket: TicketRef;
      rule: Extract<ThreadingRule, 'signed_message_id' | 'in_reply_to' | 'references' | 'subject_token'>;
    }
  | {
      kind: 'new';
      rule: Extract<ThreadingRule, 'new_ticket' | 'subject_token_untrusted'>;
      named: TicketRef | null;
    };

export interface ThreadingInput {
  tenantId: string;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: string;
}

/**
 * The threading rules of docs/product/email.md, in order: our signed Message-IDs among In-Reply-To/References
 * (newest first); a message of a ticket named there; the subject token when the sender is the requester, a cc or a
 * contact of the ticket's client; else a new ticket (linked to the named one when a stranger used a token).
 * Duplicates were dropped before this, at storage.
 */
export async function decideTicket(
  input: ThreadingInput,
  tickets: TicketPort,
  messageIdSecrets: readonly string[],
): Promise<TicketDecision> {
  const candidates = threadingCandidates(input.inReplyTo, input.references);
  for (const id of candidates) {
    const ticketId = verifyMessageId(id, input.tenantId, messageIdSecrets);
    if (!ticketId) continue;
    const ticket = await tickets.getById(input.tenantId, ticketId);
    if (ticket) return { kind: 'append', ticket, rule: 'signed_message_id' };
  }
  if (candidates.length > 0) {
    const found = await tickets.findByEmailMessageIds(input.tenantId, candidates);
    if (found) {
      const inReplyTo = input.inReplyTo?.trim().replace(/^<|>$/g, '');
      return {
        kind: 'append',
        ticket: found.ticket,
        rule: found.matched === inReplyTo ? 'in_reply_to' : 'references',
      };
    }
  }
  let named: TicketRef | null = null;
  let senderClientId: string | null | undefined;
  for (const number of ticketNumbersIn(input.subject)) {
    const ticket = await tickets.getByNumber(input.tenantId, number);
    if (!ticket) continue;
    if (senderClientId === undefined && ticket.clientId !== '') {
      senderClientId = input.from ? await tickets.clientOfContact(input.tenantId, input.from) : null;
    }
    if (senderMayUseToken(input.from, ticket, senderClientId ?? null)) {
      return { kind: 'append', ticket, rule: 'subject_token' };
    }
    named ??= ticket;
  }
  return named
    ? { kind: 'new', rule: 'subject_token_untrusted', named }
    : { kind: 'new', rule: 'new_ticket', named: null };
}
