// The event catalog: every event type on the bus with the events.proto message that is its `data`. Hand-written
// beside the generated code; events.spec.ts checks it against proto/helpdesk/*/v1/events.proto.
import * as automationEvents from './gen/helpdesk/automation/v1/events';
import * as identityEvents from './gen/helpdesk/identity/v1/events';
import * as mailEvents from './gen/helpdesk/mail/v1/events';
import * as notificationEvents from './gen/helpdesk/notification/v1/events';
import * as slaEvents from './gen/helpdesk/sla/v1/events';
import * as ticketEvents from './gen/helpdesk/ticket/v1/events';
import type { Ticket } from './gen/helpdesk/ticket/v1/ticket';
import * as timeEvents from './gen/helpdesk/timekeeping/v1/events';

/** The JSON half of a generated message (ts-proto's `MessageFns`). */
export interface EventMessage<T> {
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

/**
 * Event type (= unprefixed NATS subject, `helpdesk.<domain>.<event>`) → the message of its `data`. The stream is
 * the domain's (`HELPDESK_<DOMAIN>`, see {@link eventDomainOf}). To add an event: its message in events.proto
 * with a `// Data of \`helpdesk.<domain>.<event>\`` comment, `npm run generate`, one line here.
 */
export const EVENT_CATALOG = {
  'helpdesk.identity.tenant_created': identityEvents.TenantCreatedEvent,
  'helpdesk.identity.tenant_updated': identityEvents.TenantCreatedEvent,
  'helpdesk.identity.user_created': identityEvents.UserChangedEvent,
  'helpdesk.identity.user_updated': identityEvents.UserChangedEvent,

  'helpdesk.ticket.created': ticketEvents.TicketCreatedEvent,
  'helpdesk.ticket.updated': ticketEvents.TicketUpdatedEvent,
  'helpdesk.ticket.status_changed': ticketEvents.TicketStatusChangedEvent,
  'helpdesk.ticket.assigned': ticketEvents.TicketAssignedEvent,
  'helpdesk.ticket.message_added': ticketEvents.MessageAddedEvent,
  'helpdesk.ticket.merged': ticketEvents.TicketMergedEvent,
  'helpdesk.ticket.client_created': ticketEvents.ClientCreatedEvent,
  'helpdesk.ticket.client_updated': ticketEvents.ClientUpdatedEvent,
  'helpdesk.ticket.contact_created': ticketEvents.ContactCreatedEvent,
  'helpdesk.ticket.contact_updated': ticketEvents.ContactUpdatedEvent,

  'helpdesk.mail.received': mailEvents.MailReceivedEvent,
  'helpdesk.mail.mailbox_needs_reauthorization': mailEvents.MailboxNeedsReauthorizationEvent,

  'helpdesk.sla.warning': slaEvents.TicketSlaEvent,
  'helpdesk.sla.breached': slaEvents.TicketSlaEvent,
  'helpdesk.sla.met': slaEvents.TicketSlaEvent,
  'helpdesk.sla.updated': slaEvents.TicketSlaEvent,

  'helpdesk.time.timer_started': timeEvents.TimerStartedEvent,
  'helpdesk.time.timer_stopped': timeEvents.TimerStoppedEvent,
  'helpdesk.time.entry_created': timeEvents.EntryCreatedEvent,
  'helpdesk.time.entry_updated': timeEvents.EntryUpdatedEvent,
  'helpdesk.time.entry_deleted': timeEvents.EntryDeletedEvent,

  'helpdesk.automation.notify_requested': automationEvents.NotifyRequestedEvent,
  'helpdesk.automation.rule_fired': automationEvents.RuleRunEvent,
  'helpdesk.automation.run_completed': automationEvents.RuleRunEvent,

  'helpdesk.notify.created': notificationEvents.NotificationCreatedEvent,
} as const satisfies Record<
  `helpdesk.${string}.${string}`,
  { fromJSON(object: unknown): object; toJSON(message: never): unknown }
>;

type Catalog = typeof EVENT_CATALOG;

/** Every event type in the catalog. */
export type EventType = keyof Catalog;

/** The decoded `data` of an event type. */
export type EventData<K extends EventType> = Catalog[K] extends { fromJSON(object: unknown): infer T }
  ? T
  : never;

/** One event as type and decoded data; a `switch (event.type)` narrows `data`. */
export type CatalogEvent = { [K in EventType]: { type: K; data: EventData<K> } }[EventType];

/** The event types of one domain, e.g. `EventTypeOf<'ticket'>`. */
export type EventTypeOf<D extends string> = Extract<EventType, `helpdesk.${D}.${string}`>;

/** The events of one domain, e.g. `CatalogEventOf<'identity'>` (what its service publishes). */
export type CatalogEventOf<D extends string> = Extract<CatalogEvent, { type: EventTypeOf<D> }>;

/** All catalog types, in catalog order. */
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

/** The catalog types of one domain (stream), e.g. `eventTypesOf('ticket')`. */
export function eventTypesOf<D extends string>(domain: D): Array<EventTypeOf<D>> {
  return EVENT_TYPES.filter((t): t is EventTypeOf<D> => eventDomainOf(t) === domain);
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOG, type);
}

/** The domain of an event type (`helpdesk.time.entry_created` → `time`), which names its stream. */
export function eventDomainOf(type: EventType): string {
  return type.split('.')[1]!;
}

/** Thrown by {@link decodeEvent} for a type this build does not know (a newer producer's event). */
export class UnknownEventTypeError extends Error {
  constructor(readonly type: string) {
    super(`unknown event type "${type}": not in the event catalog (libs/contracts/src/events.ts)`);
    this.name = 'UnknownEventTypeError';
  }
}

function messageOf(type: EventType): EventMessage<unknown> {
  return EVENT_CATALOG[type] as EventMessage<unknown>;
}

/** The proto JSON of an event's `data`, exactly as the envelope carries it. */
export function encodeEvent<K extends EventType>(type: K, data: EventData<K>): unknown {
  return messageOf(type).toJSON(data);
}

/** Decodes an envelope's `type` and proto JSON `data`; throws {@link UnknownEventTypeError} for an unknown type. */
export function decodeEvent(type: string, data: unknown): CatalogEvent {
  if (!isEventType(type)) throw new UnknownEventTypeError(type);
  return { type, data: messageOf(type).fromJSON(data) } as CatalogEvent;
}

/** The `default` of an exhaustive `switch`: fails to compile when a case is missing. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * The tickets an event carries, each as committed by the change (a merge carries both tickets); none for events
 * that carry no ticket. Consumers keeping a copy of tickets read them from here.
 */
export function ticketsOfEvent(event: CatalogEvent): Array<Ticket | undefined> {
  switch (event.type) {
    case 'helpdesk.ticket.created':
    case 'helpdesk.ticket.updated':
    case 'helpdesk.ticket.status_changed':
    case 'helpdesk.ticket.assigned':
    case 'helpdesk.ticket.message_added':
      return [event.data.ticket];
    case 'helpdesk.ticket.merged':
      return [event.data.ticket, event.data.into];
    case 'helpdesk.ticket.client_created':
    case 'helpdesk.ticket.client_updated':
    case 'helpdesk.ticket.contact_created':
    case 'helpdesk.ticket.contact_updated':
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
    case 'helpdesk.notify.created':
      return [];
    default:
      return assertNever(event, 'event');
  }
}
