// Timers that are always cleared, so the sanitizers stay quiet.

/** A promise that resolves to `false` after `ms`, with a `cancel` that clears the timer. */
export function sleep(ms: number): { promise: Promise<false>; cancel(): void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<false>((resolve) => {
    id = setTimeout(resolve, ms, false);
  });
  return { promise, cancel: () => clearTimeout(id) };
}

/**
 * Waits for `promise`, but rejects with `signal.reason` when `signal` aborts and with
 * `onTimeout()` when `timeout` ms pass first. The timer and the listener are always removed.
 * With neither `timeout` nor `signal` it returns `promise` itself (no timer, no listener).
 */
export function within<T>(
  promise: Promise<T>,
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  onTimeout: () => unknown,
): Promise<T> {
  if (timeout === undefined && signal === undefined) return promise;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    let id: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      cleanup();
      reject(signal!.reason);
    };
    const cleanup = () => {
      clearTimeout(id);
      signal?.removeEventListener("abort", onAbort);
    };
    if (timeout !== undefined) {
      id = setTimeout(() => {
        cleanup();
        reject(onTimeout());
      }, timeout);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then((value) => {
      cleanup();
      resolve(value);
    }, (error) => {
      cleanup();
      reject(error);
    });
  });
}
