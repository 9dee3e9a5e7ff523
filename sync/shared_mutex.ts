/**
 * {@linkcode SharedMutex}: a mutex in a `SharedArrayBuffer`, for workers sharing memory.
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
  MAGIC_MUTEX,
  remaining,
  wakeOne,
} from "./_atomics.ts";
import { readBlockingTimeout, releasedTwice } from "./_validate.ts";
import { beginWait, timeoutError } from "./_options.ts";
import type { Wait } from "./_options.ts";
import { defineInspect } from "./_inspect.ts";

// Cell 1 holds the futex state: 0 unlocked, 1 locked, 2 locked and maybe contended (a release
// must notify). Ulrich Drepper, "Futexes Are Tricky", mutex #3. Cell 2 counts the aborted async
// waits still queued on cell 1 (ghosts, see `asyncWait`).
const STATE = 1;
const GHOSTS = 2;
const CELLS = 3;

// Set by `from()` for the constructor to adopt instead of allocating.
let adopted: Int32Array<SharedArrayBuffer> | undefined;

class SharedMutexGuard implements Guard {
  #cells: Int32Array<SharedArrayBuffer> | undefined;
  constructor(cells: Int32Array<SharedArrayBuffer>) {
    this.#cells = cells;
  }
  release(): void {
    const cells = this.#cells;
    if (cells === undefined) throw releasedTwice("SharedMutex");
    this.#cells = undefined;
    const previous = Atomics.exchange(cells, STATE, 0);
    if (previous === 2) wakeOne(cells, STATE, GHOSTS);
    else if (previous === 0) {
      throw new Error("Cannot release SharedMutex guard: the mutex was not locked");
    }
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * A SharedMutex is a mutex whose state lives in a `SharedArrayBuffer`, so workers that share the
 * buffer share the lock: create it in one thread, post {@linkcode SharedMutex.buffer} to the
 * others, and attach there with {@linkcode SharedMutex.from}. Use it to keep a compound update of
 * shared memory (several cells, or a read-compute-write) whole. A lone counter is better served by
 * `Atomics.add`, which needs no lock.
 *
 * It is a futex: the free path is one `Atomics.compareExchange`; waiting uses `Atomics.wait`
 * ({@linkcode SharedMutex.lockSync}, in workers) or `Atomics.waitAsync`
 * ({@linkcode SharedMutex.lock}, anywhere, without blocking the event loop); a release notifies
 * one waiter only if someone waits.
 *
 * Fairness: none; whichever thread retries first after a release wins, as with Go's
 * `sync.Mutex` in normal mode. For FIFO order between async tasks of one thread, use `Mutex`.
 *
 * The lock has no owner: a guard released in another thread than the one that locked it still
 * unlocks it. A thread that dies holding the lock leaves it locked.
 *
 * @example Guard a two-cell update
 * ```ts
 * import { SharedMutex } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const mutex = new SharedMutex();
 * const cells = new Int32Array(new SharedArrayBuffer(8)); // post both buffers to workers
 * {
 *   using _ = await mutex.lock();
 *   const count = Atomics.load(cells, 0) + 1; // two cells updated together
 *   Atomics.store(cells, 0, count);
 *   Atomics.store(cells, 1, count * 2);
 * }
 * assert.deepEqual([...cells], [1, 2]);
 * ```
 */
export class SharedMutex {
  #cells: Int32Array<SharedArrayBuffer>;

  /**
   * Allocates a new, unlocked mutex in its own `SharedArrayBuffer`.
   *
   * @example Create and share
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * assert.ok(mutex.buffer instanceof SharedArrayBuffer);
   * ```
   */
  constructor() {
    this.#cells = adopted ?? allocate(CELLS, MAGIC_MUTEX);
  }

  /**
   * Attaches to a mutex made in another thread, from its {@linkcode SharedMutex.buffer}.
   *
   * @param buffer The `buffer` of a `SharedMutex`, as posted to this thread.
   * @returns A mutex that shares its state with the original.
   * @throws {TypeError} If `buffer` is not a `SharedArrayBuffer`, or not one made by
   * `new SharedMutex()`.
   * @throws {RangeError} If `buffer` has the wrong size.
   *
   * @example Attach to a posted buffer
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * const same = SharedMutex.from(mutex.buffer); // in a worker, from a message
   * using _ = mutex.tryLock()!;
   * assert.equal(same.locked, true);
   * ```
   */
  static from(buffer: SharedArrayBuffer): SharedMutex {
    adopted = attach("SharedMutex", buffer, CELLS, MAGIC_MUTEX);
    try {
      return new SharedMutex();
    } finally {
      adopted = undefined;
    }
  }

  /**
   * The shared memory holding the lock's state. Post it to a worker and call
   * {@linkcode SharedMutex.from} there.
   *
   * @example Post the buffer
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * assert.equal(mutex.buffer.byteLength, 12);
   * ```
   */
  get buffer(): SharedArrayBuffer {
    return this.#cells.buffer;
  }

  /**
   * Whether some thread holds the lock (a snapshot; it may change at once).
   *
   * @example Check the state
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * assert.equal(mutex.locked, false);
   * ```
   */
  get locked(): boolean {
    return Atomics.load(this.#cells, STATE) !== 0;
  }

  /**
   * Locks the mutex if it is free, without waiting.
   *
   * @returns The guard, or `undefined` if the mutex is held.
   *
   * @example Try to lock
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * const guard = mutex.tryLock();
   * assert.ok(guard);
   * assert.equal(mutex.tryLock(), undefined);
   * guard.release();
   * ```
   */
  tryLock(): Guard | undefined {
    return Atomics.compareExchange(this.#cells, STATE, 0, 1) === 0
      ? new SharedMutexGuard(this.#cells)
      : undefined;
  }

  /**
   * Locks the mutex, blocking the thread with `Atomics.wait` while another thread holds it. For
   * workers: where the thread may not block (a browser's main thread), it throws a `TypeError`
   * that says so; use {@linkcode SharedMutex.lock} there. (Deno lets its main thread block, but
   * then the event loop stalls too.)
   *
   * Fairness: none between threads.
   *
   * Timeout: after `timeout` ms it throws a `TimeoutError` `DOMException` and does not hold the
   * lock.
   *
   * @param options How long to block at most.
   * @returns The guard.
   * @throws {DOMException} `TimeoutError` if `timeout` passes.
   * @throws {TypeError} If the thread may not block, or `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative or NaN.
   *
   * @example Lock in a worker
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * {
   *   using _ = mutex.lockSync();
   *   assert.equal(mutex.locked, true);
   * }
   * assert.equal(mutex.locked, false);
   * ```
   */
  lockSync(options?: BlockingWaitOptions): Guard {
    const call = "SharedMutex.lockSync()";
    const timeout = readBlockingTimeout(call, options);
    const cells = this.#cells;
    if (Atomics.compareExchange(cells, STATE, 0, 1) === 0) return new SharedMutexGuard(cells);
    const deadline = deadlineOf(timeout);
    while (Atomics.exchange(cells, STATE, 2) !== 0) {
      const left = remaining(deadline);
      if (left === 0) throw timeoutError(call, timeout ?? Infinity);
      blockingWait(cells, STATE, 2, left, call, "await mutex.lock()");
    }
    return new SharedMutexGuard(cells);
  }

  /**
   * Locks the mutex, waiting without blocking the thread (`Atomics.waitAsync`) while another
   * thread holds it. Works on any thread, the main one included.
   *
   * Fairness: none between threads or tasks.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason`; after
   * `timeout` ms it rejects with a `TimeoutError` `DOMException`. Either way it never takes the
   * lock afterwards, and a release it was woken for is passed on to another waiter.
   * An abort costs O(1) and wakes no other waiter: the engine's wait cannot be withdrawn, so it
   * stays queued until the next release, which counts it and wakes one more waiter in its place
   * (a waiter woken that way and finding nothing re-checks and waits again).
   *
   * @param options How to give up waiting.
   * @returns A promise of the guard.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Lock without blocking
   * ```ts
   * import { SharedMutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new SharedMutex();
   * const guard = await mutex.lock();
   * await assert.rejects(mutex.lock({ timeout: 5 }), { name: "TimeoutError" });
   * guard.release();
   * ```
   */
  lock(options?: WaitOptions): Promise<Guard> {
    const wait = beginWait("SharedMutex.lock()", options);
    if (wait instanceof Promise) return wait;
    const cells = this.#cells;
    if (Atomics.compareExchange(cells, STATE, 0, 1) === 0) {
      return Promise.resolve(new SharedMutexGuard(cells));
    }
    return this.#lockSlow(wait);
  }

  async #lockSlow({ signal, timeout }: Wait): Promise<Guard> {
    const cells = this.#cells;
    const deadline = deadlineOf(timeout);
    while (Atomics.exchange(cells, STATE, 2) !== 0) {
      const left = remaining(deadline);
      if (left === 0) throw timeoutError("SharedMutex.lock()", timeout ?? Infinity);
      const outcome = await asyncWait(cells, STATE, 2, left, signal, GHOSTS);
      if (signal?.aborted) {
        // We may have been the one woken by a release: pass the wake-up on.
        if (outcome !== "aborted") wakeOne(cells, STATE, GHOSTS);
        throw signal.reason;
      }
    }
    return new SharedMutexGuard(cells);
  }
}

defineInspect(SharedMutex, "SharedMutex", (mutex) => ({ locked: mutex.locked }));
