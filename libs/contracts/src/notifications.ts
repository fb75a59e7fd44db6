// The notification types of SPEC §6 (and of ADR 42's extension for the tenant's admins), hand-written beside the
// generated code: the notification service decides them, the gateway validates preferences and feeds with them.

/** Every notification type, in the order the preferences list them. */
export const NOTIFICATION_TYPES = [
  'assigned',
  'mentioned',
  'team_ticket',
  'customer_replied',
  'sla_warning',
  'sla_breached',
  'automation',
  'webhook_disabled',
  'mailbox_reauthorization',
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The types sent by e-mail unless the user switched them off: what an agent or admin must act on. */
export const EMAIL_ON_BY_DEFAULT: readonly NotificationType[] = [
  'sla_breached',
  'webhook_disabled',
  'mailbox_reauthorization',
];

export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}
