import { useQuery } from '@tanstack/react-query';
import { unwrap, type Schemas } from '../api/client';
import { ApiError } from '../api/errors';
import { api } from './state';

// The names behind ids (users, teams, clients), fetched once and shared by every page. Users and teams are listed
// to admins only: for an agent the lists are empty and the pages show what they can.
const LONG = 300_000;

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    staleTime: LONG,
    queryFn: async (): Promise<Schemas['User'][]> => {
      try {
        return (await unwrap(api.GET('/api/v1/users', { params: { query: { limit: 200 } } }))).items;
      } catch (err) {
        if (err instanceof ApiError && err.status === 403) return [];
        throw err;
      }
    },
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    staleTime: LONG,
    queryFn: async (): Promise<Schemas['Team'][]> => {
      try {
        return (await unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 200 } } }))).items;
      } catch (err) {
        if (err instanceof ApiError && err.status === 403) return [];
        throw err;
      }
    },
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
