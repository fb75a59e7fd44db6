// Events → notifications: identity's users, the ticket read model and the triggers of ticket, SLA and automation
// events (docs/product/notifications.md). Each handler runs in the inbox transaction of its durable.
import { handlingTraceparent, catalogHandler, type EventHandler } from '@helpdesk/bus';
import { commonV1, type ticketV1 } from '@helpdesk/contracts';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { AdminNoticesUseCase } from '../../app/notifications/admin-notices.use-case';
import type { NotifyOutcome, NotifyUseCase, TriggerSource } from '../../app/notifications/notify.use-case';
import type { NotificationActor, TicketFacts } from '../../domain/notifications';
import { PgNotifyStore } from '../../infra/notifications.pg';

/** A bus actor as a notification shows it; the name is filled in where the event knows it. */
export function actorOf(actor: commonV1.Actor | undefined, name = ''): NotificationActor {
  const type = actor?.type;
  if (type === commonV1.ActorType.ACTOR_TYPE_USER) return { type: 'user', id: actor!.id, name };
  if (type === commonV1.ActorType.ACTOR_TYPE_API_KEY)
    return { type: 'api_key', id: actor!.id, name: name || 'API' };
  if (type === commonV1.ActorType.ACTOR_TYPE_CONTACT) return { type: 'contact', id: actor!.id, name };
  // automation's rule actor arrives as the system here until the actor enum has it
  return { type: 'system', id: actor?.id ?? '', name: name || 'System' };
}

function factsOf(ticket: ticketV1.Ticket): TicketFacts & { version: number } {
  return {
    id: ticket.id,
    number: Number(ticket.number),
    title: ticket.title,
    assigneeId: ticket.assigneeId || null,
    teamId: ticket.teamId || null,
    version: ticket.version,
  };
}

export type NotifiedHook = (outcome: NotifyOutcome) => void;

/** `helpdesk.identity.user_created` / `user_updated` → the users read model. */
export function userEventsHandler(): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    if (
      envelope.type !== 'helpdesk.identity.user_created' &&
      envelope.type !== 'helpdesk.identity.user_updated'
    )
      return;
    const u = envelope.data;
    if (!u.userId) return;
    await new PgNotifyStore(tx).upsertUser(
      {
        id: u.userId,
        tenantId: envelope.tenantId,
        name: u.name,
        email: u.email,
        handle: u.handle,
        role: u.role,
        active: u.active,
      },
      new Date(envelope.occurredAt),
    );
  });
}

function sourceOf(
  envelope: { id: string; tenantId: string; traceparent?: string },
  actor: NotificationActor,
) {
  return {
    eventId: envelope.id,
    tenantId: envelope.tenantId,
    actor,
    traceparent: handlingTraceparent(envelope),
  } satisfies TriggerSource;
}

/** Ticket events → the ticket read model, and assignments and messages → notifications. */
export function ticketNotificationsHandler(notify: NotifyUseCase, onNotified: NotifiedHook): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    const store = new PgNotifyStore(tx);
    const now = new Date(envelope.occurredAt);
    if (
      envelope.type === 'helpdesk.ticket.created' ||
      envelope.type === 'helpdesk.ticket.updated' ||
      envelope.type === 'helpdesk.ticket.status_changed' ||
      envelope.type === 'helpdesk.ticket.merged'
    ) {
      if (envelope.data.ticket)
        await store.upsertTicket(envelope.tenantId, factsOf(envelope.data.ticket), now);
      if (envelope.type === 'helpdesk.ticket.merged' && envelope.data.into)
        await store.upsertTicket(envelope.tenantId, factsOf(envelope.data.into), now);
      return;
    }
    if (envelope.type === 'helpdesk.ticket.assigned') {
      {
        const { ticket, actor } = envelope.data;
        if (!ticket) return;
        const facts = factsOf(ticket);
        await store.upsertTicket(envelope.tenantId, facts, now);
        const source = sourceOf(envelope, actorOf(actor));
        onNotified(
          await notify.handle(
            store,
            {
              kind: 'assignment',
              ticket: facts,
              previousAssigneeId: envelope.data.previousAssigneeId || null,
              previousTeamId: envelope.data.previousTeamId || null,
              actor: source.actor,
            },
            source,
          ),
        );
        return;
      }
    }
    if (envelope.type === 'helpdesk.ticket.message_added') {
      {
        const { ticket, message } = envelope.data;
        if (!ticket || !message) return;
        const facts = factsOf(ticket);
        await store.upsertTicket(envelope.tenantId, facts, now);
        const author =
          message.author?.type === commonV1.ActorType.ACTOR_TYPE_CONTACT
            ? actorOf(message.author, message.authorName || ticket.requester?.name || ticket.raisedBy)
            : actorOf(message.author ?? envelope.data.actor, message.authorName);
        const source = sourceOf(envelope, author);
        onNotified(
          await notify.handle(
            store,
            {
              kind: 'message',
              ticket: facts,
              messageKind: message.kind,
              author,
              mentions: message.mentions,
              bodyText: message.bodyText,
            },
            source,
          ),
        );
      }
    }
  });
}

/** `helpdesk.sla.warning` / `breached` → `sla_warning` / `sla_breached`. */
export function slaNotificationsHandler(
  notify: NotifyUseCase,
  onNotified: NotifiedHook,
  logger: Logger,
): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    if (envelope.type !== 'helpdesk.sla.warning' && envelope.type !== 'helpdesk.sla.breached') return;
    const store = new PgNotifyStore(tx);
    const ticket = await notify.ticketFacts(store, envelope.tenantId, envelope.data.ticketId);
    if (!ticket) {
      logger.warn(
        { tenantId: envelope.tenantId, ticketId: envelope.data.ticketId },
        'sla event of an unknown ticket',
      );
      return;
    }
    const source = sourceOf(envelope, { type: 'system', id: '', name: 'SLA' });
    onNotified(
      await notify.handle(
        store,
        {
          kind: 'sla',
          ticket,
          level: envelope.type === 'helpdesk.sla.warning' ? 'warning' : 'breached',
          target: envelope.data.target,
        },
        source,
      ),
    );
  });
}

/** `helpdesk.automation.notify_requested` → `automation` to the users, team or admins the rule names. */
export function automationNotificationsHandler(
  notify: NotifyUseCase,
  onNotified: NotifiedHook,
): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    if (envelope.type !== 'helpdesk.automation.notify_requested') return;
    const d = envelope.data;
    const store = new PgNotifyStore(tx);
    // the event names the ticket; the automation audience needs neither its assignee nor its team
    const ticket: TicketFacts = {
      id: d.ticketId,
      number: Number(d.ticketNumber),
      title: d.ticketTitle,
      assigneeId: null,
      teamId: null,
    };
    const source = sourceOf(envelope, { type: 'automation', id: d.ruleId, name: d.ruleName });
    onNotified(
      await notify.handle(
        store,
        {
          kind: 'automation',
          ticket,
          userIds: d.userIds,
          teamId: d.teamId || null,
          admins: d.admins,
          message: d.message,
          ruleName: d.ruleName,
        },
        source,
      ),
    );
  });
}

const reauthorizationSchema = z.object({
  mailboxId: z.string().regex(/^[0-9a-f-]{36}$/i),
  mailboxName: z.string().max(500),
  mailboxAddress: z.string().max(320),
  provider: z.string().max(40),
  reason: z.string().max(2000),
});

/** mail-ingest's `helpdesk.mail.mailbox_needs_reauthorization` → `mailbox_reauthorization` to the tenant's admins. */
export function mailboxNotificationsHandler(admin: AdminNoticesUseCase, logger: Logger): EventHandler {
  return catalogHandler(async (envelope, tx) => {
    if (envelope.type !== 'helpdesk.mail.mailbox_needs_reauthorization') return;
    const parsed = reauthorizationSchema.safeParse(envelope.data);
    if (!parsed.success) {
      logger.warn({ tenantId: envelope.tenantId, eventId: envelope.id }, 'malformed reauthorization event');
      return;
    }
    const d = parsed.data;
    await admin.mailboxNeedsReauthorization(
      new PgNotifyStore(tx),
      {
        mailboxId: d.mailboxId,
        name: d.mailboxName,
        address: d.mailboxAddress,
        provider: d.provider,
        reason: d.reason,
      },
      { eventId: envelope.id, tenantId: envelope.tenantId, traceparent: handlingTraceparent(envelope) },
    );
  });
}
