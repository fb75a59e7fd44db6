// Writes one message into a ticket's thread inside a transaction: sanitized body, mentions, attachments, full text.
// Shared by CreateTicket (the first message) and AddMessage.
import { invalidArgument } from '@helpdesk/platform';
import {
  bareMessageId,
  BODY_MAX_LENGTH,
  mentionedHandles,
  type EmailHeaders,
  type MessageKind,
  type TicketMessage,
} from '../domain/message';
import type { Actor, Ticket } from '../domain/ticket';
import type { HtmlSanitizer, IdGenerator, TransactionContext } from './ports';

export const ATTACHMENTS_PER_MESSAGE_MAX = 100;

/** A message as callers give it. */
export interface NewMessageInput {
  kind: MessageKind;
  /** HTML (sanitized here); empty when only text is given. */
  bodyHtml?: string;
  /** Plain text; derived from the HTML when empty. */
  bodyText?: string;
  attachmentIds?: string[];
  email?: Partial<EmailHeaders> | null;
  threadingRule?: string | null;
}

export interface PreparedBody {
  html: string;
  text: string;
}

/** Sanitizes a body before any transaction starts (cheap to refuse, and no lock held while parsing HTML). */
export function prepareBody(sanitizer: HtmlSanitizer, input: NewMessageInput): PreparedBody {
  const html = input.bodyHtml ?? '';
  const text = input.bodyText ?? '';
  if (html.length > BODY_MAX_LENGTH || text.length > BODY_MAX_LENGTH) {
    throw invalidArgument(`body must be at most ${BODY_MAX_LENGTH} characters`, [
      { path: ['bodyHtml'], message: 'too long' },
    ]);
  }
  if (html.trim() !== '') {
    const clean = sanitizer.sanitize(html);
    return { html: clean.html, text: text.trim() !== '' ? text.replace(/\r\n?/g, '\n').trim() : clean.text };
  }
  return sanitizer.sanitize(text);
}

/** Refuses a message with neither words nor files: there would be nothing to show. */
export function requireContent(body: PreparedBody, input: NewMessageInput): void {
  if (body.text === '' && body.html === '' && (input.attachmentIds ?? []).length === 0) {
    throw invalidArgument('a message needs a body or an attachment', [
      { path: ['bodyText'], message: 'empty' },
    ]);
  }
}

export interface WriteMessageArgs {
  tx: TransactionContext;
  ids: IdGenerator;
  ticket: Ticket;
  actor: Actor;
  /** Who wrote it, when not the actor: mail intake (the platform) adds the customer's own words. */
  author?: Actor;
  input: NewMessageInput;
  body: PreparedBody;
  now: Date;
  dedupeKey?: string;
}

export async function writeMessage(args: WriteMessageArgs): Promise<TicketMessage> {
  const { tx, ticket, actor, input, body, now } = args;
  const attachmentIds = [...new Set((input.attachmentIds ?? []).map((id) => id.toLowerCase()))];
  if (attachmentIds.length > ATTACHMENTS_PER_MESSAGE_MAX) {
    throw invalidArgument(`at most ${ATTACHMENTS_PER_MESSAGE_MAX} attachments per message`);
  }
  // Only agents mention colleagues; a customer's "@anna" in an e-mail notifies no one.
  const agentWritten =
    (actor.type === 'user' || actor.type === 'api_key') &&
    (input.kind === 'public_reply' || input.kind === 'internal_note');
  const mentions = agentWritten ? await tx.usersByHandle(ticket.tenantId, mentionedHandles(body.text)) : [];

  const message: TicketMessage = {
    id: args.ids.newId(),
    tenantId: ticket.tenantId,
    ticketId: ticket.id,
    kind: input.kind,
    author: args.author ?? actor,
    bodyHtml: body.html,
    bodyText: body.text,
    attachments: [],
    mentions,
    email: input.email ? emailHeaders(input.email) : null,
    threadingRule: input.threadingRule?.trim() || null,
    createdAt: now,
  };
  await tx.messages.insert(message, args.dedupeKey);
  if (attachmentIds.length > 0) {
    // a contact can only send files it uploaded itself; agents send any file uploaded in their tenant
    const bound = await tx.attachments.bind(
      ticket.tenantId,
      attachmentIds,
      ticket.id,
      message.id,
      actor.type === 'contact' ? actor : undefined,
    );
    if (bound.length !== attachmentIds.length) {
      const found = new Set(bound.map((a) => a.id));
      throw invalidArgument('some attachments do not exist, belong to another ticket or were already sent', {
        missingAttachmentIds: attachmentIds.filter((id) => !found.has(id)),
      });
    }
    message.attachments = bound;
  }
  const searchable = [body.text, ...message.attachments.map((a) => a.filename)].join(' ').trim();
  if (searchable !== '') await tx.tickets.appendSearchText(ticket.tenantId, ticket.id, searchable);
  return message;
}

const HEADER_MAX = 998;

function emailHeaders(raw: Partial<EmailHeaders>): EmailHeaders {
  const one = (v: string | null | undefined) => {
    const s = (v ?? '').trim();
    return s === '' ? null : s.slice(0, HEADER_MAX);
  };
  const list = (v: string[] | undefined, max = 200) =>
    (v ?? [])
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .slice(0, max)
      .map((s) => s.slice(0, HEADER_MAX));
  return {
    messageId: bareMessageId(raw.messageId)?.slice(0, HEADER_MAX) ?? null,
    inReplyTo: bareMessageId(raw.inReplyTo)?.slice(0, HEADER_MAX) ?? null,
    references: list(raw.references)
      .map((r) => bareMessageId(r)!)
      .filter(Boolean),
    from: one(raw.from),
    to: list(raw.to),
    cc: list(raw.cc),
    subject: raw.subject?.trim() ? raw.subject.trim() : null,
    mailboxId: one(raw.mailboxId),
    rawRef: one(raw.rawRef),
  };
}

/** The bare address of a From header (`Jane <jane@x.example>` → `jane@x.example`), lower-cased; null if none. */
export function fromAddress(from: string | null | undefined): string | null {
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(from ?? '') ?? /([^\s<>"]+@[^\s<>"]+)/.exec(from ?? '');
  return match ? match[1]!.toLowerCase() : null;
}
