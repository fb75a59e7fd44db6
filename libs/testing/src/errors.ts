import { DomainError } from '@helpdesk/platform';

/** The DomainError `promise` rejects with (e.g. from a gRPC client); fails the test when it resolves or rejects otherwise. */
export async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  if (!(outcome instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(outcome)}`);
  return outcome;
}
