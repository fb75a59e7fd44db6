/**
 * Polls `probe` until it answers something other than undefined (a value, or a promise of one) and returns it;
 * throws naming `what` when `timeoutMs` passes first. For effects that happen asynchronously (an event relayed,
 * a consumer applying it).
 */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
