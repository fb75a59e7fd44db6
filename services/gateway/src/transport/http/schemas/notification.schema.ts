import { NOTIFICATION_TYPES } from '@helpdesk/contracts';
import { z } from 'zod';
import { isoDateTime, pageQueryShape } from './common.schema';

/** SPEC §6 (and ADR 42): the notification types, each a switch per channel. */
export { NOTIFICATION_TYPES };

export const notificationSchema = z
  .object({
    id: z.string(),
    type: z.enum(NOTIFICATION_TYPES),
    ticketId: z.string().nullable(),
    ticketNumber: z.number().int().nullable(),
    title: z.string(),
    body: z.string(),
    actor: z.object({
      type: z.enum(['user', 'contact', 'api_key', 'automation', 'system']),
      id: z
        .string()
        .nullable()
        .meta({ description: "The principal's id (a rule's for automation); null for the system" }),
      name: z.string().nullable(),
    }),
    createdAt: isoDateTime(),
    readAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Notification' });

export const notificationPageSchema = z
  .object({
    items: z.array(notificationSchema),
    nextCursor: z.string().nullable().meta({ description: 'Cursor of the next page; null on the last page' }),
    unreadCount: z.number().int().meta({ description: "The caller's unread notifications in all" }),
  })
  .meta({ id: 'NotificationPage' });

export const notificationsQuerySchema = z.strictObject({
  ...pageQueryShape,
  unread: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .meta({ description: 'Only unread notifications' }),
});

export const markReadBodySchema = z.union([
  z.strictObject({
    ids: z
      .array(z.guid())
      .max(500)
      .meta({ description: 'Notifications to mark read; ids of others are ignored' }),
  }),
  z.strictObject({ all: z.literal(true).meta({ description: 'Mark every unread notification read' }) }),
]);

export const unreadCountSchema = z.object({ unreadCount: z.number().int() }).meta({ id: 'UnreadCount' });

const switches = z.object(
  Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, z.boolean()])) as {
    [K in (typeof NOTIFICATION_TYPES)[number]]: z.ZodBoolean;
  },
);
const partialSwitches = z.strictObject(
  Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, z.boolean().optional()])) as {
    [K in (typeof NOTIFICATION_TYPES)[number]]: z.ZodOptional<z.ZodBoolean>;
  },
);

export const notificationPreferencesSchema = z
  .object({ inApp: switches, email: switches })
  .meta({ id: 'NotificationPreferences' });

export const notificationPreferencesPatchSchema = z
  .strictObject({ inApp: partialSwitches.optional(), email: partialSwitches.optional() })
  .meta({ id: 'NotificationPreferencesPatch' });
