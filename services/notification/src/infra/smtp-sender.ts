import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  propagation,
  trace,
  type Context,
  type Link,
} from '@opentelemetry/api';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailSender, SendTrace, SmtpMessage, SmtpSettings } from '../app/ports';

const tracer = trace.getTracer('@helpdesk/notification');

const contextOf = (traceparent: string | null | undefined): Context =>
  traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;

/** Span links to the traces the traceparents name (malformed ones are left out). */
function linksOf(traceparents: readonly string[]): Link[] {
  const links: Link[] = [];
  for (const tp of traceparents) {
    const spanContext = trace.getSpanContext(contextOf(tp));
    if (spanContext && trace.isSpanContextValid(spanContext)) links.push({ context: spanContext });
  }
  return links;
}

/** nodemailer over each mailbox's SMTP server; one pooled transport per mailbox version. */
export class NodemailerSender implements MailSender {
  private readonly transports = new Map<string, { key: string; transport: Transporter }>();

  private transportFor(settings: SmtpSettings): Transporter {
    // a refreshed OAuth2 token makes a new transport, like changed settings do
    const key = `${settings.version}:${settings.accessToken}`;
    const cached = this.transports.get(settings.mailboxId);
    if (cached && cached.key === key) return cached.transport;
    cached?.transport.close();
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === 'tls',
      requireTLS: settings.tls === 'starttls',
      ignoreTLS: settings.tls === 'none',
      auth: !settings.user
        ? undefined
        : settings.auth === 'oauth2'
          ? { type: 'OAuth2', user: settings.user, accessToken: settings.accessToken }
          : { user: settings.user, pass: settings.password },
      pool: true,
      maxConnections: 2,
      connectionTimeout: 15_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
      logger: false,
    });
    this.transports.set(settings.mailboxId, { key, transport });
    return transport;
  }

  /**
   * One `smtp send` span: a child of the causing change's trace, or (a batch of several changes) the root of a
   * trace of its own with a link to each change's.
   */
  send(settings: SmtpSettings, message: SmtpMessage, sendTrace?: SendTrace): Promise<void> {
    const parent = contextOf(sendTrace?.traceparent);
    return tracer.startActiveSpan(
      'smtp send',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'server.address': settings.host,
          'server.port': settings.port,
          'network.protocol.name': 'smtp',
          'mail.recipients': message.to.length + message.cc.length,
          ...(sendTrace ? { 'tenant.id': sendTrace.tenantId } : {}),
        },
        links: linksOf(sendTrace?.links ?? []),
      },
      parent,
      async (span) => {
        try {
          await this.sendMail(settings, message);
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }

  private async sendMail(settings: SmtpSettings, message: SmtpMessage): Promise<void> {
    const headers: Record<string, string> = {};
    if (message.automatic) {
      // RFC 3834, and Exchange's own switch against out-of-office answers to us
      headers['Auto-Submitted'] = 'auto-replied';
      headers['X-Auto-Response-Suppress'] = 'All';
      headers.Precedence = 'auto_reply';
    }
    await this.transportFor(settings).sendMail({
      from: { name: message.from.name, address: message.from.address },
      to: message.to,
      cc: message.cc,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      messageId: `<${message.messageId}>`,
      ...(message.inReplyTo ? { inReplyTo: `<${message.inReplyTo}>` } : {}),
      ...(message.references.length ? { references: message.references.map((id) => `<${id}>`) } : {}),
      attachments: message.attachments.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
        ...(a.contentId ? { cid: a.contentId } : {}),
      })),
      headers,
    });
  }

  close(): void {
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
