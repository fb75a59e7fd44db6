import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AgentTokenClaims, Clock, TokenIssuer } from '../app/ports';

export const JWT_ISSUER = 'helpdesk';
export const AGENT_TOKEN_TYPE = 'agent';

/** HS256 agent session tokens; the gateway verifies them with the same secret. */
export class JwtTokenIssuer implements TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(claims: AgentTokenClaims): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ tid: claims.tenantId, role: claims.role, typ: AGENT_TOKEN_TYPE })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(JWT_ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }
}
