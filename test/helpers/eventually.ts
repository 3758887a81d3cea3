/**
 * Polls `probe` until it holds, for what happens outside the test's turn
 * (a sender, a scheduler, a row written in the background). The probe is a
 * condition (`true` ends the wait) or a read (any value but `undefined` ends
 * the wait and is returned); `false` and `undefined` mean "not yet".
 * Fails after `timeoutMs`.
 */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<Exclude<T, false | undefined>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > until) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Short enough for a condition on memory, long enough not to flood Azurite with reads. */
const POLL_MS = 20;
