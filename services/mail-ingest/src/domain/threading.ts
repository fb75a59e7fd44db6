import { normalizeAddress } from '@helpdesk/mail';

/** How a mail found its ticket; recorded as the message's `threadingRule`. */
export type ThreadingRule =
  | 'signed_message_id'
  | 'in_reply_to'
  | 'references'
  | 'subject_token'
  | 'new_ticket'
  | 'subject_token_untrusted';

/**
 * The ids a reply names, in the order docs/product/email.md tries them: In-Reply-To,
 * then References newest first, once each.
 */
export function threadingCandidates(inReplyTo: string | null, references: readonly string[]): string[] {
  const ordered = [inReplyTo, ...[...references].reverse()]
    .filter((id): id is string => typeof id === 'string')
    .map((id) => id.trim().replace(/^<|>$/g, ''))
    .filter((id) => id.length > 0 && id.length <= 998);
  return [...new Set(ordered)];
}

/** What a subject token's sender check needs of the named ticket. */
export interface TokenTicket {
  requesterEmail: string;
  cc: readonly string[];
  clientId: string;
}

/**
 * A subject token attaches only for the requester, a cc, or a contact of the
 * ticket's client (docs/product/email.md).
 */
export function senderMayUseToken(
  sender: string,
  ticket: TokenTicket,
  senderClientId: string | null,
): boolean {
  const address = normalizeAddress(sender);
  if (!address) return false;
  if (normalizeAddress(ticket.requesterEmail) === address) return true;
  if (ticket.cc.some((cc) => normalizeAddress(cc) === address)) return true;
  return ticket.clientId !== '' && senderClientId !== null && senderClientId === ticket.clientId;
}
