// Helpers for the shared-memory primitives: buffer layout checks and the two ways to wait on a
// cell, blocking (`Atomics.wait`) and not (`Atomics.waitAsync`).
import { invalid } from "./_options.ts";

/** A view of shared memory that `Atomics.wait` accepts. */
export type Cells = Int32Array<SharedArrayBuffer> | BigInt64Array<SharedArrayBuffer>;

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
  const call = `${what}.from()`;
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw invalid(call, "buffer", `a SharedArrayBuffer (from ${what}.buffer)`, buffer);
  }
  if (buffer.byteLength !== length * 4) {
    throw invalid(call, "buffer", `${length * 4} bytes long`, buffer.byteLength, true);
  }
  const cells = new Int32Array(buffer);
  if (Atomics.load(cells, 0) !== magic) {
    throw invalid(call, "buffer", `the buffer of a ${what} (its tag is wrong)`, buffer);
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
  cells: Cells,
  index: number,
  value: number | bigint,
  timeout: number,
  what: string,
  instead: string,
): "ok" | "not-equal" | "timed-out" {
  try {
    // deno-lint-ignore no-explicit-any
    return Atomics.wait(cells as any, index, value as any, timeout);
  } catch (error) {
    if (error instanceof TypeError) {
      throw new TypeError(
        `${what}: this thread may not block (Atomics.wait is not allowed here, e.g. on a browser's main thread); use ${instead} instead`,
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
 * cannot be withdrawn: it stays queued on the cell as a *ghost* until a notification or its
 * timeout ends it.
 *
 * With `ghosts` (the index of a cell counting them), an abort costs O(1) and wakes nobody: it
 * counts the ghost, and whoever notifies a waiter adds the count (see {@linkcode wakeOne}), so a
 * ghost ahead in the queue never swallows a wake-up meant for a live waiter. When the ghost ends
 * it uncounts itself, and if a notification reached it (perhaps just before the abort, before
 * it was counted), passes one wake-up on. Without `ghosts` (a barrier, where every waiter is
 * woken anyway), an abort wakes every waiter on the cell.
 */
export function asyncWait(
  cells: Cells,
  index: number,
  value: number | bigint,
  timeout: number,
  signal: AbortSignal | undefined,
  ghosts?: number,
): Promise<"ok" | "not-equal" | "timed-out" | "aborted"> {
  // deno-lint-ignore no-explicit-any
  const result = Atomics.waitAsync(cells as any, index, value as any, timeout);
  if (!result.async) return Promise.resolve(result.value);
  hold();
  return new Promise((resolve) => {
    let settled = false;
    let ghost = false;
    const settle = (outcome: "ok" | "not-equal" | "timed-out" | "aborted"): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      unhold();
      resolve(outcome);
    };
    const onAbort = (): void => {
      settle("aborted");
      if (ghosts === undefined) {
        Atomics.notify(cells as Int32Array<SharedArrayBuffer>, index);
        return;
      }
      ghost = true;
      Atomics.add(cells as Int32Array<SharedArrayBuffer>, ghosts, 1);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    result.value.then((outcome) => {
      if (!ghost) return settle(outcome);
      const counted = cells as Int32Array<SharedArrayBuffer>;
      Atomics.sub(counted, ghosts!, 1);
      if (outcome === "ok") Atomics.notify(counted, index, 1);
    });
  });
}

/**
 * Wakes one live waiter on `cells[index]`: notifies one more for each ghost counted in
 * `cells[ghosts]` (an extra wake-up is only a spurious one: the waiter re-checks and waits again).
 */
export function wakeOne(cells: Int32Array<SharedArrayBuffer>, index: number, ghosts: number): void {
  Atomics.notify(cells, index, 1 + Atomics.load(cells, ghosts));
}

/** Milliseconds left until `deadline`, or `Infinity`. */
export function remaining(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

/** The deadline of a wait of `timeout` ms starting now. */
export function deadlineOf(timeout: number | undefined): number {
  return timeout === undefined || timeout === Infinity ? Infinity : performance.now() + timeout;
}
