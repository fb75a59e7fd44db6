import type { PoolClient } from 'pg';
import type { OutboundMail, PlanStore } from '../app/ports';

/** The planning writes over the consumer's own transaction (the one that records the event in the inbox). */
export class PgPlanStore implements PlanStore {
  constructor(private readonly tx: PoolClient) {}

  async lockRecipient(tenantId: string, recipient: string): Promise<void> {
    await this.tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `auto-reply:${tenantId}:${recipient}`,
    ]);
  }

  async autoRepliesTo(tenantId: string, recipient: string, since: Date): Promise<number> {
    const { rows } = await this.tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM auto_reply_log WHERE tenant_id = $1 AND recipient = $2 AND at >= $3',
      [tenantId, recipient, since],
    );
    return rows[0]?.n ?? 0;
  }

  async ticketAutoRepliedSince(tenantId: string, ticketId: string, since: Date): Promise<boolean> {
    const { rows } = await this.tx.query(
      'SELECT 1 FROM auto_reply_log WHERE tenant_id = $1 AND ticket_id = $2 AND at >= $3 LIMIT 1',
      [tenantId, ticketId, since],
    );
    return rows.length > 0;
  }

  async logAutoReply(entry: {
    id: string;
    tenantId: string;
    recipient: string;
    ticketId: string;
    at: Date;
  }): Promise<void> {
    await this.tx.query(
      'INSERT INTO auto_reply_log (id, tenant_id, recipient, ticket_id, at) VALUES ($1, $2, $3, $4, $5)',
      [entry.id, entry.tenantId, entry.recipient, entry.ticketId, entry.at],
    );
  }

  async insertOutbound(mail: OutboundMail, at: Date): Promise<boolean> {
    return insertOutbound(this.tx, mail, at);
  }

  async thread(ticketId: string): Promise<{ mailboxId: string | null; messageIds: string[] } | null> {
    const { rows } = await this.tx.query<{ mailbox_id: string | null; message_ids: string[] }>(
      'SELECT mailbox_id, message_ids FROM ticket_mail_threads WHERE ticket_id = $1',
      [ticketId],
    );
    const row = rows[0];
    return row ? { mailboxId: row.mailbox_id, messageIds: row.message_ids } : null;
  }

  async recordThread(entry: {
    tenantId: string;
    ticketId: string;
    mailboxId: string | null;
    messageId: string | null;
    at: Date;
  }): Promise<void> {
    const ids = entry.messageId ? [entry.messageId] : [];
    // the first mailbox a ticket was mailed through stays its mailbox; ids are appended once each
    await this.tx.query(
      `INSERT INTO ticket_mail_threads (ticket_id, tenant_id, mailbox_id, message_ids, updated_at)
       VALUES ($1, $2, $3, $4::text[], $5)
       ON CONFLICT (ticket_id) DO UPDATE SET
         mailbox_id = COALESCE(ticket_mail_threads.mailbox_id, EXCLUDED.mailbox_id),
         message_ids = CASE WHEN $4::text[] <@ ticket_mail_threads.message_ids THEN ticket_mail_threads.message_ids
                            ELSE ticket_mail_threads.message_ids || $4::text[] END,
         updated_at = EXCLUDED.updated_at`,
      [entry.ticketId, entry.tenantId, entry.mailboxId, ids, entry.at],
    );
  }
}

/** Inserts a mail unless its dedupe key exists; true when inserted. Works on a pool client or in a transaction. */
export async function insertOutbound(
  db: Pick<PoolClient, 'query'>,
  mail: OutboundMail,
  at: Date,
): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO outbound_mails (id, tenant_id, dedupe_key, kind, status, reason, ticket_id, mailbox_id, to_addresses,
       cc_addresses, subject, body_text, body_html, message_id, in_reply_to, "references", automatic, traceparent,
       attachments, attempts, next_attempt_at, created_at, trace_links)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $20::jsonb, 0, $19, $19,
       $21::text[])
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      mail.id,
      mail.tenantId,
      mail.dedupeKey,
      mail.kind,
      mail.status,
      mail.reason,
      mail.ticketId,
      mail.mailboxId,
      mail.to,
      mail.cc,
      mail.subject.slice(0, 1000),
      mail.bodyText,
      mail.bodyHtml,
      mail.messageId,
      mail.inReplyTo,
      mail.references,
      mail.automatic,
      mail.traceparent,
      at,
      JSON.stringify(mail.attachments),
      mail.traceLinks ?? [],
    ],
  );
  return result.rowCount === 1;
}
