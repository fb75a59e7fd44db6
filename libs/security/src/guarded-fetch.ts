// A WHATWG `fetch` behind the SSRF guard, for libraries that take a custom fetch (oauth4webapi's `customFetch`):
// requests go through the guarded agents (every connection's address checked after DNS resolution, the one
// checked is the one connected to), no redirect is followed, and the answer's body is read up to a cap.
import http from 'node:http';
import https from 'node:https';
import type { GuardedHttpAgents } from './guarded-http';
import { checkUrlShape } from './ssrf';

/** The part of `fetch` that libraries call. */
export type FetchFunction = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface GuardedFetchOptions {
  /** Bytes of an answer's body read; a longer answer fails the request. */
  maxResponseBytes: number;
  /** A deadline over the whole exchange besides the caller's `signal`; none when unset. */
  timeoutMs?: number;
}

// statuses whose Response may carry no body
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function bodyOf(body: RequestInit['body']): Buffer | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('guardedFetch sends string, URLSearchParams or byte bodies only');
}

/**
 * A `fetch` whose every connection goes through `agents` (see `guardedHttpAgents`). A refused URL or address
 * rejects with `SsrfRefusedError`; a redirect is answered as it is (`redirect: 'manual'` semantics, whatever
 * `init.redirect` says); `init.signal` aborts the request.
 */
export function guardedFetch(agents: GuardedHttpAgents, options: GuardedFetchOptions): FetchFunction {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      let url: URL;
      let body: Buffer | null;
      try {
        url = checkUrlShape(String(input), agents.policy);
        body = bodyOf(init?.body);
      } catch (err) {
        reject(err);
        return;
      }
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason ?? new Error('aborted'));
        return;
      }
      const headers = headersOf(init);
      if (body) headers['content-length'] = String(body.length);
      const send = url.protocol === 'https:' ? https.request : http.request;
      const request = send(url, {
        method: init?.method ?? 'GET',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers,
      });
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        request.destroy();
        reject(err);
      };
      const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => fail(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      request.on('error', fail);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 599) {
          fail(new Error(`unexpected HTTP status ${status}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxResponseBytes) {
            fail(new Error(`the answer is larger than ${options.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          if (settled) return;
          settled = true;
          cleanup();
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
          }
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks, size), {
              status,
              statusText: response.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        });
      });
      request.end(body ?? undefined);
    });
}
