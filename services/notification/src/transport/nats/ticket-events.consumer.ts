import { handlingTraceparent, catalogHandler, type EventHandler } from '@helpdesk/bus';
import { commonV1, type ticketV1 } from '@helpdesk/contracts';
import type { PlanMailUseCase } from '../../app/plan-mail.use-case';
import { PgPlanStore } from '../../infra/plan-store.pg';

const AGENTS = new Set([commonV1.ActorType.ACTOR_TYPE_USER, commonV1.ActorType.ACTOR_TYPE_API_KEY]);

async function remember(
  plan: PlanMailUseCase,
  store: PgPlanStore,
  tenantId: string,
  message: ticketV1.TicketMessage | undefined,
) {
  // a rule's e-mail carries only its subject: no id or mailbox of a thread to remember
  if (!message?.email || (!message.email.messageId && !message.email.mailboxId)) return;
  await plan.threadMessage(store, {
    tenantId,
    ticketId: message.ticketId,
    mailboxId: message.email.mailboxId || null,
    messageId: message.email.messageId || null,
  });
}

/**
 * Ticket events → the thread's e-mail ids; agent public replies → mail to the requester and cc; a rule's public
 * reply (its `send_email`) → mail to the requester, with the subject the rule gave in the message's headers.
 */
export function ticketEventsHandler(plan: PlanMailUseCase): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    const store = new PgPlanStore(tx);
    if (envelope.type === 'helpdesk.ticket.created') {
      await remember(plan, store, envelope.tenantId, envelope.data.message);
      return;
    }
    if (envelope.type !== 'helpdesk.ticket.message_added') return;
    const { ticket, message } = envelope.data;
    if (!ticket || !message) return;
    await remember(plan, store, envelope.tenantId, message);
    if (message.kind !== 'public_reply' || !message.author) return;
    const byRule = message.author.type === commonV1.ActorType.ACTOR_TYPE_AUTOMATION;
    if (!byRule && !AGENTS.has(message.author.type)) return;
    await plan.publicReply(store, {
      eventId: envelope.id,
      tenantId: envelope.tenantId,
      ticketId: ticket.id,
      ticketNumber: Number(ticket.number),
      ticketTitle: ticket.title,
      messageId: message.id,
      requester: ticket.requester?.email || ticket.raisedBy,
      cc: ticket.cc,
      bodyText: message.bodyText,
      bodyHtml: message.bodyHtml,
      attachments: message.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        size: Number(a.size),
        contentId: a.contentId,
      })),
      traceparent: handlingTraceparent(envelope),
      ...(byRule ? { rule: { subject: message.email?.subject ?? '' } } : {}),
    });
  });
}
