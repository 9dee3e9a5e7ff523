// The little shared-memory machinery SharedQueue needs (queue/ cannot import sync/): a futex lock
// for its short critical sections and an abortable `Atomics.waitAsync`.

/**
 * Locks the futex in `cells[index]`: 0 free, 1 locked, 2 locked and maybe contended (Ulrich
 * Drepper, "Futexes Are Tricky", mutex #3). The critical sections it guards are a few copies, so
 * a thread that may not block (a browser's main thread) spins instead of sleeping.
 */
export function lock(cells: Int32Array<SharedArrayBuffer>, index: number): void {
  let c = Atomics.compareExchange(cells, index, 0, 1);
  if (c === 0) return;
  do {
    if (c === 2 || Atomics.compareExchange(cells, index, 1, 2) !== 0) sleep(cells, index);
    c = Atomics.compareExchange(cells, index, 0, 2);
  } while (c !== 0);
}

/** Unlocks what {@linkcode lock} locked, waking one sleeper if any may wait. */
export function unlock(cells: Int32Array<SharedArrayBuffer>, index: number): void {
  if (Atomics.exchange(cells, index, 0) === 2) Atomics.notify(cells, index, 1);
}

let mayBlock = true;

function sleep(cells: Int32Array<SharedArrayBuffer>, index: number): void {
  if (!mayBlock) return; // spin
  try {
    Atomics.wait(cells, index, 2, 1);
  } catch {
    mayBlock = false;
  }
}

// A pending `Atomics.waitAsync` does not keep Deno's or Node's event loop alive (the process may
// exit, or a test fail with "the event loop has already resolved", while another thread is about
// to notify). One idle interval, held while any async wait is pending, keeps it alive; it fires
// every 24 days, so it is not polling. (The same workaround as sync/_atomics.ts.)
let pending = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;

/** The outcome of {@linkcode waitAsync}. */
export type WaitOutcome = "ok" | "not-equal" | "timed-out" | "aborted";

/**
 * `Atomics.waitAsync(cells, index, value, timeout)` that also settles with `"aborted"` when
 * `signal` aborts. The engine's wait cannot be withdrawn: it lingers until the next notify or its
 * timeout, holding nothing. Notifiers therefore wake every waiter, so a lingering wait never
 * swallows a wake-up meant for a live one.
 */
export function waitAsync(
  cells: Int32Array<SharedArrayBuffer>,
  index: number,
  value: number,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<WaitOutcome> {
  if (signal?.aborted) return Promise.resolve("aborted");
  const result = Atomics.waitAsync(cells, index, value, timeout);
  if (!result.async) return Promise.resolve(result.value);
  if (pending++ === 0) keepAlive = setInterval(() => {}, 0x7fffffff);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: WaitOutcome): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (--pending === 0) {
        clearInterval(keepAlive);
        keepAlive = undefined;
      }
      resolve(outcome);
    };
    const onAbort = (): void => settle("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
    result.value.then(settle);
  });
}
