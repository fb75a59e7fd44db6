import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '../api/client';
import { api } from './state';

// The names behind ids (users, teams, clients), fetched once and shared by every page. Every signed-in agent reads
// the tenant's users and teams (ADR 50): the pickers, the names in the thread and history, and @mention completion.
const LONG = 300_000;

type Page<T> = { items: T[]; nextCursor: string | null };

/** Every page of a list, 200 at a time (a tenant has tens of agents, rarely more than one page). */
async function all<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    staleTime: LONG,
    queryFn: (): Promise<Schemas['User'][]> =>
      all((cursor) =>
        unwrap(
          api.GET('/api/v1/users', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }),
        ),
      ),
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    staleTime: LONG,
    queryFn: (): Promise<Schemas['Team'][]> =>
      all((cursor) =>
        unwrap(
          api.GET('/api/v1/teams', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }),
        ),
      ),
  });
}

export function useClients() {
  return useQuery({
    queryKey: ['clients'],
    staleTime: 60_000,
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/clients', { params: { query: { limit: 200 } } }))).items,
  });
}

export function useTicketSettings() {
  return useQuery({
    queryKey: ['ticket-settings'],
    staleTime: LONG,
    queryFn: () => unwrap(api.GET('/api/v1/ticket-settings')),
  });
}

export function nameOf(
  list: ReadonlyArray<{ id: string; name: string }> | undefined,
  id: string | null,
): string {
  if (!id) return '—';
  return list?.find((x) => x.id === id)?.name ?? 'someone';
}
