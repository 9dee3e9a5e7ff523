/**
 * {@linkcode SharedSemaphore}: a semaphore in a `SharedArrayBuffer`, for workers sharing memory.
 *
 * @module
 */
import type { BlockingWaitOptions, Guard, WaitOptions } from "./types.ts";
import {
  allocate,
  asyncWait,
  attach,
  blockingWait,
  deadlineOf,
  MAGIC_SEMAPHORE,
  remaining,
  wakeOne,
} from "./_atomics.ts";
import { readBlockingTimeout, releasedTwice } from "./_validate.ts";
import { beginWait, checkInteger, timeoutError } from "./_options.ts";
import type { Wait } from "./_options.ts";
import { defineInspect } from "./_inspect.ts";

// Cells: 0 tag, 1 free permits, 2 threads waiting (a release notifies only if non-zero),
// 3 permits at creation, 4 aborted async waits still queued on cell 1 (ghosts, see `asyncWait`).
const COUNT = 1;
const WAITERS = 2;
const PERMITS = 3;
const GHOSTS = 4;
const CELLS = 5;

let adopted: Int32Array<SharedArrayBuffer> | undefined;

function take(cells: Int32Array<SharedArrayBuffer>): boolean {
  let count = Atomics.load(cells, COUNT);
  while (count > 0) {
    const seen = Atomics.compareExchange(cells, COUNT, count, count - 1);
    if (seen === count) return true;
    count = seen;
  }
  return false;
}

function give(cells: Int32Array<SharedArrayBuffer>): void {
  Atomics.add(cells, COUNT, 1);
  if (Atomics.load(cells, WAITERS) > 0) wakeOne(cells, COUNT, GHOSTS);
}

class SharedSemaphoreGuard implements Guard {
  #cells: Int32Array<SharedArrayBuffer> | undefined;
  constructor(cells: Int32Array<SharedArrayBuffer>) {
    this.#cells = cells;
  }
  release(): void {
    const cells = this.#cells;
    if (cells === undefined) throw releasedTwice("SharedSemaphore");
    this.#cells = undefined;
    give(cells);
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * A SharedSemaphore is a semaphore whose permits live in a `SharedArrayBuffer`, so workers that
 * share the buffer share the permits: at most `permits` holders at once across all of them.
 * Create it in one thread, post {@linkcode SharedSemaphore.buffer}, attach elsewhere with
 * {@linkcode SharedSemaphore.from}.
 *
 * Waiting blocks with `Atomics.wait` ({@linkcode SharedSemaphore.acquireSync}, in workers) or
 * not, with `Atomics.waitAsync` ({@linkcode SharedSemaphore.acquire}); a release notifies one
 * waiter only if someone waits.
 *
 * Fairness: none between threads. For FIFO order between async tasks of one thread, use
 * `Semaphore`.
 *
 * @example Two permits shared by every worker
 * ```ts
 * import { SharedSemaphore } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const semaphore = new SharedSemaphore(2);
 * const inWorker = SharedSemaphore.from(semaphore.buffer);
 * using _a = await semaphore.acquire();
 * using _b = inWorker.acquireSync();
 * assert.equal(semaphore.available, 0);
 * ```
 */
export class SharedSemaphore {
  #cells: Int32Array<SharedArrayBuffer>;

  /**
   * Allocates a semaphore with `permits` permits, all free, in its own `SharedArrayBuffer`.
   *
   * @param permits How many holders may be in at once; a positive integer up to 2³¹ − 1.
   * @throws {TypeError} If `permits` is not a number.
   * @throws {RangeError} If `permits` is not an integer from 0 to 2³¹ − 1 (`0` for a signal
   * counter that {@linkcode SharedSemaphore.addPermits} feeds).
   *
   * @example Create a semaphore
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedSemaphore(3).available, 3);
   * assert.throws(() => new SharedSemaphore(-1), RangeError);
   * ```
   */
  constructor(permits: number) {
    if (adopted !== undefined) {
      this.#cells = adopted;
      return;
    }
    checkInteger("new SharedSemaphore()", "permits", permits, 0, 0x7fffffff);
    this.#cells = allocate(CELLS, MAGIC_SEMAPHORE);
    this.#cells[COUNT] = permits;
    this.#cells[PERMITS] = permits;
  }

  /**
   * Attaches to a semaphore made in another thread, from its {@linkcode SharedSemaphore.buffer}.
   *
   * @param buffer The `buffer` of a `SharedSemaphore`, as posted to this thread.
   * @returns A semaphore that shares its permits with the original.
   * @throws {TypeError} If `buffer` is not a `SharedArrayBuffer`, or not one made by
   * `new SharedSemaphore()`.
   * @throws {RangeError} If `buffer` has the wrong size.
   *
   * @example Attach to a posted buffer
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new SharedSemaphore(1);
   * const same = SharedSemaphore.from(semaphore.buffer);
   * using _ = semaphore.tryAcquire()!;
   * assert.equal(same.tryAcquire(), undefined);
   * ```
   */
  static from(buffer: SharedArrayBuffer): SharedSemaphore {
    adopted = attach("SharedSemaphore", buffer, CELLS, MAGIC_SEMAPHORE);
    try {
      return new SharedSemaphore(0);
    } finally {
      adopted = undefined;
    }
  }

  /**
   * The shared memory holding the permits. Post it to a worker and call
   * {@linkcode SharedSemaphore.from} there.
   *
   * @example Read the buffer
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new SharedSemaphore(1).buffer instanceof SharedArrayBuffer);
   * ```
   */
  get buffer(): SharedArrayBuffer {
    return this.#cells.buffer;
  }

  /**
   * How many permits the semaphore holds in all, taken or not: the number it was created with
   * plus those added by {@linkcode SharedSemaphore.addPermits}.
   *
   * @example Read the size
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedSemaphore(4).permits, 4);
   * ```
   */
  get permits(): number {
    return Atomics.load(this.#cells, PERMITS);
  }

  /**
   * Adds `n` permits for good, in every thread sharing the buffer, and wakes up to `n` waiters.
   * Python's `Semaphore.release(n)` without an acquire, Tokio's `add_permits`; guards still give
   * back exactly the permit they took.
   *
   * @param n How many permits to add; a non-negative integer.
   * @default {1}
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is negative or not an integer, or the total would pass 2³¹ − 1.
   *
   * @example A signal counter between threads
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const done = new SharedSemaphore(0); // post done.buffer to the workers
   * const waiting = done.acquire();
   * SharedSemaphore.from(done.buffer).addPermits(); // in a worker: "finished"
   * (await waiting).release();
   * assert.equal(done.permits, 1);
   * ```
   */
  addPermits(n: number = 1): void {
    const cells = this.#cells;
    for (;;) {
      const total = Atomics.load(cells, PERMITS);
      checkInteger("SharedSemaphore.addPermits()", "n", n, 0, 0x7fffffff - total);
      if (Atomics.compareExchange(cells, PERMITS, total, total + n) === total) break;
    }
    if (n === 0) return;
    Atomics.add(cells, COUNT, n);
    if (Atomics.load(cells, WAITERS) > 0) {
      Atomics.notify(cells, COUNT, n + Atomics.load(cells, GHOSTS));
    }
  }

  /**
   * How many permits are free now (a snapshot; other threads may change it at once).
   *
   * @example Count free permits
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new SharedSemaphore(2);
   * using _ = semaphore.acquireSync();
   * assert.equal(semaphore.available, 1);
   * ```
   */
  get available(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /**
   * Takes a permit if one is free, without waiting.
   *
   * @returns The guard, or `undefined` if no permit is free.
   *
   * @example Try to take a permit
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new SharedSemaphore(1);
   * const guard = semaphore.tryAcquire();
   * assert.ok(guard);
   * assert.equal(semaphore.tryAcquire(), undefined);
   * guard.release();
   * ```
   */
  tryAcquire(): Guard | undefined {
    return take(this.#cells) ? new SharedSemaphoreGuard(this.#cells) : undefined;
  }

  /**
   * Takes a permit, blocking the thread with `Atomics.wait` while none is free. For workers:
   * where the thread may not block (a browser's main thread), it throws a `TypeError` that says
   * so; use {@linkcode SharedSemaphore.acquire} there.
   *
   * Fairness: none between threads.
   *
   * Timeout: after `timeout` ms it throws a `TimeoutError` `DOMException` and holds no permit.
   *
   * @param options How long to block at most.
   * @returns The guard.
   * @throws {DOMException} `TimeoutError` if `timeout` passes.
   * @throws {TypeError} If the thread may not block, or `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative or NaN.
   *
   * @example Block for a permit
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new SharedSemaphore(1);
   * const guard = semaphore.acquireSync();
   * assert.throws(() => semaphore.acquireSync({ timeout: 1 }), { name: "TimeoutError" });
   * guard.release();
   * ```
   */
  acquireSync(options?: BlockingWaitOptions): Guard {
    const call = "SharedSemaphore.acquireSync()";
    const timeout = readBlockingTimeout(call, options);
    const cells = this.#cells;
    const deadline = deadlineOf(timeout);
    while (!take(cells)) {
      const left = remaining(deadline);
      if (left === 0) throw timeoutError(call, timeout ?? Infinity);
      Atomics.add(cells, WAITERS, 1);
      try {
        blockingWait(cells, COUNT, 0, left, call, "await semaphore.acquire()");
      } finally {
        Atomics.sub(cells, WAITERS, 1);
      }
    }
    return new SharedSemaphoreGuard(cells);
  }

  /**
   * Takes a permit, waiting without blocking the thread (`Atomics.waitAsync`) while none is
   * free. Works on any thread, the main one included.
   *
   * Fairness: none between threads or tasks.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason`; after
   * `timeout` ms it rejects with a `TimeoutError` `DOMException`. Either way it never takes a
   * permit afterwards, and a release it was woken for is passed on to another waiter.
   * An abort costs O(1) and wakes no other waiter: the engine's wait cannot be withdrawn, so it
   * stays queued until the next release, which counts it and wakes one more waiter in its place
   * (a waiter woken that way and finding nothing re-checks and waits again).
   *
   * @param options How to give up waiting.
   * @returns A promise of the guard.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Wait for a permit
   * ```ts
   * import { SharedSemaphore } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const semaphore = new SharedSemaphore(1);
   * const guard = await semaphore.acquire();
   * const next = semaphore.acquire();
   * guard.release();
   * (await next).release();
   * assert.equal(semaphore.available, 1);
   * ```
   */
  acquire(options?: WaitOptions): Promise<Guard> {
    const wait = beginWait("SharedSemaphore.acquire()", options);
    if (wait instanceof Promise) return wait;
    if (take(this.#cells)) return Promise.resolve(new SharedSemaphoreGuard(this.#cells));
    return this.#acquireSlow(wait);
  }

  async #acquireSlow({ signal, timeout }: Wait): Promise<Guard> {
    const cells = this.#cells;
    const deadline = deadlineOf(timeout);
    while (!take(cells)) {
      const left = remaining(deadline);
      if (left === 0) throw timeoutError("SharedSemaphore.acquire()", timeout ?? Infinity);
      Atomics.add(cells, WAITERS, 1);
      let outcome;
      try {
        outcome = await asyncWait(cells, COUNT, 0, left, signal, GHOSTS);
      } finally {
        Atomics.sub(cells, WAITERS, 1);
      }
      if (signal?.aborted) {
        // We may have been the one woken by a release: pass the wake-up on.
        if (outcome !== "aborted") wakeOne(cells, COUNT, GHOSTS);
        throw signal.reason;
      }
    }
    return new SharedSemaphoreGuard(cells);
  }
}

defineInspect(SharedSemaphore, "SharedSemaphore", (semaphore) => ({
  permits: semaphore.permits,
  available: semaphore.available,
}));
