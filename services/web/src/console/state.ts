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
