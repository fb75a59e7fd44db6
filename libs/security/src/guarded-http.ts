// Outbound HTTP POSTs to user-given URLs behind the SSRF guard: every connection's address checked after DNS
// resolution (the agents' lookup), IP literals checked before connecting, no redirect followed, the answer's body
// read up to a cap, and one deadline over the whole exchange.
import http from 'node:http';
import https from 'node:https';
import { checkUrlShape, guardedLookup, SsrfRefusedError, type LookupFunction, type SsrfPolicy } from './ssrf';

/** A pair of keep-alive agents whose every new connection goes through the guard's lookup. */
export interface GuardedHttpAgents {
  readonly policy: SsrfPolicy;
  readonly http: http.Agent;
  readonly https: https.Agent;
  destroy(): void;
}

export function guardedHttpAgents(
  policy: SsrfPolicy,
  options: { resolve?: LookupFunction; maxSockets?: number } = {},
): GuardedHttpAgents {
  const lookup = guardedLookup(policy, options.resolve) as unknown as http.AgentOptions['lookup'];
  const common = { keepAlive: true, maxSockets: options.maxSockets ?? 64, lookup };
  const plain = new http.Agent(common);
  const secure = new https.Agent(common);
  return {
    policy,
    http: plain,
    https: secure,
    destroy() {
      plain.destroy();
      secure.destroy();
    },
  };
}

export interface GuardedPostOptions {
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
  /** The whole exchange: connect, send, the answer's headers and the capped body. */
  timeoutMs: number;
  /** Bytes of the answer's body read; the rest is dropped with the connection. */
  maxResponseBytes: number;
}

/** What came back. `statusCode` 0 when there was no answer (`error` says why). */
export interface GuardedPostResult {
  statusCode: number;
  /** The start of the answer's body, at most `maxResponseBytes`. */
  body: Buffer;
  error: string | null;
  /** The guard refused the URL or the address. */
  refused: boolean;
  timedOut: boolean;
}

/** POSTs `body` to `url` through `agents`; never throws, never follows a redirect (a 3xx is just an answer). */
export function postGuarded(
  agents: GuardedHttpAgents,
  options: GuardedPostOptions,
): Promise<GuardedPostResult> {
  let url: URL;
  try {
    url = checkUrlShape(options.url, agents.policy);
  } catch (err) {
    return Promise.resolve({
      statusCode: 0,
      body: Buffer.alloc(0),
      error: (err as Error).message,
      refused: true,
      timedOut: false,
    });
  }
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    const finish = (result: Omit<GuardedPostResult, 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, timedOut });
    };
    const request = send(url, {
      method: 'POST',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      headers: { ...options.headers, 'content-length': String(body.length) },
    });
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    request.on('error', (err) => {
      const refused = err instanceof SsrfRefusedError;
      finish({ statusCode: 0, body: Buffer.alloc(0), error: err.message, refused });
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish({ statusCode: status, body: Buffer.concat(chunks, size), error: null, refused: false });
      response.on('data', (chunk: Buffer) => {
        const room = options.maxResponseBytes - size;
        if (room > 0) {
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          chunks.push(part);
          size += part.length;
        }
        if (size >= options.maxResponseBytes) {
          // enough of it: the rest is not read, and this connection is not reused
          done();
          response.destroy();
        }
      });
      response.on('end', done);
      // a cut-off answer still has its status; a deadline that passed meanwhile shows in timedOut
      response.on('error', done);
      response.on('close', done);
    });
    request.end(body);
  });
}
