import { Pool } from 'pg';
import type {
  OutboundAttachment,
  OutboundKind,
  OutboundMail,
  OutboundQueue,
  OutboundStatus,
} from '../app/ports';
import { insertOutbound } from './plan-store.pg';

interface Row {
  id: string;
  tenant_id: string;
  dedupe_key: string;
  kind: string;
  status: string;
  reason: string | null;
  ticket_id: string | null;
  mailbox_id: string | null;
  to_addresses: string[];
  cc_addresses: string[];
  subject: string;
  body_text: string;
  body_html: string | null;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  attachments: OutboundAttachment[] | null;
  automatic: boolean;
  traceparent: string | null;
  trace_links: string[] | null;
  attempts: number;
  recorded_at: Date | null;
}

function toMail(row: Row): OutboundMail {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    dedupeKey: row.dedupe_key,
    kind: row.kind as OutboundKind,
    status: row.status as OutboundStatus,
    reason: row.reason,
    ticketId: row.ticket_id,
    mailboxId: row.mailbox_id,
    to: row.to_addresses,
    cc: row.cc_addresses,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: row.references,
    attachments: row.attachments ?? [],
    automatic: row.automatic,
    traceparent: row.traceparent,
    traceLinks: row.trace_links ?? [],
    attempts: row.attempts,
    recordedAt: row.recorded_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The outgoing-mail queue in PostgreSQL; claims use FOR UPDATE SKIP LOCKED so replicas share the work. */
export class PgOutboundQueue implements OutboundQueue {
  constructor(private readonly pool: Pool) {}

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboundMail[]> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE outbound_mails SET attempts = attempts + 1, next_attempt_at = $2::timestamptz + $3::int * interval '1 millisecond'
       WHERE id IN (SELECT id FROM outbound_mails WHERE status = 'pending' AND next_attempt_at <= $2
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [limit, now, leaseMs],
    );
    return rows.map(toMail);
  }

  async unrecorded(limit: number): Promise<OutboundMail[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM outbound_mails WHERE status = 'sent' AND recorded_at IS NULL AND sent_at < now() - interval '5 seconds'
       ORDER BY sent_at LIMIT $1`,
      [limit],
    );
    return rows.map(toMail);
  }

  async setMessageId(id: string, messageId: string): Promise<void> {
    await this.pool.query('UPDATE outbound_mails SET message_id = $2 WHERE id = $1', [id, messageId]);
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE outbound_mails SET status = 'sent', sent_at = $2, reason = NULL WHERE id = $1`,
      [id, at],
    );
  }

  async markRecorded(id: string, at: Date): Promise<void> {
    await this.pool.query('UPDATE outbound_mails SET recorded_at = $2 WHERE id = $1', [id, at]);
  }

  async markRetry(id: string, error: string, nextAttemptAt: Date, failed: boolean): Promise<void> {
    await this.pool.query(
      'UPDATE outbound_mails SET reason = $2, next_attempt_at = $3, status = $4 WHERE id = $1',
      [id, error.slice(0, 1000), nextAttemptAt, failed ? 'failed' : 'pending'],
    );
  }

  async get(tenantId: string, id: string): Promise<OutboundMail | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM outbound_mails WHERE id = $1 AND tenant_id = $2',
      [id, tenantId],
    );
    return rows[0] ? toMail(rows[0]) : null;
  }

  async insert(mail: OutboundMail, at: Date): Promise<boolean> {
    return insertOutbound(this.pool, mail, at);
  }
}
