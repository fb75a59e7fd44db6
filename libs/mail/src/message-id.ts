import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Our Message-IDs: `<hd.<ticket hex>.<nonce>.<signature>@<domain>>`. The signature is an HMAC-SHA256 over tenant,
// ticket and nonce, so a reply can be matched to its ticket without trusting anything the sender wrote, and an id
// minted for one tenant never verifies for another.
const PREFIX = 'hd';
const SIGNATURE_BYTES = 12;
const UUID_HEX = /^[0-9a-f]{32}$/;

export interface SignedMessageIdInput {
  secret: string;
  tenantId: string;
  ticketId: string;
  /** The domain part, e.g. the mailbox address's domain. */
  domain: string;
  /** Fixed nonce (tests, or a retry that must reuse its id); random when absent. */
  nonce?: string;
}

function compact(uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase();
}

function expand(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sign(secret: string, tenantId: string, ticketHex: string, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`${compact(tenantId)}.${ticketHex}.${nonce}`)
    .digest()
    .subarray(0, SIGNATURE_BYTES)
    .toString('base64url');
}

/** A fresh nonce for {@link signMessageId}. */
export function newNonce(): string {
  return randomBytes(9).toString('base64url');
}

/** Our Message-ID for a mail about a ticket, without angle brackets. */
export function signMessageId(input: SignedMessageIdInput): string {
  const ticketHex = compact(input.ticketId);
  if (!UUID_HEX.test(ticketHex)) throw new Error('ticketId must be a uuid');
  const nonce = input.nonce ?? newNonce();
  if (!/^[A-Za-z0-9_-]{4,32}$/.test(nonce)) throw new Error('nonce must be 4 to 32 base64url characters');
  const domain = input.domain.toLowerCase().replace(/[^a-z0-9.-]/g, '') || 'helpdesk.invalid';
  return `${PREFIX}.${ticketHex}.${nonce}.${sign(input.secret, input.tenantId, ticketHex, nonce)}@${domain}`;
}

/**
 * The ticket id a Message-ID of ours names, if its signature verifies for this tenant under one of `secrets`
 * (several during a secret rotation); null for anything else. Angle brackets are ignored.
 */
export function verifyMessageId(
  messageId: string,
  tenantId: string,
  secrets: readonly string[],
): string | null {
  const id = messageId.trim().replace(/^<|>$/g, '');
  const at = id.lastIndexOf('@');
  if (at < 0) return null;
  const parts = id.slice(0, at).split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const [, ticketHex, nonce, signature] = parts as [string, string, string, string];
  if (!UUID_HEX.test(ticketHex)) return null;
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== SIGNATURE_BYTES) return null;
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, tenantId, ticketHex, nonce), 'base64url');
    if (timingSafeEqual(expected, given)) return expand(ticketHex);
  }
  return null;
}
