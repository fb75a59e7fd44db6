import { GatewayError } from '../../../app/errors';
import type { TenantPrincipal } from '../../../app/principal';
import { toNotificationDto, toPreferenceChanges, toPreferencesDto } from '../mappers/notification.mapper';
import { defineRoute, type AnyRoute } from '../route';
import {
  markReadBodySchema,
  notificationPageSchema,
  notificationPreferencesPatchSchema,
  notificationPreferencesSchema,
  notificationsQuerySchema,
  unreadCountSchema,
} from '../schemas/notification.schema';
import type { RouteDeps } from './route-deps';

function signedInUser(principal: TenantPrincipal): { tenantId: string; userId: string } {
  if (principal.actor !== 'USER') {
    throw new GatewayError('INVALID_ARGUMENT', 'Notifications belong to signed-in agents, not API keys');
  }
  return { tenantId: principal.tenantId, userId: principal.userId };
}

/** The caller's in-app notifications and notification preferences (SPEC §6). */
export function notificationRoutes(deps: RouteDeps): AnyRoute[] {
  const feed = deps.notificationFeed;
  return [
    defineRoute({
      method: 'get',
      path: '/me/notifications',
      operationId: 'listMyNotifications',
      summary: "The signed-in agent's notifications, newest first, with the unread count",
      tag: 'me',
      access: 'tenant',
      query: notificationsQuerySchema,
      response: { status: 200, description: 'A page of notifications', schema: notificationPageSchema },
      handle: async ({ principal, query }) => {
        const page = await feed.listNotifications({
          ...signedInUser(principal),
          unreadOnly: query.unread,
          page: { limit: query.limit, cursor: query.cursor ?? '' },
        });
        return {
          items: page.items.map(toNotificationDto),
          nextCursor: page.nextCursor || null,
          unreadCount: page.unreadCount,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/me/notifications/read',
      operationId: 'markMyNotificationsRead',
      summary: 'Mark some (`ids`) or all (`all: true`) of the caller’s notifications read',
      tag: 'me',
      access: 'tenant',
      body: markReadBodySchema,
      response: { status: 200, description: 'The unread count after', schema: unreadCountSchema },
      handle: async ({ principal, body }) => {
        const { unreadCount } = await feed.markNotificationsRead({
          ...signedInUser(principal),
          ids: 'ids' in body ? body.ids : [],
          all: 'all' in body,
        });
        return { unreadCount };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/notification-preferences',
      operationId: 'getMyNotificationPreferences',
      summary: 'Which notification types reach the caller in-app and by e-mail',
      tag: 'me',
      access: 'tenant',
      response: {
        status: 200,
        description: 'Every type of both channels',
        schema: notificationPreferencesSchema,
      },
      handle: async ({ principal }) =>
        toPreferencesDto((await feed.getNotificationPreferences(signedInUser(principal))).preferences),
    }),
    defineRoute({
      method: 'patch',
      path: '/me/notification-preferences',
      operationId: 'updateMyNotificationPreferences',
      summary: 'Switch notification types per channel; types left out keep their setting',
      tag: 'me',
      access: 'tenant',
      body: notificationPreferencesPatchSchema,
      response: {
        status: 200,
        description: 'Every type of both channels',
        schema: notificationPreferencesSchema,
      },
      handle: async ({ principal, body }) =>
        toPreferencesDto(
          (
            await feed.updateNotificationPreferences({
              ...signedInUser(principal),
              changes: toPreferenceChanges(body),
            })
          ).preferences,
        ),
    }),
  ];
}
