import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { unwrap } from '../api/client';
import { shortcutFor } from '../lib/shortcuts';
import {
  PRIORITIES,
  STATUSES,
  VIEWS,
  filtersFromSearch,
  neighbour,
  searchFromFilters,
  ticketQuery,
  type ListFilters,
} from '../lib/tickets';
import { formatTime } from '../lib/time';
import { ErrorBox, LabelledOptions, Loading, PriorityBadge, StatusBadge } from '../shared/ui';
import { nameOf, useClients, useUsers } from './lookups';
import { api, ticketOrder } from './state';

export function TicketListPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const filters = filtersFromSearch(search);
  const go = (next: ListFilters) => navigate(`/?${searchFromFilters(next)}`);
  const [q, setQ] = useState(filters.q ?? '');
  // the box follows the address (back, a view tab), as React advises: adjusted while rendering, not in an effect
  const [shownQ, setShownQ] = useState(filters.q);
  if (shownQ !== filters.q) {
    setShownQ(filters.q);
    setQ(filters.q ?? '');
  }

  const list = useQuery({
    queryKey: ['tickets', filters],
    queryFn: () => unwrap(api.GET('/api/v1/tickets', { params: { query: ticketQuery(filters) } })),
    refetchInterval: 30_000,
  });
  const users = useUsers();
  const clients = useClients();
  const items = list.data?.items;
  const [selected, setSelected] = useState<string | undefined>();

  useEffect(() => {
    if (items) ticketOrder.set(items.map((t) => t.id));
  }, [items]);

  // registered before the paint: a key pressed on the rows just shown already sees them
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      const ids = items?.map((t) => t.id) ?? [];
      if (action === 'next' || action === 'previous') {
        e.preventDefault();
        setSelected((current) => neighbour(ids, current, action === 'next' ? 1 : -1));
      } else if (action === 'open' && selected && ids.includes(selected)) {
        e.preventDefault();
        navigate(`/tickets/${selected}`);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected, navigate]);

  useEffect(() => {
    if (selected) document.getElementById(`row-${selected}`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    go({ ...filters, q: q.trim() || undefined });
  };

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">Tickets</h1>
      <nav className="tabs" aria-label="Views">
        {VIEWS.map((v) => (
          <Link
            key={v.id}
            href={`/?${searchFromFilters({ ...filters, view: v.id })}`}
            aria-current={filters.view === v.id ? 'page' : undefined}
          >
            {v.label}
          </Link>
        ))}
      </nav>
      <div className="filters">
        <form role="search" onSubmit={submitSearch}>
          <label>
            Search
            <input
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="Title, text, thread"
            />
          </label>
          <button type="submit">Search</button>
        </form>
        <label>
          Status
          <select
            value={filters.status ?? ''}
            onChange={(e) =>
              go({ ...filters, status: (e.target.value || undefined) as ListFilters['status'] })
            }
          >
            <option value="">Not resolved or closed</option>
            <LabelledOptions values={STATUSES} />
          </select>
        </label>
        <label>
          Priority
          <select
            value={filters.priority ?? ''}
            onChange={(e) =>
              go({ ...filters, priority: (e.target.value || undefined) as ListFilters['priority'] })
            }
          >
            <option value="">Any</option>
            <LabelledOptions values={PRIORITIES} />
          </select>
        </label>
      </div>
      <ErrorBox error={list.error} />
      {list.isPending && <Loading what="tickets" />}
      {items && items.length === 0 && <p className="muted">No tickets in this view.</p>}
      {items && items.length > 0 && (
        <table className="tickets">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Client</th>
              <th scope="col">Assignee</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr
                key={t.id}
                id={`row-${t.id}`}
                className={t.id === selected ? 'selected' : undefined}
                aria-selected={t.id === selected}
              >
                <td>#{t.number}</td>
                <td>
                  <Link href={`/tickets/${t.id}`}>{t.title}</Link>
                  {t.sla?.firstResponse.state === 'breached' || t.sla?.resolution.state === 'breached' ? (
                    <span className="badge breached">SLA breached</span>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>
                  <PriorityBadge priority={t.priority} />
                </td>
                <td>{nameOf(clients.data, t.clientId)}</td>
                <td>{t.assigneeId ? nameOf(users.data, t.assigneeId) : 'Unassigned'}</td>
                <td>{formatTime(t.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.nextCursor && (
        <p className="muted">Showing the first {items?.length}; narrow the view to see more.</p>
      )}
    </section>
  );
}
