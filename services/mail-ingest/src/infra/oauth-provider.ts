import * as oauth from 'oauth4webapi';
import { failedPrecondition, invalidArgument, isDomainError, unavailable } from '@helpdesk/platform';
import {
  checkUrl,
  guardedFetch,
  guardedHttpAgents,
  SsrfRefusedError,
  type FetchFunction,
  type GuardedHttpAgents,
  type LookupFunction,
} from '@helpdesk/security';
import type { OAuthClient, OAuthProviderPort, OAuthTokenSet } from '../app/ports';
import { OAuthGrantRefused } from '../domain/mailbox';

export interface OAuthProviderSettings {
  microsoft: { clientId?: string; clientSecret?: string; tenant: string };
  google: { clientId?: string; clientSecret?: string };
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  /** Name resolution of the SSRF guard (tests). */
  resolve?: LookupFunction;
}

// a discovery document or a token answer is a few kilobytes
const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * Checks a generic provider's issuer when an admin gives it: https (http only with private networks allowed), no
 * credentials, and every address its host resolves to allowed by the SSRF guard of libs/security (which checks
 * each connection again). Throws INVALID_ARGUMENT saying why.
 */
export async function checkIssuerUrl(
  raw: string,
  allowPrivateNetworks: boolean,
  resolve?: LookupFunction,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidArgument('not a URL', [{ path: ['issuer'], message: 'must be a URL' }]);
  }
  if (url.protocol !== 'https:' && !(allowPrivateNetworks && url.protocol === 'http:'))
    throw invalidArgument(`${url.origin} is refused: https is required`, [
      { path: ['issuer'], message: 'must be https' },
    ]);
  if (url.username || url.password)
    throw invalidArgument('a URL with credentials is refused', [
      { path: ['issuer'], message: 'must carry no credentials' },
    ]);
  try {
    return await checkUrl(url.toString(), { allowPrivateNetworks }, resolve);
  } catch (err) {
    if (err instanceof SsrfRefusedError)
      throw invalidArgument(`the issuer is refused: ${err.message}`, [
        { path: ['issuer'], message: 'must be a public address' },
      ]);
    throw err;
  }
}

// IMAP and SMTP AUTH of Exchange Online; offline_access brings the refresh token
const MICROSOFT_SCOPES =
  'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access';
// Gmail's IMAP and SMTP take only the full mail scope
const GOOGLE_SCOPES = 'https://mail.google.com/';
// one set of options for discovery (GET) and the token endpoint (POST)
type RequestOptions = oauth.TokenEndpointRequestOptions & oauth.DiscoveryRequestOptions;
const DISCOVERY_CACHE_MS = 60 * 60 * 1000;

interface Resolved {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  scopes: string;
  extra: Record<string, string>;
  options: RequestOptions;
}

/** OAuth2 authorization code with PKCE and refresh through oauth4webapi, for Microsoft, Google or any issuer. */
export class Oauth4WebApiProvider implements OAuthProviderPort {
  private readonly discovered = new Map<string, { at: number; as: oauth.AuthorizationServer }>();
  private readonly agents: GuardedHttpAgents;
  private readonly fetch: FetchFunction;

  constructor(private readonly settings: OAuthProviderSettings) {
    // every request to a provider (discovery, the endpoints it names, the token endpoint) goes through the guard:
    // a generic issuer is an admin's input, and Microsoft's and Google's fixed endpoints are public anyway
    this.agents = guardedHttpAgents(
      { allowPrivateNetworks: settings.allowPrivateNetworks },
      { resolve: settings.resolve, maxSockets: 16 },
    );
    this.fetch = guardedFetch(this.agents, { maxResponseBytes: MAX_RESPONSE_BYTES });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents.destroy();
  }

  newState(): string {
    return oauth.generateRandomState();
  }

  newCodeVerifier(): string {
    return oauth.generateRandomCodeVerifier();
  }

  async authorizationUrl(
    client: OAuthClient,
    flow: { state: string; codeVerifier: string; redirectUri: string; loginHint: string },
  ): Promise<string> {
    const resolved = await this.resolve(client);
    if (!resolved.as.authorization_endpoint)
      throw invalidArgument('the issuer names no authorization endpoint');
    const url = new URL(resolved.as.authorization_endpoint);
    const params = url.searchParams;
    params.set('client_id', resolved.client.client_id);
    params.set('redirect_uri', flow.redirectUri);
    params.set('response_type', 'code');
    params.set('scope', resolved.scopes);
    params.set('state', flow.state);
    params.set('code_challenge', await oauth.calculatePKCECodeChallenge(flow.codeVerifier));
    params.set('code_challenge_method', 'S256');
    if (flow.loginHint) params.set('login_hint', flow.loginHint);
    for (const [key, value] of Object.entries(resolved.extra)) params.set(key, value);
    return url.toString();
  }

  async exchangeCode(
    client: OAuthClient,
    flow: { callbackQuery: string; state: string; codeVerifier: string; redirectUri: string },
  ): Promise<OAuthTokenSet> {
    const resolved = await this.resolve(client);
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(
        resolved.as,
        resolved.client,
        new URLSearchParams(flow.callbackQuery),
        flow.state,
      );
    } catch (err) {
      throw failedPrecondition(`the provider's redirect is not valid: ${describe(err)}`);
    }
    try {
      const response = await oauth.authorizationCodeGrantRequest(
        resolved.as,
        resolved.client,
        resolved.auth,
        params,
        flow.redirectUri,
        flow.codeVerifier,
        resolved.options,
      );
      return tokenSet(await oauth.processAuthorizationCodeResponse(resolved.as, resolved.client, response));
    } catch (err) {
      if (isDomainError(err)) throw err;
      if (err instanceof oauth.ResponseBodyError)
        throw failedPrecondition(`the provider refused the code: ${describe(err)}`);
      throw unavailable(`the provider's token endpoint failed: ${describe(err)}`);
    }
  }

  async refresh(client: OAuthClient, refreshToken: string): Promise<OAuthTokenSet> {
    const resolved = await this.resolve(client);
    try {
      const response = await oauth.refreshTokenGrantRequest(
        resolved.as,
        resolved.client,
        resolved.auth,
        refreshToken,
        resolved.options,
      );
      return tokenSet(await oauth.processRefreshTokenResponse(resolved.as, resolved.client, response));
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant')
        throw new OAuthGrantRefused(describe(err));
      if (isDomainError(err)) throw err;
      // anything else (the network, the provider's outage, a misconfigured client) is retried later
      throw unavailable(`the provider's token endpoint failed: ${describe(err)}`);
    }
  }

  private async resolve(client: OAuthClient): Promise<Resolved> {
    const { settings } = this;
    const base: RequestOptions = {
      signal: () => AbortSignal.timeout(settings.timeoutMs),
      [oauth.customFetch]: this.fetch,
    };
    if (client.provider === 'microsoft') {
      const { clientId, clientSecret, tenant } = settings.microsoft;
      if (!clientId)
        throw failedPrecondition('Microsoft sign-in is not configured (MAIL_OAUTH_MICROSOFT_CLIENT_ID)');
      const root = `https://login.microsoftonline.com/${tenant}`;
      return {
        // the multi-tenant endpoints' discovery names a templated issuer; the endpoints are fixed, so they are here
        as: {
          issuer: `${root}/v2.0`,
          authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
          token_endpoint: `${root}/oauth2/v2.0/token`,
        },
        client: { client_id: clientId },
        auth: clientSecret ? oauth.ClientSecretPost(clientSecret) : oauth.None(),
        scopes: MICROSOFT_SCOPES,
        extra: {},
        options: base,
      };
    }
    if (client.provider === 'google') {
      const { clientId, clientSecret } = settings.google;
      if (!clientId)
        throw failedPrecondition('Google sign-in is not configured (MAIL_OAUTH_GOOGLE_CLIENT_ID)');
      return {
        as: {
          issuer: 'https://accounts.google.com',
          authorization_endpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
          token_endpoint: 'https://oauth2.googleapis.com/token',
        },
        client: { client_id: clientId },
        auth: clientSecret ? oauth.ClientSecretPost(clientSecret) : oauth.None(),
        scopes: GOOGLE_SCOPES,
        // a refresh token only comes with offline access, and again on a repeated sign-in only with consent asked
        extra: { access_type: 'offline', prompt: 'consent' },
        options: base,
      };
    }
    if (!client.issuer || !client.clientId)
      throw invalidArgument('the generic provider needs issuer and clientId');
    const options: RequestOptions = {
      ...base,
      // http only where the operator allows private networks (their own IdP, tests)
      ...(settings.allowPrivateNetworks ? { [oauth.allowInsecureRequests]: true } : {}),
    };
    const as = await this.discover(client.issuer, options);
    return {
      as,
      client: { client_id: client.clientId },
      auth: client.clientSecret
        ? as.token_endpoint_auth_methods_supported?.includes('client_secret_basic') === false
          ? oauth.ClientSecretPost(client.clientSecret)
          : oauth.ClientSecretBasic(client.clientSecret)
        : oauth.None(),
      scopes: client.scopes || 'openid offline_access',
      extra: {},
      options,
    };
  }

  private async discover(issuer: string, options: RequestOptions): Promise<oauth.AuthorizationServer> {
    const cached = this.discovered.get(issuer);
    if (cached && Date.now() - cached.at < DISCOVERY_CACHE_MS) return cached.as;
    const url = await checkIssuerUrl(issuer, this.settings.allowPrivateNetworks, this.settings.resolve);
    try {
      const response = await oauth.discoveryRequest(url, { ...options, algorithm: 'oidc' });
      const as = await oauth.processDiscoveryResponse(url, response);
      this.discovered.set(issuer, { at: Date.now(), as });
      return as;
    } catch (err) {
      if (isDomainError(err)) throw err;
      throw invalidArgument(`the issuer's discovery failed: ${describe(err)}`, [
        { path: ['issuer'], message: 'no OpenID or OAuth2 metadata found' },
      ]);
    }
  }
}

function tokenSet(response: oauth.TokenEndpointResponse): OAuthTokenSet {
  const lifetime =
    typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : 3600;
  return {
    accessToken: response.access_token,
    expiresAt: new Date(Date.now() + lifetime * 1000),
    refreshToken: response.refresh_token ?? null,
  };
}

/** The provider's error code and description, or the library's message: short, with no token in it. */
function describe(err: unknown): string {
  if (err instanceof oauth.ResponseBodyError || err instanceof oauth.AuthorizationResponseError) {
    const text = `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`;
    return text.slice(0, 500);
  }
  if (isDomainError(err)) return err.message;
  return ((err as Error)?.message ?? 'failed').slice(0, 300);
}
