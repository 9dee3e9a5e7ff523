import { timeoutError, withResolvers } from "./_options.ts";

/**
 * Waits until `waiters` calls the callback this adds to it, honouring `signal` and `timeout`
 * (`what` names the wait in the `TimeoutError`, so it is needed only with a `timeout`). The
 * callback removes itself, its timer and its abort listener, so nothing is left behind whichever
 * way the wait ends.
 */
export function waitFor(
  waiters: Set<() => void>,
  signal: AbortSignal | undefined,
  timeout?: number,
  what?: string,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { promise, resolve, reject } = withResolvers<void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cleanup = () => {
    waiters.delete(wake);
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  const wake = () => {
    cleanup();
    resolve();
  };
  const onAbort = () => {
    cleanup();
    reject(signal!.reason);
  };
  waiters.add(wake);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (timeout !== undefined) {
    timer = setTimeout(() => {
      cleanup();
      reject(timeoutError(what!, timeout));
    }, timeout);
  }
  return promise;
}

/** Calls every waiter (each removes itself). */
export function wakeAll(waiters: Set<() => void>): void {
  for (const wake of [...waiters]) wake();
}
