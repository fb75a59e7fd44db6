// What the notification use cases need from the outside world; adapters live in src/infra/notifications.*.
import type {
  NotificationActor,
  NotificationType,
  StoredSwitches,
  TicketFacts,
} from '../../domain/notifications';

/** A user as identity's events describe it. */
export interface UserView {
  id: string;
  tenantId: string;
  name: string;
  email: string;
  handle: string;
  role: string;
  active: boolean;
}

/** One in-app notification as stored. */
export interface NotificationRecord {
  id: string;
  tenantId: string;
  userId: string;
  type: NotificationType;
  ticketId: string | null;
  ticketNumber: number | null;
  title: string;
  body: string;
  actor: NotificationActor;
  sourceEventId: string;
  createdAt: Date;
  readAt: Date | null;
}

/** A notification waiting to be e-mailed with the others of its user and ticket. */
export interface AgentMailItem {
  id: string;
  tenantId: string;
  userId: string;
  ticketId: string | null;
  ticketNumber: number | null;
  type: NotificationType;
  title: string;
  body: string;
  actorName: string;
  sourceEventId: string;
  traceparent: string | null;
  createdAt: Date;
}

export interface StoredPreferences {
  inApp: StoredSwitches;
  email: StoredSwitches;
}

/** The notification tables inside the transaction of the event being handled (or a request's own). */
export interface NotifyStore {
  upsertUser(user: UserView, at: Date): Promise<void>;
  /** Keeps the ticket unless a higher version is stored already. */
  upsertTicket(tenantId: string, ticket: TicketFacts & { version: number }, at: Date): Promise<void>;
  ticket(tenantId: string, id: string): Promise<TicketFacts | null>;
  users(tenantId: string, ids: string[]): Promise<UserView[]>;
  /** The tenant's active admins. */
  admins(tenantId: string): Promise<UserView[]>;
  preferences(tenantId: string, userIds: string[]): Promise<Map<string, StoredPreferences>>;
  /** false when this event already notified this user of this type. */
  insertNotification(record: NotificationRecord): Promise<boolean>;
  /** false when this event already queued this mail item. */
  insertMailItem(item: AgentMailItem): Promise<boolean>;
  /** Writes `helpdesk.notify.created` to the outbox. */
  publishCreated(record: NotificationRecord): Promise<void>;
}

/** Lookups that the events do not carry, asked of their owners (identity, ticket) over gRPC. */
export interface NotifyDirectory {
  /** The team's member ids; empty for a team that does not exist (in the tenant). */
  teamMembers(tenantId: string, teamId: string): Promise<string[]>;
  /** A user unknown to the read model (created before the stream's retention); null when there is none. */
  user(tenantId: string, id: string): Promise<UserView | null>;
  /** A ticket unknown to the read model; null when there is none. */
  ticket(tenantId: string, id: string): Promise<(TicketFacts & { version: number }) | null>;
}

export interface FeedPage {
  items: NotificationRecord[];
  nextCursor: string | null;
  unreadCount: number;
}

/** The feed's reads and writes, each in a statement of its own. */
export interface FeedStore {
  list(
    tenantId: string,
    userId: string,
    options: { unreadOnly: boolean; limit: number; after: { at: Date; id: string } | null },
  ): Promise<NotificationRecord[]>;
  unreadCount(tenantId: string, userId: string): Promise<number>;
  markRead(tenantId: string, userId: string, ids: string[] | 'all', at: Date): Promise<void>;
  preferences(tenantId: string, userId: string): Promise<StoredPreferences | null>;
  savePreferences(tenantId: string, userId: string, prefs: StoredPreferences, at: Date): Promise<void>;
}

/** The waiting mail items of one user and ticket, locked for the caller. */
export interface MailBatch {
  tenantId: string;
  userId: string;
  ticketId: string | null;
  /** Oldest first. */
  items: AgentMailItem[];
  /** The recipient; null when identity never told us of them. */
  user: UserView | null;
}

/** The mail a batch becomes; null to mark the items done without mail (no address, user inactive). */
export interface PlannedAgentMail {
  to: string;
  subject: string;
  bodyText: string;
}

export interface AgentMailQueue {
  /**
   * For each batch whose oldest item waited `windowMs`: locks its items (SKIP LOCKED, so replicas share the work),
   * asks `plan` for its mail and, in the same transaction, queues that mail for the dispatcher (outbound_mails,
   * kind `agent_notification`, the tenant's default mailbox) and marks the items mailed. Answers how many batches
   * it handled.
   */
  flushDue(
    now: Date,
    windowMs: number,
    limit: number,
    plan: (batch: MailBatch) => PlannedAgentMail | null,
  ): Promise<number>;
}
