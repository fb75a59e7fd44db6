import { createHash } from 'node:crypto';
import type { ApiKeyPrincipal } from './principal';

export const API_KEY_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * In-process cache of API keys that authenticated, keyed by the secret's SHA-256 (the secret itself is
 * never kept). Only positive results are cached; a revocation through another replica is seen within the TTL.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { principal: ApiKeyPrincipal; expiresAt: number }>();

  constructor(
    private readonly ttlMs = API_KEY_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  static fingerprint(secret: string): string {
    return createHash('sha256').update(secret).digest('hex');
  }

  get(secret: string): ApiKeyPrincipal | undefined {
    const key = ApiKeyCache.fingerprint(secret);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(secret: string, principal: ApiKeyPrincipal): void {
    const key = ApiKeyCache.fingerprint(secret);
    this.entries.delete(key);
    // Map keeps insertion order: the first entry is the oldest.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { principal, expiresAt: this.now() + this.ttlMs });
  }

  /** Forgets a revoked key at once (in this process). */
  evictKey(tenantId: string, apiKeyId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.principal.apiKeyId === apiKeyId && entry.principal.tenantId === tenantId)
        this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
