import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { isDomainError } from '@helpdesk/platform';
import { z } from 'zod';
import { ApiKeyCache } from './api-key-cache';
import { GatewayError } from './errors';
import type { IdentityPort } from './ports';
import type { ApiKeyPrincipal, ContactPrincipal, TenantPrincipal, UserPrincipal } from './principal';
import { USER_ROLES } from './rest-values';

export const JWT_ISSUER = 'helpdesk';
/** Audience of portal session tokens: they are good for /portal/* and nothing else. */
export const PORTAL_AUDIENCE = 'helpdesk-portal';
export const API_KEY_PREFIX = 'hd_';

// Claims identity puts in an agent session token (sub = user id, tid = tenant id).
const agentClaims = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  role: z.enum(USER_ROLES),
  typ: z.literal('agent'),
});

// Claims of a portal session token the gateway issues after a contact signs in.
const contactClaims = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  typ: z.literal('contact'),
});

export interface Authenticator {
  /** Resolves a bearer token to a principal (agent, API key or portal contact); rejects with UNAUTHENTICATED. */
  authenticate(token: string): Promise<TenantPrincipal | ContactPrincipal>;
  /** A portal session token for a signed-in contact. */
  issueContactSession(contact: {
    tenantId: string;
    contactId: string;
  }): Promise<{ token: string; expiresAt: Date }>;
  /** Forgets a revoked API key in this process. */
  forgetApiKey(tenantId: string, apiKeyId: string): void;
}

export function createAuthenticator(options: {
  jwtSecret: string;
  /** Lifetime of portal session tokens. */
  portalSessionSeconds?: number;
  identity: Pick<IdentityPort, 'authenticateApiKey'>;
  cache?: ApiKeyCache;
}): Authenticator {
  const key = new TextEncoder().encode(options.jwtSecret);
  const cache = options.cache ?? new ApiKeyCache();

  async function verifyJwt(token: string): Promise<UserPrincipal | ContactPrincipal> {
    let payload: { aud?: unknown };
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: JWT_ISSUER }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw invalid('Session expired');
      throw invalid();
    }
    const agent = agentClaims.safeParse(payload);
    if (agent.success && payload.aud === undefined) {
      return { actor: 'USER', tenantId: agent.data.tid, userId: agent.data.sub, role: agent.data.role };
    }
    const contact = contactClaims.safeParse(payload);
    if (contact.success && payload.aud === PORTAL_AUDIENCE) {
      return { actor: 'CONTACT', tenantId: contact.data.tid, contactId: contact.data.sub };
    }
    throw invalid();
  }

  const portalSessionSeconds = options.portalSessionSeconds ?? 12 * 3600;
  async function issueContactSession(contact: { tenantId: string; contactId: string }) {
    const expiresAt = new Date(Date.now() + portalSessionSeconds * 1000);
    const token = await new SignJWT({ tid: contact.tenantId, typ: 'contact' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(JWT_ISSUER)
      .setAudience(PORTAL_AUDIENCE)
      .setSubject(contact.contactId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(key);
    return { token, expiresAt };
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
    issueContactSession,
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
