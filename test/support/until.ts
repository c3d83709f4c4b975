/** Waiting for something another process does (a queue job, a browser render), without timing asserts. */

/** Polls `check` every 100 ms until it holds; fails naming `what` after `timeoutMs` (ten seconds). */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
