import createClient, { type Client } from 'openapi-fetch';
import { ApiError } from './errors';
import type { components, paths } from './gen/schema';
import type { SessionStore } from './session';

// Generated from the gateway's OpenAPI document by `npm run generate` (src/api/gen, not committed): a route or
// schema that changes under a page is a type error in that page.
export type Schemas = components['schemas'];
export type Api = Client<paths>;

/**
 * The typed API client: sends the session's token in the Authorization header; an answer 401 to a request that
 * carried a token ends the session (expired or revoked), so the page goes back to sign-in.
 */
export function createApi(session: SessionStore): Api {
  const client = createClient<paths>({ baseUrl: '' });
  client.use({
    onRequest({ request }) {
      const token = session.get();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('Authorization')) session.clear();
      return response;
    },
  });
  return client;
}

/** The data of a successful answer; an ApiError with the API's code and message otherwise. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined || data === null) throw ApiError.from(response.status, error);
  return data as NonNullable<T>;
}
