import path from 'node:path';
import { freePort, startProcess, waitForHttp, type ServiceProcess } from './processes';

export interface TestOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** oidc-provider (a certified OpenID Connect server) on 127.0.0.1, in a process of its own. */
export interface TestOidcProvider {
  issuer: string;
  introspectionUrl: string;
  /**
   * Follows an authorization URL as a browser would (cookies, redirects), signs in as `login` and consents, and
   * answers the URL the provider finally redirects to (the client's redirect_uri with code and state).
   */
  authorize(authorizationUrl: string, login: string): Promise<URL>;
  /** Asks the introspection endpoint (as the first client) whether the token is active and belongs to `user`. */
  activeFor(user: string, accessToken: string): Promise<boolean>;
  /** Destroys every grant of an account, as a user revoking the app's access: its refresh tokens stop working. */
  revoke(login: string): Promise<number>;
  stop(): Promise<void>;
  process: ServiceProcess;
}

export async function startOidcProvider(options: {
  clients: TestOidcClient[];
  accessTokenSeconds: number;
}): Promise<TestOidcProvider> {
  const port = await freePort();
  const script = path.join(__dirname, 'oidc-server.mjs');
  const proc = startProcess('oidc-provider', script, {}, [JSON.stringify({ port, ...options })]);
  const issuer = `http://127.0.0.1:${port}`;
  await waitForHttp(`${issuer}/.well-known/openid-configuration`, 30_000, proc);
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    introspection_endpoint: string;
  };
  return {
    issuer,
    introspectionUrl: metadata.introspection_endpoint,
    process: proc,
    async authorize(authorizationUrl, login) {
      const jar = new Map<string, string>();
      const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const remember = (res: Response) => {
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const eq = pair!.indexOf('=');
          const name = pair!.slice(0, eq).trim();
          const value = pair!.slice(eq + 1).trim();
          if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
          else jar.set(name, value);
        }
      };
      let url = new URL(authorizationUrl);
      let init: RequestInit = { method: 'GET' };
      for (let hop = 0; hop < 20; hop++) {
        if (url.origin !== issuer) return url; // left the provider: the redirect to the client
        const res = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
        });
        remember(res);
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          url = new URL(location, url);
          init = { method: 'GET' };
          continue;
        }
        if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
          await res.text();
          init = {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ login }).toString(),
          };
          continue;
        }
        throw new Error(
          `the provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 500)}`,
        );
      }
      throw new Error('too many redirects');
    },
    async activeFor(user, accessToken) {
      const client = options.clients[0]!;
      const res = await fetch(metadata.introspection_endpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: accessToken }).toString(),
      });
      const answer = (await res.json()) as { active?: boolean; sub?: string };
      return answer.active === true && answer.sub === user;
    },
    async revoke(login) {
      const res = await fetch(`${issuer}/test/revoke?account=${encodeURIComponent(login)}`, {
        method: 'POST',
      });
      return ((await res.json()) as { revoked: number }).revoked;
    },
    async stop() {
      await proc.stop();
    },
  };
}
