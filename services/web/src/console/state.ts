import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { createApi } from '../api/client';
import { createSessionStore } from '../api/session';

export const agentSession = createSessionStore('helpdesk.agent.token');
export const api = createApi(agentSession);

export function useAgentToken(): string | undefined {
  return useSyncExternalStore(agentSession.subscribe, agentSession.get);
}

// The order of the last ticket list shown, so that j/k on a ticket page walk through it.
let lastListOrder: readonly string[] = [];
export const ticketOrder = {
  get: () => lastListOrder,
  set: (ids: readonly string[]) => {
    lastListOrder = ids;
  },
};

/** An editor's save succeeded: its list is read again and the editor closes. */
export function savedThen(queryClient: QueryClient, list: string, close: () => void) {
  return () => {
    void queryClient.invalidateQueries({ queryKey: [list] });
    close();
  };
}
