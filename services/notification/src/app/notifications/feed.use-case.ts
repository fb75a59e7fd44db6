import { decodeKeysetCursor, encodeKeysetCursor, invalidArgument } from '@helpdesk/platform';
import { NOTIFICATION_TYPES, effectivePreferences, type Preferences } from '../../domain/notifications';
import type { Clock } from '../ports';
import type { FeedPage, FeedStore } from './ports';

export const FEED_PAGE_DEFAULT = 50;
export const FEED_PAGE_MAX = 200;
export const MARK_READ_MAX_IDS = 500;

/** Partial switches of a preferences update: channel → type → on. */
export interface PreferenceChanges {
  inApp?: Record<string, boolean>;
  email?: Record<string, boolean>;
}

/** A user's in-app feed and preferences; every call is scoped to one tenant and one user. */
export class FeedUseCase {
  constructor(private readonly deps: { store: FeedStore; clock: Clock }) {}

  async list(
    tenantId: string,
    userId: string,
    options: { unreadOnly: boolean; limit?: number; cursor?: string },
  ): Promise<FeedPage> {
    const limit = Math.min(Math.max(options.limit || FEED_PAGE_DEFAULT, 1), FEED_PAGE_MAX);
    let after: { at: Date; id: string } | null = null;
    if (options.cursor) {
      try {
        after = decodeKeysetCursor(options.cursor);
      } catch {
        throw invalidArgument('cursor is not valid');
      }
    }
    const { store } = this.deps;
    const rows = await store.list(tenantId, userId, {
      unreadOnly: options.unreadOnly,
      limit: limit + 1,
      after,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeKeysetCursor({ at: last.createdAt, id: last.id }) : null;
    return { items, nextCursor, unreadCount: await store.unreadCount(tenantId, userId) };
  }

  async markRead(
    tenantId: string,
    userId: string,
    target: { ids: string[] } | { all: true },
  ): Promise<number> {
    const { store, clock } = this.deps;
    if ('all' in target) {
      await store.markRead(tenantId, userId, 'all', clock.now());
    } else {
      if (target.ids.length > MARK_READ_MAX_IDS) {
        throw invalidArgument(`at most ${MARK_READ_MAX_IDS} ids at once; use {all: true}`);
      }
      if (target.ids.length > 0) await store.markRead(tenantId, userId, target.ids, clock.now());
    }
    return store.unreadCount(tenantId, userId);
  }

  async preferences(tenantId: string, userId: string): Promise<Preferences> {
    return effectivePreferences(await this.deps.store.preferences(tenantId, userId));
  }

  async updatePreferences(
    tenantId: string,
    userId: string,
    changes: PreferenceChanges,
  ): Promise<Preferences> {
    const unknown = [...Object.keys(changes.inApp ?? {}), ...Object.keys(changes.email ?? {})].filter(
      (t) => !(NOTIFICATION_TYPES as readonly string[]).includes(t),
    );
    if (unknown.length > 0) {
      throw invalidArgument(`unknown notification types: ${[...new Set(unknown)].join(', ')}`, {
        allowed: [...NOTIFICATION_TYPES],
      });
    }
    const { store, clock } = this.deps;
    // the whole effective set is stored: a later change of the defaults does not flip a user's choice
    const next = effectivePreferences(await store.preferences(tenantId, userId));
    Object.assign(next.inApp, changes.inApp ?? {});
    Object.assign(next.email, changes.email ?? {});
    await store.savePreferences(tenantId, userId, next, clock.now());
    return next;
  }
}
