import { domainOf, newNonce, signMessageId } from '@helpdesk/mail';
import { isDomainError, type Logger } from '@helpdesk/platform';
import type {
  AttachmentSource,
  Clock,
  MailSender,
  MailboxSettingsPort,
  OutboundMail,
  OutboundQueue,
  ThreadRecorder,
} from './ports';

export interface DispatchOptions {
  messageIdSecret: string;
  maxAttempts: number;
  retryBaseMs: number;
  batchSize: number;
  /** How long a claimed mail is hidden from other dispatchers while it is being sent. */
  leaseMs: number;
}

const MAX_RETRY_MS = 15 * 60_000;

/**
 * Sends pending mail over SMTP from its mailbox and records each sent mail in its ticket's thread as `email_out`.
 * A mail is claimed before sending, so replicas never send it twice; a crash between the SMTP answer and the
 * bookkeeping can at worst send it again with the same Message-ID, which mail clients fold into one.
 */
export class DispatchUseCase {
  constructor(
    private readonly deps: {
      queue: OutboundQueue;
      settings: MailboxSettingsPort;
      sender: MailSender;
      recorder: ThreadRecorder;
      attachments: AttachmentSource;
      clock: Clock;
      logger: Logger;
      options: DispatchOptions;
    },
  ) {}

  /** One round; answers how many mails it handled (sent or failed). */
  async round(): Promise<number> {
    const { queue, clock, options } = this.deps;
    for (const mail of await queue.unrecorded(options.batchSize)) await this.record(mail);
    const due = await queue.claimDue(clock.now(), options.batchSize, options.leaseMs);
    await Promise.all(due.map((mail) => this.send(mail)));
    return due.length;
  }

  private async send(mail: OutboundMail): Promise<void> {
    const { queue, settings, sender, clock, logger, options } = this.deps;
    const log = { tenantId: mail.tenantId, outboundId: mail.id, kind: mail.kind, ticketId: mail.ticketId };
    try {
      const smtp = await settings.settings(mail.tenantId, mail.mailboxId);
      if (!mail.messageId) {
        const domain = domainOf(smtp.address) || 'helpdesk.invalid';
        // an agent's notification is no message of the customer's thread: its replies must not join it
        mail.messageId =
          mail.ticketId && mail.kind !== 'agent_notification'
            ? signMessageId({
                secret: options.messageIdSecret,
                tenantId: mail.tenantId,
                ticketId: mail.ticketId,
                domain,
              })
            : `hd.${newNonce()}@${domain}`;
        await queue.setMessageId(mail.id, mail.messageId);
      }
      const own = smtp.address.toLowerCase();
      // read at send time, not kept in the queue: a file is stored once, in the ticket service
      const files = [];
      for (const a of mail.attachments) {
        files.push({
          filename: a.filename,
          contentType: a.contentType,
          contentId: a.contentId,
          content: await this.deps.attachments.read(mail.tenantId, a.id),
        });
      }
      await sender.send(
        smtp,
        {
          from: { name: smtp.name, address: smtp.address },
          to: mail.to.filter((a) => a !== own),
          cc: mail.cc.filter((a) => a !== own),
          subject: mail.subject,
          text: mail.bodyText,
          html: mail.bodyHtml,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          references: mail.references,
          attachments: files,
          automatic: mail.automatic,
        },
        { traceparent: mail.traceparent, tenantId: mail.tenantId, links: mail.traceLinks ?? [] },
      );
      await queue.markSent(mail.id, clock.now());
      logger.info(log, 'mail sent');
      mail.mailboxId = smtp.mailboxId;
      await this.record(mail, smtp.address);
    } catch (err) {
      const attempts = mail.attempts;
      const failed = attempts >= options.maxAttempts || (isDomainError(err) && err.code === 'NOT_FOUND');
      const delay = Math.min(options.retryBaseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
      const error = isDomainError(err)
        ? `${err.code}: ${err.message}`
        : `smtp: ${(err as { code?: string; responseCode?: number }).code ?? 'error'}${(err as { responseCode?: number }).responseCode ? ` ${(err as { responseCode?: number }).responseCode}` : ''}`;
      logger.warn(
        { ...log, attempts, failed, error },
        failed ? 'mail could not be sent; giving up' : 'mail could not be sent; will retry',
      );
      await queue.markRetry(mail.id, error, new Date(clock.now().getTime() + delay), failed);
    }
  }

  private async record(mail: OutboundMail, from?: string): Promise<void> {
    if (!mail.ticketId || mail.kind === 'agent_notification') {
      await this.deps.queue.markRecorded(mail.id, this.deps.clock.now());
      return;
    }
    try {
      const address = from ?? (await this.deps.settings.settings(mail.tenantId, mail.mailboxId)).address;
      await this.deps.recorder.recordSent(mail, address);
      await this.deps.queue.markRecorded(mail.id, this.deps.clock.now());
    } catch (err) {
      this.deps.logger.warn(
        { err, tenantId: mail.tenantId, outboundId: mail.id },
        'sent mail not yet recorded in its thread; will retry',
      );
    }
  }
}
