import { createHash } from 'node:crypto';

export const INBOUND_STATUSES = ['received', 'processing', 'retrying', 'done', 'quarantined'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

export type InboundOutcome =
  | 'created'
  | 'appended'
  | 'follow_up'
  | 'redirected'
  | 'bounce'
  | 'bounce_unmatched'
  // the tenant had taken the mail through another mailbox: recorded for this one, joined nothing
  | 'duplicate';

/** An inbound mail's record (its raw source is stored beside it). */
export interface InboundMail {
  id: string;
  tenantId: string;
  mailboxId: string;
  source: 'imap' | 'push';
  dedupeKey: string;
  imapUidValidity: number | null;
  imapUid: number | null;
  size: number;
  sha256: string;
  messageId: string | null;
  subject: string;
  from: string;
  status: InboundStatus;
  attempts: number;
  lastError: string | null;
  outcome: InboundOutcome | null;
  threadingRule: string | null;
  ticketId: string | null;
  ticketMessageId: string | null;
  notes: string[];
  receivedAt: Date;
  processedAt: Date | null;
  /** For a copy the tenant took first through another mailbox: that first mail (whose ticket `ticketId` names). */
  duplicateOfId: string | null;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The dedupe key (docs/product/email.md "Threading"): the Message-ID, or the hash of the whole source when there is
 * none. A mailbox takes a key once; the tenant makes something of it once: a copy through a second mailbox (sent to
 * support@ and billing@, one account configured twice) is recorded there as a
 * duplicate of the first and joins nothing.
 */
export function dedupeKeyFor(messageId: string | null, rawSha256: string): string {
  const id = messageId?.trim().replace(/^<|>$/g, '');
  return id ? `mid:${id.slice(0, 990)}` : `sha256:${rawSha256}`;
}

/** The ticket service's dedupe key for a mail's change (short and stable across retries and replicas). */
export function ticketDedupeKey(mailboxId: string, dedupeKey: string, purpose = 'message'): string {
  return `mail:${mailboxId}:${sha256Hex(dedupeKey).slice(0, 40)}:${purpose}`;
}

/** The note on a copy the tenant already took through another mailbox. */
export function duplicateNote(firstId: string): string {
  return `The tenant already took this mail through another mailbox (inbound mail ${firstId}); this copy adds nothing.`;
}
