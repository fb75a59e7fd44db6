import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { notificationFeedV1 } from '@helpdesk/contracts';
import { unary } from '@helpdesk/grpc';
import type { Logger } from '@helpdesk/platform';
import { z } from 'zod';
import type { FeedUseCase } from '../../app/notifications/feed.use-case';
import type { NotificationRecord } from '../../app/notifications/ports';
import type { Preferences } from '../../domain/notifications';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a uuid')
  .transform((s) => s.toLowerCase());
const scope = { tenantId: uuid, userId: uuid };
const listSchema = z.object({
  ...scope,
  unreadOnly: z.boolean(),
  page: z.object({ limit: z.number().int().min(0).max(200), cursor: z.string().max(512) }).optional(),
});
const markSchema = z.object({
  ...scope,
  // ids that are no uuid name no notification: they are ignored like another user's
  ids: z.array(z.string().max(100)).max(500),
  all: z.boolean(),
});
const switchesSchema = z.object({ types: z.record(z.string().max(40), z.boolean()) }).optional();
const updateSchema = z.object({
  ...scope,
  changes: z.object({ inApp: switchesSchema, email: switchesSchema }).optional(),
});
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toProtoNotification(r: NotificationRecord): notificationFeedV1.Notification {
  return {
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
    readAt: r.readAt ?? undefined,
  };
}

function toProtoPreferences(p: Preferences): notificationFeedV1.NotificationPreferences {
  return { inApp: { types: { ...p.inApp } }, email: { types: { ...p.email } } };
}

/** NotificationFeedService: the in-app feed and the preferences of one user. */
export function feedHandlers(deps: {
  feed: FeedUseCase;
  logger: Logger;
}): notificationFeedV1.NotificationFeedServiceServer & UntypedServiceImplementation {
  const { feed, logger } = deps;
  return {
    listNotifications: unary(async (request: notificationFeedV1.ListNotificationsRequest) => {
      const input = listSchema.parse(request);
      const page = await feed.list(input.tenantId, input.userId, {
        unreadOnly: input.unreadOnly,
        limit: input.page?.limit,
        cursor: input.page?.cursor,
      });
      return {
        items: page.items.map(toProtoNotification),
        nextCursor: page.nextCursor ?? '',
        unreadCount: page.unreadCount,
      };
    }, logger),

    markNotificationsRead: unary(async (request: notificationFeedV1.MarkNotificationsReadRequest) => {
      const input = markSchema.parse(request);
      const unreadCount = await feed.markRead(
        input.tenantId,
        input.userId,
        input.all ? { all: true } : { ids: input.ids.filter((id) => UUID_RE.test(id)) },
      );
      return { unreadCount };
    }, logger),

    getNotificationPreferences: unary(
      async (request: notificationFeedV1.GetNotificationPreferencesRequest) => {
        const input = z.object(scope).parse(request);
        return { preferences: toProtoPreferences(await feed.preferences(input.tenantId, input.userId)) };
      },
      logger,
    ),

    updateNotificationPreferences: unary(
      async (request: notificationFeedV1.UpdateNotificationPreferencesRequest) => {
        const input = updateSchema.parse(request);
        const preferences = await feed.updatePreferences(input.tenantId, input.userId, {
          inApp: input.changes?.inApp?.types,
          email: input.changes?.email?.types,
        });
        return { preferences: toProtoPreferences(preferences) };
      },
      logger,
    ),
  };
}
