import { isSystemAddress, normalizeAddress } from '@helpdesk/mail';

/** Header lookup by lower-case name: the first value as text, or undefined. */
export type HeaderLookup = (name: string) => string | undefined;

const LIST_HEADERS = [
  'x-loop',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'list-unsubscribe',
  'list-id',
];

/**
 * Why a mail must get no automatic reply (docs/product/email.md), or null when one may go to it. The rate rules (3
 * per sender per hour, one per ticket per day) are the notification service's, which counts what it sent.
 */
export function automaticReason(
  header: HeaderLookup,
  from: string,
  ownAddresses: readonly string[],
): string | null {
  const autoSubmitted = header('auto-submitted');
  if (
    autoSubmitted !== undefined &&
    autoSubmitted
      .trim()
      .toLowerCase()
      .split(/[\s;(]/)[0] !== 'no'
  ) {
    return 'auto_submitted';
  }
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'list', 'junk'].includes(precedence)) return 'precedence';
  const present = LIST_HEADERS.find((name) => header(name) !== undefined);
  if (present) return `header_${present.replace(/-/g, '_')}`;
  if (!from) return 'no_sender';
  if (isSystemAddress(from)) return 'system_sender';
  const sender = normalizeAddress(from);
  if (ownAddresses.some((own) => normalizeAddress(own) === sender)) return 'own_address';
  return null;
}

/** A delivery report (bounce): multipart/report;report-type=delivery-status, `Return-Path: <>` or X-Failed-Recipients. */
export function isBounce(header: HeaderLookup): boolean {
  const contentType = (header('content-type') ?? '').toLowerCase();
  if (/^\s*multipart\/report/.test(contentType) && /report-type\s*=\s*"?delivery-status/.test(contentType))
    return true;
  const returnPath = header('return-path');
  if (returnPath !== undefined && returnPath.replace(/\s/g, '') === '<>') return true;
  return header('x-failed-recipients') !== undefined;
}

export interface DeliveryFailure {
  recipient: string;
  action: string;
  status: string;
  diagnostic: string;
}

/** The per-recipient blocks of a message/delivery-status body (RFC 3464). */
export function parseDeliveryStatus(body: string): DeliveryFailure[] {
  const failures: DeliveryFailure[] = [];
  const unfolded = body.replace(/\r?\n[ \t]+/g, ' ');
  for (const block of unfolded.split(/\r?\n\s*\r?\n/)) {
    const field = (name: string): string => {
      const match = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im').exec(block);
      return match ? match[1]!.trim() : '';
    };
    const finalRecipient = field('final-recipient') || field('original-recipient');
    if (!finalRecipient) continue;
    const recipient = normalizeAddress(
      finalRecipient.includes(';') ? finalRecipient.split(';')[1]! : finalRecipient,
    );
    failures.push({
      recipient,
      action: field('action').toLowerCase(),
      status: field('status'),
      diagnostic: field('diagnostic-code').slice(0, 300),
    });
  }
  return failures;
}

/** Message-IDs named in the header block of a returned message (text/rfc822-headers or message/rfc822). */
export function messageIdsInHeaders(headers: string): string[] {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const ids: string[] = [];
  for (const match of unfolded.matchAll(/^message-id\s*:\s*<?([^<>\s]+)>?/gim)) ids.push(match[1]!);
  return ids;
}
