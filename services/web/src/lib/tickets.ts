// The ticket list's views and filters, kept in the address (?view=mine&status=open&q=printer) so that a list can be
// reloaded, bookmarked and gone back to.

export const STATUSES = [
  'open',
  'in_progress',
  'waiting_on_customer',
  'waiting_on_third_party',
  'resolved',
  'closed',
] as const;
export type Status = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly Status[] = STATUSES.filter((s) => s !== 'resolved' && s !== 'closed');

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const VIEWS = [
  { id: 'mine', label: 'Mine' },
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'open', label: 'All open' },
  { id: 'breached', label: 'SLA breached' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export interface ListFilters {
  view: ViewId;
  status?: Status;
  priority?: Priority;
  q?: string;
}

/** The query of GET /tickets for a view and its filters. */
export interface TicketQuery {
  status?: string[];
  priority?: string[];
  assigneeId?: string[];
  slaState?: 'breached';
  q?: string;
  sort: '-updatedAt' | 'relevance';
  limit: number;
}

export function ticketQuery(filters: ListFilters, limit = 50): TicketQuery {
  // a chosen status replaces the view's "not resolved or closed"
  const query: TicketQuery = {
    status: filters.status ? [filters.status] : [...OPEN_STATUSES],
    sort: filters.q ? 'relevance' : '-updatedAt',
    limit,
  };
  if (filters.priority) query.priority = [filters.priority];
  if (filters.q) query.q = filters.q;
  switch (filters.view) {
    case 'mine':
      query.assigneeId = ['me'];
      break;
    case 'unassigned':
      query.assigneeId = ['none'];
      break;
    case 'breached':
      query.slaState = 'breached';
      break;
    case 'open':
      break;
  }
  return query;
}

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T =>
  value !== null && (list as readonly string[]).includes(value);

/** The filters in a search string (`?view=…`); unknown values fall back to the defaults. */
export function filtersFromSearch(search: string): ListFilters {
  const params = new URLSearchParams(search);
  const view = params.get('view');
  const status = params.get('status');
  const priority = params.get('priority');
  const q = params.get('q')?.trim();
  return {
    view: isOneOf(
      VIEWS.map((v) => v.id),
      view,
    )
      ? view
      : 'open',
    ...(isOneOf(STATUSES, status) ? { status } : {}),
    ...(isOneOf(PRIORITIES, priority) ? { priority } : {}),
    ...(q ? { q: q.slice(0, 500) } : {}),
  };
}

export function searchFromFilters(filters: ListFilters): string {
  const params = new URLSearchParams({ view: filters.view });
  if (filters.status) params.set('status', filters.status);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.q) params.set('q', filters.q);
  return params.toString();
}

/** "waiting_on_customer" → "Waiting on customer" */
export function label(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The id beside `current` in `ids` (+1 next, -1 previous); the first when `current` is not in the list. */
export function neighbour(
  ids: readonly string[],
  current: string | undefined,
  step: 1 | -1,
): string | undefined {
  if (ids.length === 0) return undefined;
  const at = current === undefined ? -1 : ids.indexOf(current);
  if (at === -1) return ids[0];
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))];
}

/** Tags as typed, "vpn, urgent, vpn" → ["vpn", "urgent"]. */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
