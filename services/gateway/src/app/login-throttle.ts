import { createHash } from 'node:crypto';
import { GatewayError } from './errors';
import type { WindowCounter } from './ports';

export interface LoginThrottleOptions {
  /** Attempts per e-mail address in a window. */
  max: number;
  /** Attempts per client IP in a window; higher, since a whole office signs in from one address. */
  ipMax: number;
  windowSeconds: number;
}

/**
 * Counts a sign-in attempt per e-mail and per client IP (every attempt, successful or not) and refuses it
 * once either exceeds its limit in the current window. E-mails are hashed so that Redis holds no addresses.
 */
export async function throttleLogin(
  counter: WindowCounter,
  attempt: { email: string; ip: string },
  options: LoginThrottleOptions,
): Promise<void> {
  const emailKey = `rl:login:email:${createHash('sha256').update(attempt.email.trim().toLowerCase()).digest('hex')}`;
  const ipKey = `rl:login:ip:${attempt.ip}`;
  const results = await Promise.all([
    counter.hit(emailKey, options.windowSeconds),
    counter.hit(ipKey, options.windowSeconds),
  ]);
  const limits = [options.max, options.ipMax];
  const over = results.filter((r, i) => r.count > limits[i]!);
  if (over.length === 0) return;
  const retryAfter = Math.max(1, ...over.map((r) => r.resetSeconds));
  throw new GatewayError('RATE_LIMITED', 'Too many sign-in attempts; try again later', undefined, {
    'Retry-After': String(retryAfter),
  });
}
