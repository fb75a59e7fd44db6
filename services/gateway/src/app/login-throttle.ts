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
  /** Which sign-in is counted: agents (`login`) and portal contacts (`portal-login`) have separate budgets. */
  scope = 'login',
): Promise<void> {
  const emailKey = `rl:${scope}:email:${createHash('sha256').update(attempt.email.trim().toLowerCase()).digest('hex')}`;
  const ipKey = `rl:${scope}:ip:${attempt.ip}`;
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

/** Counts a public form submission per client IP; past `perHour` in the current hour, 429 with Retry-After. */
export async function throttlePublicForm(counter: WindowCounter, ip: string, perHour: number): Promise<void> {
  const { count, resetSeconds } = await counter.hit(`rl:webform:ip:${ip}`, 3600);
  if (count <= perHour) return;
  throw new GatewayError('RATE_LIMITED', 'Too many submissions from this address; try again later', undefined, {
    'Retry-After': String(Math.max(1, resetSeconds)),
  });
}
