/**
 * Polls `probe` every 250 ms until it returns something other than `undefined`, and returns it.
 * Fails after `timeoutMs`: plugins such as the catalog do their work in background loops.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`The condition was not met within ${timeoutMs} ms`);
    }
    await new Promise(resolveWait => setTimeout(resolveWait, 250));
  }
}
