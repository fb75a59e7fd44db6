import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { isDomainError } from '@helpdesk/platform';
import { z } from 'zod';
import { ApiKeyCache } from './api-key-cache';
import { GatewayError } from './errors';
import type { IdentityPort } from './ports';
import type { ApiKeyPrincipal, TenantPrincipal, UserPrincipal } from './principal';
import { USER_ROLES } from './rest-values';

export const JWT_ISSUER = 'helpdesk';
export const API_KEY_PREFIX = 'hd_';

// Claims identity puts in an agent session token (sub = user id, tid = tenant id).
const agentClaims = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  role: z.enum(USER_ROLES),
  typ: z.literal('agent'),
});

export interface Authenticator {
  /** Resolves a bearer token to a tenant principal; rejects with UNAUTHENTICATED. */
  authenticate(token: string): Promise<TenantPrincipal>;
  /** Forgets a revoked API key in this process. */
  forgetApiKey(tenantId: string, apiKeyId: string): void;
}

export function createAuthenticator(options: {
  jwtSecret: string;
  identity: Pick<IdentityPort, 'authenticateApiKey'>;
  cache?: ApiKeyCache;
}): Authenticator {
  const key = new TextEncoder().encode(options.jwtSecret);
  const cache = options.cache ?? new ApiKeyCache();

  async function verifyJwt(token: string): Promise<UserPrincipal> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: JWT_ISSUER }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw invalid('Session expired');
      throw invalid();
    }
    const claims = agentClaims.safeParse(payload);
    if (!claims.success) throw invalid();
    return { actor: 'USER', tenantId: claims.data.tid, userId: claims.data.sub, role: claims.data.role };
  }

  async function verifyApiKey(secret: string): Promise<ApiKeyPrincipal> {
    const cached = cache.get(secret);
    if (cached) return cached;
    let apiKey;
    try {
      ({ apiKey } = await options.identity.authenticateApiKey({ secret }));
    } catch (err) {
      // An unknown or revoked key is a failed sign-in; an unreachable identity service stays a 503.
      if (
        isDomainError(err) &&
        ['UNAUTHENTICATED', 'NOT_FOUND', 'PERMISSION_DENIED', 'INVALID_ARGUMENT'].includes(err.code)
      ) {
        throw invalid();
      }
      throw err;
    }
    if (!apiKey || apiKey.revokedAt || !apiKey.id || !apiKey.tenantId) throw invalid();
    const principal: ApiKeyPrincipal = {
      actor: 'API_KEY',
      tenantId: apiKey.tenantId,
      apiKeyId: apiKey.id,
      role: 'agent',
    };
    cache.set(secret, principal);
    return principal;
  }

  return {
    authenticate: (token) => (token.startsWith(API_KEY_PREFIX) ? verifyApiKey(token) : verifyJwt(token)),
    forgetApiKey: (tenantId, apiKeyId) => cache.evictKey(tenantId, apiKeyId),
  };
}

const invalid = (message = 'Invalid or expired credentials') => new GatewayError('UNAUTHENTICATED', message);

/** Constant-time comparison of a presented operator token with the configured one (any lengths). */
export function isOperatorToken(presented: string, configured: string | undefined): boolean {
  if (!configured) return false;
  // Hashing first gives equal-length inputs, so timingSafeEqual leaks neither content nor length.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(configured).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}
