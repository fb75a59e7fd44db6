import {
  decideNotifications,
  effectivePreferences,
  lookupsOf,
  resolveAudience,
  type NotificationActor,
  type NotificationTrigger,
  type TicketFacts,
} from '../../domain/notifications';
import type { Clock, IdGenerator } from '../ports';
import type { NotificationRecord, NotifyDirectory, NotifyStore, UserView } from './ports';

/** The event a trigger came from: its id makes the notifications idempotent. */
export interface TriggerSource {
  eventId: string;
  tenantId: string;
  /** Who caused it, as the notification shows it (name filled in here when it is a known user). */
  actor: NotificationActor;
  traceparent: string | null;
}

export interface NotifyOutcome {
  /** In-app notifications written (and published). */
  notified: NotificationRecord[];
  /** Mail items queued. */
  mailed: number;
}

/**
 * Turns one event's trigger into notifications: the rules of domain/notifications decide the audiences, the read
 * models and identity resolve them to active users, each user's preferences pick the channels. Runs in the
 * transaction that records the event as handled; the unique source key makes a redelivery a no-op.
 */
export class NotifyUseCase {
  constructor(private readonly deps: { clock: Clock; ids: IdGenerator; directory: NotifyDirectory }) {}

  /** The ticket's facts from the read model, else from the ticket service (and remembered). */
  async ticketFacts(store: NotifyStore, tenantId: string, ticketId: string): Promise<TicketFacts | null> {
    const known = await store.ticket(tenantId, ticketId);
    if (known) return known;
    const fetched = await this.deps.directory.ticket(tenantId, ticketId);
    if (!fetched) return null;
    await store.upsertTicket(tenantId, fetched, this.deps.clock.now());
    return fetched;
  }

  async handle(
    store: NotifyStore,
    trigger: NotificationTrigger,
    source: TriggerSource,
  ): Promise<NotifyOutcome> {
    const actor = await this.named(store, source);
    const decisions = decideNotifications(withActor(trigger, actor));
    if (decisions.length === 0) return { notified: [], mailed: 0 };
    const { tenantId } = source;

    // everyone the audiences may name, looked up once
    const teams = new Set<string>();
    let needAdmins = false;
    const named = new Set<string>();
    for (const d of decisions) {
      const needs = lookupsOf(d.audience);
      needs.teams.forEach((t) => teams.add(t));
      needAdmins ||= needs.admins;
      collectUsers(d.audience, named);
    }
    const members = new Map<string, string[]>();
    for (const teamId of teams) {
      const ids = await this.deps.directory.teamMembers(tenantId, teamId);
      members.set(teamId, ids);
      ids.forEach((id) => named.add(id));
    }
    const users = await this.users(store, tenantId, [...named]);
    const admins = needAdmins ? await store.admins(tenantId) : [];
    admins.forEach((a) => users.set(a.id, a));

    const lookup = {
      isActive: (id: string) => users.get(id)?.active === true,
      team: (teamId: string) => (members.get(teamId) ?? []).filter((id) => users.get(id)?.active === true),
      admins: () => admins.filter((a) => a.active).map((a) => a.id),
    };

    const recipients = decisions.map((d) => {
      const except = new Set(d.except);
      return { decision: d, userIds: resolveAudience(d.audience, lookup).filter((id) => !except.has(id)) };
    });
    const prefs = await store.preferences(tenantId, [...new Set(recipients.flatMap((r) => r.userIds))]);
    const now = this.deps.clock.now();
    const outcome: NotifyOutcome = { notified: [], mailed: 0 };
    for (const { decision, userIds } of recipients) {
      for (const userId of userIds) {
        const p = effectivePreferences(prefs.get(userId) ?? null);
        const ticket = 'ticket' in trigger ? trigger.ticket : null;
        const record: NotificationRecord = {
          id: this.deps.ids.newId(),
          tenantId,
          userId,
          type: decision.type,
          ticketId: ticket?.id ? ticket.id : null,
          ticketNumber: ticket?.id ? ticket.number : null,
          title: decision.title,
          body: decision.body,
          actor,
          sourceEventId: source.eventId,
          createdAt: now,
          readAt: null,
        };
        if (p.inApp[decision.type] && (await store.insertNotification(record))) {
          await store.publishCreated(record);
          outcome.notified.push(record);
        }
        if (p.email[decision.type] && users.get(userId)?.email) {
          const queued = await store.insertMailItem({
            id: this.deps.ids.newId(),
            tenantId,
            userId,
            ticketId: record.ticketId,
            ticketNumber: record.ticketNumber,
            type: decision.type,
            title: decision.title,
            body: decision.body,
            actorName: actor.name,
            sourceEventId: source.eventId,
            traceparent: source.traceparent,
            createdAt: now,
          });
          if (queued) outcome.mailed += 1;
        }
      }
    }
    return outcome;
  }

  /** The source's actor with the user's name, when it is a user known here. */
  private async named(store: NotifyStore, source: TriggerSource): Promise<NotificationActor> {
    const actor = { ...source.actor };
    if (actor.type !== 'user' || actor.name || !actor.id) return actor;
    actor.name = (await this.users(store, source.tenantId, [actor.id])).get(actor.id)?.name ?? '';
    return actor;
  }

  /** Users from the read model, and from identity for those it does not know yet. */
  private async users(store: NotifyStore, tenantId: string, ids: string[]): Promise<Map<string, UserView>> {
    const found = new Map((await store.users(tenantId, ids)).map((u) => [u.id, u]));
    for (const id of ids) {
      if (found.has(id)) continue;
      const user = await this.deps.directory.user(tenantId, id);
      if (!user) continue;
      await store.upsertUser(user, this.deps.clock.now());
      found.set(id, user);
    }
    return found;
  }
}

/** The trigger with its actor's name filled in, for the titles. */
function withActor(trigger: NotificationTrigger, actor: NotificationActor): NotificationTrigger {
  if (trigger.kind === 'assignment') return { ...trigger, actor };
  if (trigger.kind === 'message' && trigger.author.id === actor.id && trigger.author.type === actor.type)
    return { ...trigger, author: actor };
  return trigger;
}

function collectUsers(
  audience: ReturnType<typeof decideNotifications>[number]['audience'],
  into: Set<string>,
): void {
  if (audience.kind === 'users') audience.userIds.forEach((id) => into.add(id));
  else if (audience.kind === 'first') audience.steps.forEach((s) => collectUsers(s, into));
  else if (audience.kind === 'all') audience.parts.forEach((p) => collectUsers(p, into));
}
