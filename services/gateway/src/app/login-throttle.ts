import { createHash } from 'node:crypto';
import { isDomainError } from '@helpdesk/platform';
import { GatewayError } from './errors';
import type { WindowCounter } from './ports';

export interface LoginThrottleOptions {
  /** Failed sign-ins per account from one client address in a window. */
  max: number;
  /** Failed sign-ins per client address in a window (any account); higher, since a whole office signs in from one address. */
  ipMax: number;
  windowSeconds: number;
}

export interface LoginAttempt {
  /** The account: an e-mail address, or another name of what is guessed at (e.g. a tenant's sign-in links). */
  email: string;
  ip: string;
}

const hashed = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest('hex');

function refuse(results: Array<{ count: number; resetSeconds: number }>, limits: number[]): void {
  const over = results.filter((r, i) => r.count > limits[i]!);
  if (over.length === 0) return;
  const retryAfter = Math.max(1, ...over.map((r) => r.resetSeconds));
  throw new GatewayError('RATE_LIMITED', 'Too many sign-in attempts; try again later', undefined, {
    'Retry-After': String(retryAfter),
  });
}

/**
 * Runs one sign-in under the lockout rules: failed sign-ins are counted per account and client address
 * (so a stranger elsewhere cannot lock a user out) and per client address; past either limit the
 * attempt is refused (429 with Retry-After) before the password is checked. A successful sign-in
 * clears the account's failures from that address and does not count. E-mails are hashed so that
 * Redis holds no addresses.
 */
export async function throttledSignIn<T>(
  counter: WindowCounter,
  attempt: LoginAttempt,
  options: LoginThrottleOptions,
  /** Which sign-in is counted: agents (`login`) and portal contacts (`portal-login`) have separate budgets. */
  scope: string,
  signIn: () => Promise<T>,
): Promise<T> {
  const accountKey = `rl:${scope}:account:${hashed(attempt.email)}:${attempt.ip}`;
  const ipKey = `rl:${scope}:ip:${attempt.ip}`;
  // Each attempt holds its place in the count while it runs, so parallel guesses cannot pass the limit together.
  const results = await Promise.all([
    counter.hit(accountKey, options.windowSeconds),
    counter.hit(ipKey, options.windowSeconds),
  ]);
  const releaseBoth = () => Promise.all([counter.release(accountKey), counter.release(ipKey)]);
  try {
    refuse(results, [options.max, options.ipMax]);
  } catch (err) {
    // a refused attempt checked no password: it is no failure
    await releaseBoth();
    throw err;
  }
  let signedIn: T;
  try {
    signedIn = await signIn();
  } catch (err) {
    // only a wrong credential is a failure; an outage or a bad request is not the caller's guess
    if (!(isDomainError(err) && err.code === 'UNAUTHENTICATED')) await releaseBoth();
    throw err;
  }
  await Promise.all([counter.clear(accountKey), counter.release(ipKey)]);
  return signedIn;
}

/**
 * Counts every request per e-mail and per client IP and refuses it once either exceeds its limit in the
 * current window. For requests that send mail (portal sign-in links), where each request costs the
 * addressee a message whatever its outcome.
 */
export async function throttleLogin(
  counter: WindowCounter,
  attempt: LoginAttempt,
  options: LoginThrottleOptions,
  scope: string,
): Promise<void> {
  const results = await Promise.all([
    counter.hit(`rl:${scope}:email:${hashed(attempt.email)}`, options.windowSeconds),
    counter.hit(`rl:${scope}:ip:${attempt.ip}`, options.windowSeconds),
  ]);
  refuse(results, [options.max, options.ipMax]);
}

/** Counts a public form submission per client IP; past `perHour` in the current hour, 429 with Retry-After. */
export async function throttlePublicForm(counter: WindowCounter, ip: string, perHour: number): Promise<void> {
  const { count, resetSeconds } = await counter.hit(`rl:webform:ip:${ip}`, 3600);
  if (count <= perHour) return;
  throw new GatewayError(
    'RATE_LIMITED',
    'Too many submissions from this address; try again later',
    undefined,
    {
      'Retry-After': String(Math.max(1, resetSeconds)),
    },
  );
}
