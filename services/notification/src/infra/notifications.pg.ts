// The notification tables (prisma/schema.prisma, "in-app notifications") over plain pg: the consumers' stores run
// in the inbox transaction, the feed and the mail batches on the service's pool.
import { randomUUID } from 'node:crypto';
import { enqueueCatalogEvent, inTransaction } from '@helpdesk/bus';
import type { Pool, PoolClient } from 'pg';
import type {
  AgentMailItem,
  AgentMailQueue,
  FeedStore,
  MailBatch,
  NotificationRecord,
  NotifyStore,
  PlannedAgentMail,
  StoredPreferences,
  UserView,
} from '../app/notifications/ports';
import type { OutboundMail } from '../app/ports';
import type { ActorKind, NotificationType, TicketFacts } from '../domain/notifications';
import { insertOutbound } from './plan-store.pg';

type Db = Pick<PoolClient, 'query'>;

interface NotificationRow {
  id: string;
  tenant_id: string;
  user_id: string;
  type: string;
  ticket_id: string | null;
  ticket_number: string | null;
  title: string;
  body: string;
  actor_type: string;
  actor_id: string;
  actor_name: string;
  source_event_id: string;
  created_at: Date;
  read_at: Date | null;
}

const NOTIFICATION_COLUMNS = `id, tenant_id, user_id, type, ticket_id, ticket_number, title, body, actor_type,
  actor_id, actor_name, source_event_id, created_at, read_at`;

function toRecord(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    type: row.type as NotificationType,
    ticketId: row.ticket_id,
    ticketNumber: row.ticket_number === null ? null : Number(row.ticket_number),
    title: row.title,
    body: row.body,
    actor: { type: row.actor_type as ActorKind, id: row.actor_id, name: row.actor_name },
    sourceEventId: row.source_event_id,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

interface UserRow {
  id: string;
  tenant_id: string;
  name: string;
  email: string;
  handle: string;
  role: string;
  active: boolean;
}

function toUser(row: UserRow): UserView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    email: row.email,
    handle: row.handle,
    role: row.role,
    active: row.active,
  };
}

async function usersOf(db: Db, tenantId: string, ids: string[]): Promise<UserView[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<UserRow>(
    'SELECT id, tenant_id, name, email, handle, role, active FROM notify_users WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
    [tenantId, ids],
  );
  return rows.map(toUser);
}

function switches(value: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** The writes of the notification consumers, over the consumer's own transaction. */
export class PgNotifyStore implements NotifyStore {
  constructor(private readonly tx: PoolClient) {}

  async upsertUser(user: UserView, at: Date): Promise<void> {
    await this.tx.query(
      `INSERT INTO notify_users (id, tenant_id, name, email, handle, role, active, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, handle = EXCLUDED.handle,
         role = EXCLUDED.role, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE notify_users.tenant_id = EXCLUDED.tenant_id`,
      [
        user.id,
        user.tenantId,
        user.name.slice(0, 200),
        user.email.toLowerCase().slice(0, 320),
        user.handle.slice(0, 100),
        user.role.slice(0, 20),
        user.active,
        at,
      ],
    );
  }

  async upsertTicket(tenantId: string, ticket: TicketFacts & { version: number }, at: Date): Promise<void> {
    await this.tx.query(
      `INSERT INTO notify_tickets (id, tenant_id, number, title, assignee_id, team_id, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number, title = EXCLUDED.title,
         assignee_id = EXCLUDED.assignee_id, team_id = EXCLUDED.team_id, version = EXCLUDED.version,
         updated_at = EXCLUDED.updated_at
       WHERE notify_tickets.tenant_id = EXCLUDED.tenant_id AND notify_tickets.version < EXCLUDED.version`,
      [
        ticket.id,
        tenantId,
        ticket.number,
        ticket.title.slice(0, 1000),
        ticket.assigneeId,
        ticket.teamId,
        ticket.version,
        at,
      ],
    );
  }

  async ticket(tenantId: string, id: string): Promise<TicketFacts | null> {
    const { rows } = await this.tx.query<{
      id: string;
      number: string;
      title: string;
      assignee_id: string | null;
      team_id: string | null;
    }>(
      'SELECT id, number, title, assignee_id, team_id FROM notify_tickets WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          number: Number(row.number),
          title: row.title,
          assigneeId: row.assignee_id,
          teamId: row.team_id,
        }
      : null;
  }

  users(tenantId: string, ids: string[]): Promise<UserView[]> {
    return usersOf(this.tx, tenantId, ids);
  }

  async admins(tenantId: string): Promise<UserView[]> {
    const { rows } = await this.tx.query<UserRow>(
      `SELECT id, tenant_id, name, email, handle, role, active FROM notify_users
       WHERE tenant_id = $1 AND role = 'admin' AND active ORDER BY id`,
      [tenantId],
    );
    return rows.map(toUser);
  }

  async preferences(tenantId: string, userIds: string[]): Promise<Map<string, StoredPreferences>> {
    if (userIds.length === 0) return new Map();
    const { rows } = await this.tx.query<{ user_id: string; in_app: unknown; email: unknown }>(
      'SELECT user_id, in_app, email FROM notification_preferences WHERE tenant_id = $1 AND user_id = ANY($2::uuid[])',
      [tenantId, userIds],
    );
    return new Map(rows.map((r) => [r.user_id, { inApp: switches(r.in_app), email: switches(r.email) }]));
  }

  async insertNotification(r: NotificationRecord): Promise<boolean> {
    const result = await this.tx.query(
      `INSERT INTO notifications (${NOTIFICATION_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL)
       ON CONFLICT (tenant_id, source_event_id, user_id, type) DO NOTHING`,
      [
        r.id,
        r.tenantId,
        r.userId,
        r.type,
        r.ticketId,
        r.ticketNumber,
        r.title.slice(0, 1000),
        r.body,
        r.actor.type,
        r.actor.id.slice(0, 100),
        r.actor.name.slice(0, 200),
        r.sourceEventId,
        r.createdAt,
      ],
    );
    return result.rowCount === 1;
  }

  async insertMailItem(item: AgentMailItem): Promise<boolean> {
    const result = await this.tx.query(
      `INSERT INTO agent_mail_items (id, tenant_id, user_id, batch_key, ticket_id, ticket_number, type, title, body,
         actor_name, source_event_id, traceparent, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (tenant_id, source_event_id, user_id, type) DO NOTHING`,
      [
        item.id,
        item.tenantId,
        item.userId,
        item.ticketId ?? item.id,
        item.ticketId,
        item.ticketNumber,
        item.type,
        item.title.slice(0, 1000),
        item.body,
        item.actorName.slice(0, 200),
        item.sourceEventId,
        item.traceparent,
        item.createdAt,
      ],
    );
    return result.rowCount === 1;
  }

  async publishCreated(r: NotificationRecord): Promise<void> {
    await enqueueCatalogEvent(this.tx, 'helpdesk.notify.created', r.tenantId, {
      notification: {
        id: r.id,
        tenantId: r.tenantId,
        userId: r.userId,
        type: r.type,
        ticketId: r.ticketId ?? '',
        ticketNumber: r.ticketNumber ?? 0,
        title: r.title,
        body: r.body,
        actor: { type: r.actor.type, id: r.actor.id, name: r.actor.name },
        createdAt: r.createdAt,
        readAt: undefined,
      },
    });
  }
}

/** The feed's queries on the service's pool. */
export class PgFeedStore implements FeedStore {
  constructor(private readonly pool: Pool) {}

  async list(
    tenantId: string,
    userId: string,
    options: { unreadOnly: boolean; limit: number; after: { at: Date; id: string } | null },
  ): Promise<NotificationRecord[]> {
    const { rows } = await this.pool.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
       WHERE tenant_id = $1 AND user_id = $2 AND (NOT $3 OR read_at IS NULL)
         AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $6`,
      [
        tenantId,
        userId,
        options.unreadOnly,
        options.after?.at ?? null,
        options.after?.id ?? null,
        options.limit,
      ],
    );
    return rows.map(toRecord);
  }

  async unreadCount(tenantId: string, userId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL',
      [tenantId, userId],
    );
    return rows[0]?.n ?? 0;
  }

  async markRead(tenantId: string, userId: string, ids: string[] | 'all', at: Date): Promise<void> {
    if (ids === 'all') {
      await this.pool.query(
        'UPDATE notifications SET read_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL',
        [tenantId, userId, at],
      );
      return;
    }
    await this.pool.query(
      `UPDATE notifications SET read_at = $4
       WHERE tenant_id = $1 AND user_id = $2 AND id = ANY($3::uuid[]) AND read_at IS NULL`,
      [tenantId, userId, ids, at],
    );
  }

  async preferences(tenantId: string, userId: string): Promise<StoredPreferences | null> {
    const { rows } = await this.pool.query<{ in_app: unknown; email: unknown }>(
      'SELECT in_app, email FROM notification_preferences WHERE tenant_id = $1 AND user_id = $2',
      [tenantId, userId],
    );
    const row = rows[0];
    return row ? { inApp: switches(row.in_app), email: switches(row.email) } : null;
  }

  async savePreferences(tenantId: string, userId: string, prefs: StoredPreferences, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO notification_preferences (tenant_id, user_id, in_app, email, updated_at)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET in_app = EXCLUDED.in_app, email = EXCLUDED.email,
         updated_at = EXCLUDED.updated_at`,
      [tenantId, userId, JSON.stringify(prefs.inApp), JSON.stringify(prefs.email), at],
    );
  }
}

interface ItemRow {
  id: string;
  tenant_id: string;
  user_id: string;
  ticket_id: string | null;
  ticket_number: string | null;
  type: string;
  title: string;
  body: string;
  actor_name: string;
  source_event_id: string;
  traceparent: string | null;
  created_at: Date;
}

/** The agent mail batches: each batch is claimed and turned into one outbound mail in a transaction of its own. */
export class PgAgentMailQueue implements AgentMailQueue {
  constructor(
    private readonly pool: Pool,
    private readonly onQueued: () => void = () => undefined,
  ) {}

  async flushDue(
    now: Date,
    windowMs: number,
    limit: number,
    plan: (batch: MailBatch) => PlannedAgentMail | null,
  ): Promise<number> {
    const { rows: due } = await this.pool.query<{ tenant_id: string; user_id: string; batch_key: string }>(
      `SELECT tenant_id, user_id, batch_key FROM agent_mail_items WHERE mailed_at IS NULL
       GROUP BY tenant_id, user_id, batch_key HAVING min(created_at) <= $1 ORDER BY min(created_at) LIMIT $2`,
      [new Date(now.getTime() - windowMs), limit],
    );
    let handled = 0;
    for (const key of due) {
      if (await this.flushOne(key, now, plan)) handled += 1;
    }
    if (handled > 0) this.onQueued();
    return handled;
  }

  private async flushOne(
    key: { tenant_id: string; user_id: string; batch_key: string },
    now: Date,
    plan: (batch: MailBatch) => PlannedAgentMail | null,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // another replica holding them has the batch; it is skipped here, not waited for
      const { rows } = await client.query<ItemRow>(
        `SELECT id, tenant_id, user_id, ticket_id, ticket_number, type, title, body, actor_name, source_event_id,
           traceparent, created_at
         FROM agent_mail_items
         WHERE tenant_id = $1 AND user_id = $2 AND batch_key = $3 AND mailed_at IS NULL
         ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
        [key.tenant_id, key.user_id, key.batch_key],
      );
      if (rows.length === 0) return false;
      const items: AgentMailItem[] = rows.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        userId: r.user_id,
        ticketId: r.ticket_id,
        ticketNumber: r.ticket_number === null ? null : Number(r.ticket_number),
        type: r.type as NotificationType,
        title: r.title,
        body: r.body,
        actorName: r.actor_name,
        sourceEventId: r.source_event_id,
        traceparent: r.traceparent,
        createdAt: r.created_at,
      }));
      const [user] = await usersOf(client, key.tenant_id, [key.user_id]);
      const first = items[0]!;
      const mail = plan({
        tenantId: key.tenant_id,
        userId: key.user_id,
        ticketId: first.ticketId,
        items,
        user: user ?? null,
      });
      let outboundId: string | null = null;
      if (mail) {
        outboundId = randomUUID();
        const outbound: OutboundMail = {
          id: outboundId,
          tenantId: key.tenant_id,
          // the first item names the batch: a retried flush cannot queue it twice
          dedupeKey: `agent_notification:${first.id}`,
          kind: 'agent_notification',
          status: 'pending',
          reason: null,
          ticketId: first.ticketId,
          // the tenant's default mailbox
          mailboxId: null,
          to: [mail.to],
          cc: [],
          subject: mail.subject,
          bodyText: mail.bodyText,
          bodyHtml: null,
          messageId: '',
          inReplyTo: null,
          references: [],
          attachments: [],
          automatic: true,
          traceparent: items[items.length - 1]!.traceparent,
          attempts: 0,
          recordedAt: null,
        };
        await insertOutbound(client, outbound, now);
      }
      await client.query(
        'UPDATE agent_mail_items SET mailed_at = $2, outbound_id = $3 WHERE id = ANY($1::uuid[])',
        [items.map((i) => i.id), now, outboundId],
      );
      return true;
    });
  }
}
