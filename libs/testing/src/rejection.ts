/**
 * The error `promise` rejects with, checked to be a `type`; throws when it resolves or rejects with anything
 * else. Lets a test look at a failure's code, message and details one by one.
 */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    () => 'resolved',
    (err: unknown) => err,
  );
  if (!(outcome instanceof type)) throw new Error(`expected a ${type.name}, got ${String(outcome)}`);
  return outcome;
}
