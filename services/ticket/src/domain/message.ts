// Messages of a ticket's thread (docs/product/tickets.md "Thread") and who may write which. Pure: no I/O.
import type { Actor } from './ticket';
import type { TicketStatus } from './workflow';
import type { WorkflowEvent } from './workflow';
import { MESSAGE_KINDS } from '@helpdesk/contracts';

export { MESSAGE_KINDS };

export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const BODY_MAX_LENGTH = 500_000;

export interface EmailHeaders {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  mailboxId: string | null;
  rawRef: string | null;
}

export interface Attachment {
  id: string;
  tenantId: string;
  ticketId: string | null;
  messageId: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  inline: boolean;
  storageKey: string;
  uploadedBy: Actor;
  createdAt: Date;
}

export interface TicketMessage {
  id: string;
  tenantId: string;
  ticketId: string;
  kind: MessageKind;
  author: Actor;
  bodyHtml: string;
  bodyText: string;
  attachments: Attachment[];
  mentions: string[];
  email: EmailHeaders | null;
  threadingRule: string | null;
  createdAt: Date;
}

export function isMessageKind(value: string): value is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(value);
}

/** Whether the customer may see a message (portal, e-mail notifications): everything but internal notes. */
export function isCustomerVisible(kind: MessageKind): boolean {
  return kind !== 'internal_note';
}

/**
 * The kinds each kind of author may write: contacts reply through the portal; agents and API keys reply or note;
 * the platform (mail intake, outbound mail, automation) writes everything.
 */
export function mayWrite(actor: Actor['type'], kind: MessageKind): boolean {
  switch (actor) {
    case 'contact':
      return kind === 'public_reply';
    case 'user':
    case 'api_key':
      return kind === 'public_reply' || kind === 'internal_note';
    case 'system':
      return true;
    case 'automation':
      // a rule's notes, and its e-mails to the requester as public replies (docs/product/automation.md)
      return kind === 'public_reply' || kind === 'internal_note';
  }
}

/**
 * The workflow event a message is (docs/product/tickets.md "Status workflow"): an agent's public reply, a
 * customer's reply (portal or e-mail), an internal note, or nothing (mail we sent, system notes).
 */
export function workflowEventFor(
  kind: MessageKind,
  author: Actor['type'],
  statusWithReply?: TicketStatus,
  resolutionDetails?: string,
): WorkflowEvent | null {
  switch (kind) {
    case 'email_in':
      return { type: 'customer_reply' };
    case 'public_reply':
      if (author === 'contact') return { type: 'customer_reply' };
      // a rule's e-mail to the requester is no agent's response: no first response, no status change
      if (author === 'automation') return null;
      return {
        type: 'agent_public_reply',
        ...(statusWithReply ? { statusWithReply } : {}),
        ...(resolutionDetails ? { resolutionDetails } : {}),
      };
    case 'internal_note':
      return { type: 'agent_internal_note' };
    case 'email_out':
    case 'system':
      return null;
  }
}

// `@handle` at the start or after whitespace/punctuation, never inside an e-mail address (`a@b.com`).
const MENTION_RE = /(^|[^\p{L}\p{N}._@-])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)/giu;
export const MENTIONS_MAX = 50;

/** The distinct handles mentioned in a text, lower-cased, in order of first mention. */
export function mentionedHandles(text: string): string[] {
  const handles = new Set<string>();
  for (const match of text.matchAll(MENTION_RE)) {
    handles.add(match[2]!.toLowerCase());
    if (handles.size >= MENTIONS_MAX) break;
  }
  return [...handles];
}

/** `<abc@x>` or ` abc@x ` → `abc@x`; empty → null. Message-IDs are compared without brackets. */
export function bareMessageId(raw: string | null | undefined): string | null {
  const id = (raw ?? '').trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return id === '' ? null : id;
}
