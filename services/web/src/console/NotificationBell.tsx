// The notification bell of the top bar (SPEC §6): the unread count, the latest notifications, and marking them
// read. Kept fresh by the live stream (console/live.ts), which refetches ['notifications'] on each new one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { unwrap, type Schemas } from '../api/client';
import { ErrorBox } from '../shared/ui';
import { api } from './state';

type Notification = Schemas['Notification'];

export function NotificationBell() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [, navigate] = useLocation();
  const list = useQuery({
    queryKey: ['notifications'],
    queryFn: () => unwrap(api.GET('/api/v1/me/notifications', { params: { query: { limit: 20 } } })),
  });
  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) =>
      unwrap(api.POST('/api/v1/me/notifications/read', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const unread = list.data?.unreadCount ?? 0;
  const openOne = (n: Notification) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    setOpen(false);
    if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
  };
  return (
    <div className="bell">
      <button
        type="button"
        className="link"
        aria-expanded={open}
        aria-label={`Notifications, ${unread} unread`}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
          />
        </svg>
        {unread > 0 && <span className="count">{unread}</span>}
      </button>
      {open && (
        <section className="panel" aria-label="Notifications">
          <header>
            <strong>Notifications</strong>
            <button
              type="button"
              className="link"
              disabled={unread === 0 || markRead.isPending}
              onClick={() => markRead.mutate({ all: true })}
            >
              Mark all read
            </button>
          </header>
          <ErrorBox error={list.error ?? markRead.error} />
          {list.data?.items.length === 0 && <p className="muted">Nothing yet.</p>}
          <ul>
            {list.data?.items.map((n) => (
              <li key={n.id} className={n.readAt ? undefined : 'unread'}>
                <button type="button" className="link" onClick={() => openOne(n)}>
                  <span className="title">{n.title}</span>
                  <span className="muted">{n.body}</span>
                  <time dateTime={n.createdAt}>{new Date(n.createdAt).toLocaleString()}</time>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
