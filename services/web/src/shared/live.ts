// Live updates for the console (GET /api/v1/events) and the portal (GET /api/v1/portal/events), SPEC §6: read with
// fetch, since EventSource cannot send the Authorization header, and the token must never go into a URL. A ticket
// change refreshes the lists and that ticket's page; a notification refreshes the bell. After a drop the stream
// reconnects with Last-Event-ID, so the gateway replays what was missed.
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createSseParser, reconnectDelayMs, type SseMessage } from '../lib/sse';
import type { SessionStore } from '../api/session';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

// a burst of changes (an import, a rule firing on many tickets) refetches a list once, not once per change
const LIST_REFRESH_MS = 300;

function applyTo(queryClient: QueryClient): (message: SseMessage) => void {
  let listTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshLists = () => {
    if (listTimer) return;
    listTimer = setTimeout(() => {
      listTimer = undefined;
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    }, LIST_REFRESH_MS);
  };
  return (message) => {
    if (message.event === 'ticket') {
      const change = JSON.parse(message.data) as { ticket?: { id?: string } };
      refreshLists();
      if (change.ticket?.id) void queryClient.invalidateQueries({ queryKey: ['ticket', change.ticket.id] });
    } else if (message.event === 'notification') {
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    }
  };
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Keeps the stream at `path` open while the session has a token; answers its state for the top bar. */
export function useLiveEvents(path: string, session: SessionStore, token: string | undefined): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    if (!token) return;
    const abort = new AbortController();
    const apply = applyTo(queryClient);
    let lastEventId: string | undefined;
    let failures = 0;
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const headers: Record<string, string> = {
            Authorization: `Bearer ${token}`,
            Accept: 'text/event-stream',
          };
          if (lastEventId) headers['Last-Event-ID'] = lastEventId;
          const res = await fetch(path, { headers, signal: abort.signal, cache: 'no-store' });
          if (res.status === 401) {
            session.clear();
            return;
          }
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
          failures = 0;
          setStatus('live');
          // what changed while the stream was down is not in the caches: look again once
          if (lastEventId === undefined) void queryClient.invalidateQueries({ queryKey: ['notifications'] });
          const feed = createSseParser((message) => {
            if (message.id) lastEventId = message.id;
            apply(message);
          });
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            feed(value);
          }
        } catch {
          if (abort.signal.aborted) return;
        }
        failures += 1;
        setStatus('reconnecting');
        await pause(reconnectDelayMs(failures), abort.signal);
      }
    };
    void run();
    return () => abort.abort();
  }, [path, session, token, queryClient]);
  return status;
}
