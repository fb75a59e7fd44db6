import { normalizeAddress } from '@helpdesk/mail';
import {
  autoReply,
  oversizeNotice,
  publicReplySubject,
  ruleMailSubject,
  trimReferences,
} from '../domain/compose';
import { autoReplyBlocked, DAY_MS, HOUR_MS } from '../domain/loop-rules';
import type { Clock, IdGenerator, OutboundAttachment, OutboundMail, PlanStore } from './ports';

/** `helpdesk.mail.received` as planning needs it. */
export interface MailReceived {
  eventId: string;
  tenantId: string;
  inboundId: string;
  mailboxId: string;
  ticketId: string;
  ticketNumber: number;
  ticketTitle: string;
  outcome: string;
  from: string;
  subject: string;
  messageId: string;
  references: string[];
  automaticReason: string;
  oversize: Array<{ filename: string; size: number }>;
  traceparent: string | null;
}

/**
 * An agent's public reply (`helpdesk.ticket.message_added`, kind public_reply) as planning needs it; also a rule's
 * `send_email`, a public reply by the automation actor with `rule` set.
 */
export interface PublicReply {
  eventId: string;
  tenantId: string;
  ticketId: string;
  ticketNumber: number;
  ticketTitle: string;
  messageId: string;
  requester: string;
  cc: string[];
  bodyText: string;
  bodyHtml: string;
  /** The files of the reply, sent along. */
  attachments: OutboundAttachment[];
  traceparent: string | null;
  /** A rule's e-mail: to the requester only, with the rule's subject, marked automatic (Auto-Submitted). */
  rule?: { subject: string };
}

export interface PlanResult {
  queued: boolean;
  reason: string | null;
}

/**
 * Turns events into outgoing mail rows, inside the event's inbox transaction: a redelivered event finds its rows
 * (dedupe keys derive from the ticket, message or inbound mail) and plans nothing twice. The loop rules are
 * counted here, under a per-recipient lock, so concurrent events cannot both take the third reply of an hour.
 */
export class PlanMailUseCase {
  constructor(private readonly deps: { clock: Clock; ids: IdGenerator; maxAutoRepliesPerHour: number }) {}

  async mailReceived(store: PlanStore, event: MailReceived): Promise<PlanResult> {
    const now = this.deps.clock.now();
    await store.recordThread({
      tenantId: event.tenantId,
      ticketId: event.ticketId,
      mailboxId: event.mailboxId,
      messageId: event.messageId || null,
      at: now,
    });
    const newTicket = event.outcome === 'created' || event.outcome === 'follow_up';
    if (!newTicket && event.oversize.length === 0) return { queued: false, reason: null };
    const recipient = normalizeAddress(event.from);
    const composed = (newTicket ? autoReply : oversizeNotice)({
      ticketNumber: event.ticketNumber,
      subject: event.subject,
      ticketTitle: event.ticketTitle,
      oversize: event.oversize,
    });
    const base = {
      tenantId: event.tenantId,
      kind: newTicket ? ('auto_reply' as const) : ('oversize_notice' as const),
      dedupeKey: newTicket ? `auto_reply:${event.ticketId}` : `oversize_notice:${event.inboundId}`,
      ticketId: event.ticketId,
      mailboxId: event.mailboxId,
      to: recipient ? [recipient] : [],
      subject: composed.subject,
      bodyText: composed.text,
      inReplyTo: event.messageId || null,
      references: trimReferences([...event.references, event.messageId]),
      traceparent: event.traceparent,
    };
    let reason: string | null = event.automaticReason || (recipient ? null : 'no_sender');
    if (!reason) {
      await store.lockRecipient(event.tenantId, recipient);
      reason = autoReplyBlocked(
        {
          toRecipientLastHour: await store.autoRepliesTo(
            event.tenantId,
            recipient,
            new Date(now.getTime() - HOUR_MS),
          ),
          ticketRepliedToday: await store.ticketAutoRepliedSince(
            event.tenantId,
            event.ticketId,
            new Date(now.getTime() - DAY_MS),
          ),
        },
        this.deps.maxAutoRepliesPerHour,
      );
    }
    const inserted = await store.insertOutbound(this.mail(base, reason, true), now);
    if (inserted && !reason) {
      await store.logAutoReply({
        id: this.deps.ids.newId(),
        tenantId: event.tenantId,
        recipient,
        ticketId: event.ticketId,
        at: now,
      });
    }
    return { queued: inserted && !reason, reason };
  }

  /** Remembers an e-mail message of a ticket's thread, so that replies name it in In-Reply-To and References. */
  async threadMessage(
    store: PlanStore,
    entry: { tenantId: string; ticketId: string; mailboxId: string | null; messageId: string | null },
  ): Promise<void> {
    await store.recordThread({ ...entry, at: this.deps.clock.now() });
  }

  async publicReply(store: PlanStore, reply: PublicReply): Promise<PlanResult> {
    const now = this.deps.clock.now();
    const thread = await store.thread(reply.ticketId);
    const requester = normalizeAddress(reply.requester);
    const cc = reply.rule
      ? []
      : [...new Set(reply.cc.map(normalizeAddress))].filter((a) => a && a !== requester);
    const ids = thread?.messageIds ?? [];
    const mail = this.mail(
      {
        tenantId: reply.tenantId,
        kind: 'public_reply',
        dedupeKey: `public_reply:${reply.messageId}`,
        ticketId: reply.ticketId,
        mailboxId: thread?.mailboxId ?? null,
        to: requester ? [requester] : [],
        cc,
        subject: reply.rule?.subject
          ? ruleMailSubject(reply.ticketNumber, reply.rule.subject)
          : publicReplySubject(reply.ticketNumber, reply.ticketTitle),
        bodyText: reply.bodyText,
        bodyHtml: reply.bodyHtml || null,
        attachments: reply.attachments,
        inReplyTo: ids[ids.length - 1] ?? null,
        references: trimReferences(ids),
        traceparent: reply.traceparent,
      },
      requester ? null : 'no_recipient',
      reply.rule !== undefined,
    );
    const queued = await store.insertOutbound(mail, now);
    return { queued: queued && !mail.reason, reason: mail.reason };
  }

  private mail(
    fields: Pick<
      OutboundMail,
      | 'tenantId'
      | 'kind'
      | 'dedupeKey'
      | 'ticketId'
      | 'mailboxId'
      | 'to'
      | 'subject'
      | 'bodyText'
      | 'inReplyTo'
      | 'references'
      | 'traceparent'
    > &
      Partial<Pick<OutboundMail, 'cc' | 'bodyHtml' | 'attachments'>>,
    reason: string | null,
    automatic: boolean,
  ): OutboundMail {
    return {
      id: this.deps.ids.newId(),
      cc: [],
      bodyHtml: null,
      attachments: [],
      ...fields,
      status: reason ? 'suppressed' : 'pending',
      reason,
      messageId: '',
      automatic,
      attempts: 0,
      recordedAt: null,
    };
  }
}
