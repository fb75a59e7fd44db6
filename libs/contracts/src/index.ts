// Generated gRPC and event contracts, one namespace per proto package. Never edit src/gen by hand.
export * as commonV1 from './gen/helpdesk/common/v1/common';
export * as identityV1 from './gen/helpdesk/identity/v1/identity';
export * as identityEventsV1 from './gen/helpdesk/identity/v1/events';
export * as ticketV1 from './gen/helpdesk/ticket/v1/ticket';
export * as ticketEventsV1 from './gen/helpdesk/ticket/v1/events';
export * as directoryV1 from './gen/helpdesk/ticket/v1/directory';
export * as mailV1 from './gen/helpdesk/mail/v1/mail';
export * as mailEventsV1 from './gen/helpdesk/mail/v1/events';
export * as notificationV1 from './gen/helpdesk/notification/v1/notification';
export * as notificationFeedV1 from './gen/helpdesk/notification/v1/feed';
export * as notificationEventsV1 from './gen/helpdesk/notification/v1/events';
export * as webhookV1 from './gen/helpdesk/notification/v1/webhook';
export * as attachmentV1 from './gen/helpdesk/ticket/v1/attachment';
export * as templateV1 from './gen/helpdesk/ticket/v1/template';
export * as ticketSettingsV1 from './gen/helpdesk/ticket/v1/settings';
export * as timekeepingV1 from './gen/helpdesk/timekeeping/v1/timekeeping';
export * as timekeepingEventsV1 from './gen/helpdesk/timekeeping/v1/events';
export * as slaV1 from './gen/helpdesk/sla/v1/sla';
export * as slaEventsV1 from './gen/helpdesk/sla/v1/events';
export * as reportingV1 from './gen/helpdesk/reporting/v1/reporting';
export {
  EVENT_CATALOG,
  EVENT_TYPES,
  UnknownEventTypeError,
  assertNever,
  decodeEvent,
  encodeEvent,
  eventDomainOf,
  eventTypesOf,
  isEventType,
  ticketsOfEvent,
} from './events';
export type { CatalogEvent, CatalogEventOf, EventData, EventMessage, EventType, EventTypeOf } from './events';
export * as automationEventsV1 from './gen/helpdesk/automation/v1/events';
export * as automationV1 from './gen/helpdesk/automation/v1/automation';
export { MESSAGE_KINDS, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from './vocabulary';
export { EMAIL_ON_BY_DEFAULT, NOTIFICATION_TYPES, isNotificationType } from './notifications';
export type { NotificationType } from './notifications';
