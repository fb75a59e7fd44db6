import { handlingTraceparent, catalogHandler, type EventHandler } from '@helpdesk/bus';
import { z } from 'zod';
import type { PlanMailUseCase } from '../../app/plan-mail.use-case';
import { PgPlanStore } from '../../infra/plan-store.pg';

const uuid = z.string().regex(/^[0-9a-f-]{36}$/i);
const mailReceivedSchema = z.object({
  inboundId: uuid,
  mailboxId: uuid,
  ticketId: uuid,
  ticketNumber: z.number().int().positive(),
  ticketTitle: z.string(),
  outcome: z.string(),
  from: z.string(),
  subject: z.string(),
  messageId: z.string(),
  references: z.array(z.string()),
  automaticReason: z.string(),
  oversizeAttachments: z.array(z.object({ filename: z.string(), size: z.number() })),
});

/** `helpdesk.mail.received` → automatic reply or oversize notice (loop rules applied), and the thread's ids. */
export function mailEventsHandler(plan: PlanMailUseCase): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    if (envelope.type !== 'helpdesk.mail.received') return;
    const data = mailReceivedSchema.parse(envelope.data);
    await plan.mailReceived(new PgPlanStore(tx), {
      eventId: envelope.id,
      tenantId: envelope.tenantId,
      inboundId: data.inboundId,
      mailboxId: data.mailboxId,
      ticketId: data.ticketId,
      ticketNumber: data.ticketNumber,
      ticketTitle: data.ticketTitle,
      outcome: data.outcome,
      from: data.from,
      subject: data.subject,
      messageId: data.messageId,
      references: data.references,
      automaticReason: data.automaticReason,
      oversize: data.oversizeAttachments,
      traceparent: handlingTraceparent(envelope),
    });
  });
}
