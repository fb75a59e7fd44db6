import { DomainError } from '@helpdesk/platform';

/** Polls `probe` (sync or async) until it returns something other than undefined/false; errors count as "not yet". */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await delay(50);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The DomainError a call rejects with; fails the test if it resolves or rejects with anything else. */
export async function domainFailure(call: Promise<unknown>): Promise<DomainError> {
  const outcome = await call.then(
    () => 'resolved' as const,
    (err: unknown) => err,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}
