// A Server-Sent Events client for the system tests: reads one stream as a browser's EventSource would (ids,
// event names, data, comments), with the token in the Authorization header.
import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are JSON, checked field by field
  data: any;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  comments: string[];
  /** The last `id:` seen (what a browser would send as Last-Event-ID). */
  lastEventId: string | undefined;
  /** Resolves with the first event (from the start of the stream) that matches, or rejects after `timeoutMs`. */
  next(what: string, match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Whether the server ended the stream. */
  ended: boolean;
  close(): void;
}

export function openSse(
  url: string,
  opts: { token?: string; lastEventId?: string; query?: string } = {},
): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
    const req = http.get(url + (opts.query ?? ''), { headers }, (res) => {
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        events: [],
        comments: [],
        lastEventId: undefined,
        ended: false,
        async next(what, match, timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          while (Date.now() < deadline) {
            const found = stream.events.find(match);
            if (found) return found;
            await new Promise((r) => setTimeout(r, 25));
          }
          throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(stream.events)}`);
        },
        close() {
          req.destroy();
        },
      };
      let buffer = '';
      let body = '';
      let current: { id?: string; event?: string; data: string[] } = { data: [] };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (stream.status !== 200) {
          body += chunk;
          return;
        }
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (current.id !== undefined) stream.lastEventId = current.id;
            if (current.data.length > 0) {
              const raw = current.data.join('\n');
              let data: unknown = raw;
              try {
                data = JSON.parse(raw);
              } catch {
                // not JSON: kept as text
              }
              stream.events.push({ id: current.id, event: current.event ?? 'message', data });
            }
            current = { data: [] };
          } else if (line.startsWith(':')) {
            stream.comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
            else if (field === 'data') current.data.push(value);
          }
        }
      });
      res.on('end', () => {
        stream.ended = true;
        if (stream.status !== 200) stream.events.push({ id: undefined, event: 'http-error', data: body });
      });
      res.on('error', () => {
        stream.ended = true;
      });
      resolve(stream);
    });
    req.on('error', reject);
  });
}
