import type { notificationFeedV1 } from '@helpdesk/contracts';
import type { z } from 'zod';
import {
  NOTIFICATION_TYPES,
  type notificationPreferencesSchema,
  type notificationSchema,
} from '../schemas/notification.schema';

export type NotificationDto = z.input<typeof notificationSchema>;
export type NotificationPreferencesDto = z.input<typeof notificationPreferencesSchema>;

const ACTOR_TYPES = ['user', 'contact', 'api_key', 'automation', 'system'] as const;

/** A notification as REST and the live stream show it (SPEC §6). */
export function toNotificationDto(n: notificationFeedV1.Notification): NotificationDto {
  const actorType = (ACTOR_TYPES as readonly string[]).includes(n.actor?.type ?? '')
    ? (n.actor!.type as (typeof ACTOR_TYPES)[number])
    : 'system';
  return {
    id: n.id,
    type: n.type as NotificationDto['type'],
    ticketId: n.ticketId || null,
    ticketNumber: n.ticketId ? Number(n.ticketNumber) : null,
    title: n.title,
    body: n.body,
    actor: { type: actorType, id: n.actor?.id || null, name: n.actor?.name || null },
    createdAt: (n.createdAt ?? new Date(0)).toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}

function switchesOf(types: Record<string, boolean> | undefined) {
  return Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, types?.[t] === true])) as Record<
    (typeof NOTIFICATION_TYPES)[number],
    boolean
  >;
}

export function toPreferencesDto(
  p: notificationFeedV1.NotificationPreferences | undefined,
): NotificationPreferencesDto {
  return { inApp: switchesOf(p?.inApp?.types), email: switchesOf(p?.email?.types) };
}

/** Only the switches given: a PATCH changes those and keeps the rest. */
export function toPreferenceChanges(body: {
  inApp?: Partial<Record<string, boolean | undefined>> | undefined;
  email?: Partial<Record<string, boolean | undefined>> | undefined;
}): notificationFeedV1.NotificationPreferences {
  const given = (s: Partial<Record<string, boolean | undefined>> | undefined) => ({
    types: Object.fromEntries(
      Object.entries(s ?? {}).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'),
    ),
  });
  return { inApp: given(body.inApp), email: given(body.email) };
}
