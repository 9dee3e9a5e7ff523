// Timers that are always cleared, so the sanitizers stay quiet.
import { armWait, type Wait, withResolvers } from "./_options.ts";

/** A promise that resolves to `false` after `ms`, with a `cancel` that clears the timer. */
export function sleep(ms: number): { promise: Promise<false>; cancel(): void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<false>((resolve) => {
    id = setTimeout(resolve, ms, false);
  });
  return { promise, cancel: () => clearTimeout(id) };
}

/**
 * Waits for `promise`, but rejects with `signal.reason` when the wait's signal aborts and with
 * `onTimeout()` when its timeout passes first. The timer and the listener are always removed.
 * With neither it returns `promise` itself (no timer, no listener).
 */
export function within<T>(
  call: string,
  promise: Promise<T>,
  wait: Wait,
  onTimeout: () => unknown,
): Promise<T> {
  const { signal, timeout } = wait;
  if (timeout === undefined && signal === undefined) return promise;
  const { promise: result, resolve, reject } = withResolvers<T>();
  const disarm = armWait(call, wait, (reason) => {
    reject(
      signal !== undefined && signal.aborted && reason === signal.reason ? reason : onTimeout(),
    );
  });
  promise.then((value) => {
    disarm();
    resolve(value);
  }, (error) => {
    disarm();
    reject(error);
  });
  return result;
}
