// The rate rules for automatic mail (docs/product/email.md): at most 3 automatic replies to a sender per hour, and
// one per ticket per day. (The header and address rules are decided where the mail came in, by mail-ingest.)

export const AUTO_REPLIES_PER_HOUR = 3;
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export interface AutoReplyHistory {
  /** Automatic replies to this recipient in the past hour. */
  toRecipientLastHour: number;
  /** Whether this ticket had an automatic reply in the past 24 hours. */
  ticketRepliedToday: boolean;
}

/** Why an automatic reply must not go out, or null when it may. */
export function autoReplyBlocked(
  history: AutoReplyHistory,
  maxPerHour = AUTO_REPLIES_PER_HOUR,
): string | null {
  if (history.toRecipientLastHour >= maxPerHour) return 'rate_limit_sender';
  if (history.ticketRepliedToday) return 'rate_limit_ticket';
  return null;
}
