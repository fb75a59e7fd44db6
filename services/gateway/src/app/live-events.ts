// The live event stream of SPEC §6 (GET /events, GET /portal/events): which bus event becomes which SSE event for
// whom, and the event ids that let a client resume on any gateway replica (docs/product/notifications.md, ADR 32).
import type { CatalogEvent, notificationFeedV1, ticketV1 } from '@helpdesk/contracts';

/** The two streams the live events come from. */
export type LiveStream = 'ticket' | 'notify';

/**
 * Where a client stands in both streams: the JetStream sequences of the last ticket and notify messages it has
 * passed. Sequences are the stream's, the same on every replica, so the id is good on any of them.
 */
export interface StreamPosition {
  ticket: number;
  notify: number;
}

/** `<ticket seq>.<notify seq>`, the SSE `id:` of every event. */
export function formatEventId(p: StreamPosition): string {
  return `${p.ticket}.${p.notify}`;
}

/** The position a Last-Event-ID names; null for a missing or foreign one (the client then starts live). */
export function parseEventId(raw: string | undefined): StreamPosition | null {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec((raw ?? '').trim());
  if (!m) return null;
  return { ticket: Number(m[1]), notify: Number(m[2]) };
}

/** The ticket as every agent event carries it, plus the fields the portal's visibility needs. */
export interface LiveTicket {
  id: string;
  number: number;
  title: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  teamId: string | null;
  clientId: string | null;
  contactId: string | null;
  updatedAt: string | null;
}

/** What one bus message means for the live streams (most mean nothing). */
export type LiveEvent =
  | {
      stream: 'ticket';
      seq: number;
      tenantId: string;
      type: 'ticket.created' | 'ticket.updated' | 'ticket.message_added' | 'ticket.merged';
      ticket: LiveTicket;
      /** Whether a customer could see this change (not an internal note, not an internal field). */
      public: boolean;
    }
  | {
      stream: 'ticket';
      seq: number;
      tenantId: string;
      type: 'contact.updated';
      contact: PortalViewer;
    }
  | {
      stream: 'notify';
      seq: number;
      tenantId: string;
      type: 'notification';
      userId: string;
      notification: notificationFeedV1.Notification;
    }
  | { stream: LiveStream; seq: number; tenantId: string; type: 'none' };

/** A contact's portal visibility (docs/product/portal.md). */
export interface PortalViewer {
  contactId: string;
  clientId: string | null;
  /** `none`, `own` or `client`. */
  portalAccess: string;
}

/** Who a stream is for. */
export type LiveAudience =
  | {
      kind: 'agent';
      tenantId: string;
      /** null for an API key: it has no notifications */ userId: string | null;
    }
  | { kind: 'contact'; tenantId: string; viewer: PortalViewer };

// fields of a ticket a customer sees in the portal; a change of anything else is internal
const PUBLIC_FIELDS = new Set([
  'status',
  'priority',
  'title',
  'description',
  'type',
  'category',
  'cc',
  'resolutionDetails',
  'rating',
  'contactId',
  'clientId',
]);
const PUBLIC_MESSAGE_KINDS = new Set(['public_reply', 'email_in', 'email_out']);

function liveTicket(t: ticketV1.Ticket): LiveTicket {
  return {
    id: t.id,
    number: Number(t.number),
    title: t.title,
    status: t.status,
    priority: t.priority,
    assigneeId: t.assigneeId || null,
    teamId: t.teamId || null,
    clientId: t.clientId || null,
    contactId: t.contactId || null,
    updatedAt: t.updatedAt ? t.updatedAt.toISOString() : null,
  };
}

/**
 * The live meaning of a decoded bus event. `updated` stands for every field change (status and assignment
 * publish it beside their specific events, which are therefore not sent again).
 */
export function liveEventOf(
  stream: LiveStream,
  seq: number,
  tenantId: string,
  event: CatalogEvent | null,
): LiveEvent {
  const none = { stream, seq, tenantId, type: 'none' as const };
  if (!event) return none;
  switch (event.type) {
    case 'helpdesk.ticket.created':
      return event.data.ticket
        ? {
            stream: 'ticket',
            seq,
            tenantId,
            type: 'ticket.created',
            ticket: liveTicket(event.data.ticket),
            public: true,
          }
        : none;
    case 'helpdesk.ticket.updated':
      return event.data.ticket
        ? {
            stream: 'ticket',
            seq,
            tenantId,
            type: 'ticket.updated',
            ticket: liveTicket(event.data.ticket),
            public: event.data.changes.some((c) => PUBLIC_FIELDS.has(c.field)),
          }
        : none;
    case 'helpdesk.ticket.message_added':
      return event.data.ticket
        ? {
            stream: 'ticket',
            seq,
            tenantId,
            type: 'ticket.message_added',
            ticket: liveTicket(event.data.ticket),
            public: PUBLIC_MESSAGE_KINDS.has(event.data.message?.kind ?? ''),
          }
        : none;
    case 'helpdesk.ticket.merged':
      return event.data.ticket
        ? {
            stream: 'ticket',
            seq,
            tenantId,
            type: 'ticket.merged',
            ticket: liveTicket(event.data.ticket),
            public: true,
          }
        : none;
    case 'helpdesk.ticket.contact_created':
    case 'helpdesk.ticket.contact_updated': {
      const c = event.data.contact;
      return c
        ? {
            stream: 'ticket',
            seq,
            tenantId,
            type: 'contact.updated',
            contact: { contactId: c.id, clientId: c.clientId || null, portalAccess: c.portalAccess },
          }
        : none;
    }
    case 'helpdesk.notify.created': {
      const n = event.data.notification;
      return n?.userId
        ? { stream: 'notify', seq, tenantId, type: 'notification', userId: n.userId, notification: n }
        : none;
    }
    case 'helpdesk.ticket.status_changed':
    case 'helpdesk.ticket.assigned':
    case 'helpdesk.ticket.client_created':
    case 'helpdesk.ticket.client_updated':
    case 'helpdesk.identity.tenant_created':
    case 'helpdesk.identity.tenant_updated':
    case 'helpdesk.identity.user_created':
    case 'helpdesk.identity.user_updated':
    case 'helpdesk.mail.received':
    case 'helpdesk.mail.mailbox_needs_reauthorization':
    case 'helpdesk.sla.warning':
    case 'helpdesk.sla.breached':
    case 'helpdesk.sla.met':
    case 'helpdesk.sla.updated':
    case 'helpdesk.time.timer_started':
    case 'helpdesk.time.timer_stopped':
    case 'helpdesk.time.entry_created':
    case 'helpdesk.time.entry_updated':
    case 'helpdesk.time.entry_deleted':
    case 'helpdesk.automation.notify_requested':
    case 'helpdesk.automation.rule_fired':
    case 'helpdesk.automation.run_completed':
      // status and assignment changes arrive as `updated` too; the rest are no ticket changes
      return none;
    default:
      return none;
  }
}

/** SPEC §2 visibility of a ticket in the portal. */
export function contactMaySee(
  viewer: PortalViewer,
  ticket: Pick<LiveTicket, 'contactId' | 'clientId'>,
): boolean {
  if (viewer.portalAccess === 'own') return ticket.contactId === viewer.contactId;
  if (viewer.portalAccess === 'client')
    return (
      ticket.contactId === viewer.contactId ||
      (viewer.clientId !== null && ticket.clientId === viewer.clientId)
    );
  return false;
}

/** One SSE event to write: its `event:` name and its JSON `data:`. */
export interface SseMessage {
  event: 'ticket' | 'notification';
  data: unknown;
}

/**
 * The SSE message of a live event for one audience, or null when it is not theirs: ticket changes of the tenant
 * for agents, a notification to its recipient only, the public changes of the tickets a contact may see.
 */
export function messageFor(
  event: LiveEvent,
  audience: LiveAudience,
  toNotification: (n: notificationFeedV1.Notification) => unknown,
): SseMessage | null {
  if (event.tenantId !== audience.tenantId) return null;
  switch (event.type) {
    case 'none':
    case 'contact.updated':
      return null;
    case 'notification':
      return audience.kind === 'agent' && audience.userId !== null && audience.userId === event.userId
        ? { event: 'notification', data: toNotification(event.notification) }
        : null;
    case 'ticket.created':
    case 'ticket.updated':
    case 'ticket.message_added':
    case 'ticket.merged': {
      const t = event.ticket;
      if (audience.kind === 'agent') {
        return {
          event: 'ticket',
          data: {
            type: event.type,
            ticket: {
              id: t.id,
              number: t.number,
              title: t.title,
              status: t.status,
              priority: t.priority,
              assigneeId: t.assigneeId,
              teamId: t.teamId,
              clientId: t.clientId,
              updatedAt: t.updatedAt,
            },
          },
        };
      }
      if (!event.public || !contactMaySee(audience.viewer, t)) return null;
      // the portal's view: nothing that names agents or teams
      return {
        event: 'ticket',
        data: {
          type: event.type,
          ticket: {
            id: t.id,
            number: t.number,
            title: t.title,
            status: t.status,
            priority: t.priority,
            updatedAt: t.updatedAt,
          },
        },
      };
    }
  }
}

/** A contact's visibility after a contact event of its own tenant (portal access or client changed). */
export function viewerAfter(event: LiveEvent, audience: LiveAudience): LiveAudience {
  if (
    audience.kind === 'contact' &&
    event.type === 'contact.updated' &&
    event.tenantId === audience.tenantId &&
    event.contact.contactId === audience.viewer.contactId
  ) {
    return { ...audience, viewer: event.contact };
  }
  return audience;
}
