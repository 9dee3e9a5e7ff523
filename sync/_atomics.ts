// Helpers for the shared-memory primitives: buffer layout checks and the two ways to wait on a
// cell, blocking (`Atomics.wait`) and not (`Atomics.waitAsync`).

/** Tags written in cell 0 so `from()` can tell the primitives' buffers apart. */
export const MAGIC_MUTEX = 0x4d555458; // "MUTX"
export const MAGIC_SEMAPHORE = 0x53454d41; // "SEMA"
export const MAGIC_BARRIER = 0x42415252; // "BARR"

/** Checks a buffer handed to `from()` and views it. */
export function attach(
  what: string,
  buffer: unknown,
  length: number,
  magic: number,
): Int32Array<SharedArrayBuffer> {
  if (!(buffer instanceof SharedArrayBuffer)) {
    const got = buffer === null
      ? "null"
      : typeof buffer === "object"
      ? Object.prototype.toString.call(buffer).slice(8, -1)
      : typeof buffer;
    throw new TypeError(
      `Cannot attach ${what}: 'buffer' must be a SharedArrayBuffer (from ${what}.buffer), got ${got}`,
    );
  }
  if (buffer.byteLength !== length * 4) {
    throw new RangeError(
      `Cannot attach ${what}: 'buffer' must be ${length * 4} bytes long, got ${buffer.byteLength}`,
    );
  }
  const cells = new Int32Array(buffer);
  if (Atomics.load(cells, 0) !== magic) {
    throw new TypeError(
      `Cannot attach ${what}: 'buffer' was not made by new ${what}() (wrong tag)`,
    );
  }
  return cells;
}

/** Allocates a tagged buffer of `length` cells. */
export function allocate(length: number, magic: number): Int32Array<SharedArrayBuffer> {
  const cells = new Int32Array(new SharedArrayBuffer(length * 4));
  cells[0] = magic;
  return cells;
}

/**
 * `Atomics.wait`, with the error where the thread may not block (a browser's main thread throws
 * a TypeError) replaced by one that says what to do.
 */
export function blockingWait(
  cells: Int32Array<SharedArrayBuffer>,
  index: number,
  value: number,
  timeout: number,
  what: string,
  instead: string,
): "ok" | "not-equal" | "timed-out" {
  try {
    return Atomics.wait(cells, index, value, timeout);
  } catch (error) {
    if (error instanceof TypeError) {
      throw new TypeError(
        `Cannot call ${what}: this thread may not block (Atomics.wait is not allowed here, e.g. on a browser's main thread); use ${instead} instead`,
        { cause: error },
      );
    }
    throw error;
  }
}

// A pending `Atomics.waitAsync` does not keep every runtime's event loop alive (Deno, Node: the
// process may exit, or a test fail with "the event loop has already resolved", while a worker is
// about to notify). One idle interval, held while any async wait is pending, keeps it alive; it
// fires every 24 days, so it is not polling.
let pending = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;

function hold(): void {
  if (pending++ === 0) keepAlive = setInterval(() => {}, 0x7fffffff);
}

function unhold(): void {
  if (--pending === 0) {
    clearInterval(keepAlive);
    keepAlive = undefined;
  }
}

/**
 * `Atomics.waitAsync` that also settles with `"aborted"` when `signal` aborts. The engine's wait
 * cannot be withdrawn, so an abort wakes every waiter on the cell: they re-check and wait again
 * (a spurious wake-up), and a notification the stale wait might have swallowed is not lost.
 */
export function asyncWait(
  cells: Int32Array<SharedArrayBuffer>,
  index: number,
  value: number,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<"ok" | "not-equal" | "timed-out" | "aborted"> {
  const result = Atomics.waitAsync(cells, index, value, timeout);
  if (!result.async) return Promise.resolve(result.value);
  hold();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: "ok" | "not-equal" | "timed-out" | "aborted"): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      unhold();
      resolve(outcome);
    };
    const onAbort = (): void => {
      settle("aborted");
      Atomics.notify(cells, index);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    result.value.then(settle);
  });
}

/** Milliseconds left until `deadline`, or `Infinity`. */
export function remaining(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

/** The deadline of a wait of `timeout` ms starting now. */
export function deadlineOf(timeout: number | undefined): number {
  return timeout === undefined || timeout === Infinity ? Infinity : performance.now() + timeout;
}
