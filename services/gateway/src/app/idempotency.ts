import { createHash } from 'node:crypto';
import { GatewayError } from './errors';
import type { IdempotencyBegin, StoredResponse } from './ports';

export const IDEMPOTENCY_LOCK_SECONDS = 60;
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// Printable ASCII without spaces keeps keys safe inside a Redis key and a log line.
const KEY_PATTERN = /^[\x21-\x7e]+$/;

export function validateIdempotencyKey(key: string): void {
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw new GatewayError(
      'INVALID_ARGUMENT',
      `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
    );
  }
}

export function idempotencyRecordKey(parts: {
  tenantId: string;
  principalId: string;
  method: string;
  path: string;
  key: string;
}): string {
  return `idem:${parts.tenantId}:${parts.principalId}:${parts.method.toUpperCase()}:${parts.path}:${parts.key}`;
}

/** JSON with object keys sorted at every level, so that `{a,b}` and `{b,a}` hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Fingerprint of a request's payload: the same key with another payload is a client error. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export type IdempotencyDecision =
  { action: 'proceed'; token: string } | { action: 'replay'; response: StoredResponse };

/** What to do with a request given what the store holds for its key. */
export function decideIdempotency(begin: IdempotencyBegin, hash: string): IdempotencyDecision {
  switch (begin.state) {
    case 'started':
      return { action: 'proceed', token: begin.token };
    case 'in_progress':
      if (begin.requestHash !== hash) throw reused();
      throw new GatewayError(
        'IDEMPOTENCY_KEY_IN_USE',
        'A request with this Idempotency-Key is still in progress; retry later',
      );
    case 'completed':
      if (begin.response.requestHash !== hash) throw reused();
      return { action: 'replay', response: begin.response };
  }
}

const reused = () =>
  new GatewayError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request body',
  );

// Only a success is kept: a failed request changed nothing (validation, conflict) or may be transient (5xx),
// so the key is released and a retry runs again instead of replaying the failure.
export function shouldStore(status: number): boolean {
  return status >= 200 && status < 300;
}
