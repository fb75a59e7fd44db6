import { commonV1, ticketV1 } from '@helpdesk/contracts';
import { createGrpcClient, type PromiseClient } from '@helpdesk/grpc';
import type { OutboundMail, ThreadRecorder } from '../app/ports';

/** TicketService.AddMessage: every mail sent about a ticket becomes an `email_out` message of its thread. */
export class GrpcThreadRecorder implements ThreadRecorder {
  private readonly client: PromiseClient<ticketV1.TicketServiceClient>;

  constructor(address: string, deadlineMs: number) {
    this.client = createGrpcClient(ticketV1.TicketServiceClient, address, { deadlineMs });
  }

  async recordSent(mail: OutboundMail, from: string): Promise<void> {
    if (!mail.ticketId) return;
    await this.client.addMessage({
      tenantId: mail.tenantId,
      actor: { type: commonV1.ActorType.ACTOR_TYPE_SYSTEM, id: '' },
      ticketId: mail.ticketId,
      message: {
        kind: 'email_out',
        bodyHtml: mail.bodyHtml ?? '',
        bodyText: mail.bodyText,
        attachmentIds: [],
        threadingRule: '',
        email: {
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo ?? '',
          references: mail.references,
          from,
          to: mail.to,
          cc: mail.cc,
          subject: mail.subject,
          mailboxId: mail.mailboxId ?? '',
          rawRef: '',
        },
      },
      status: '',
      // one thread message per mail, however often this is retried or redelivered
      dedupeKey: `notification:${mail.dedupeKey}`,
    });
  }

  close(): void {
    this.client.close();
  }
}
