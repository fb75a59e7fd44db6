import nodemailer, { type Transporter } from 'nodemailer';
import type { MailSender, SmtpMessage, SmtpSettings } from '../app/ports';

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

  async send(settings: SmtpSettings, message: SmtpMessage): Promise<void> {
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
