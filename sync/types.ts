/**
 * The types shared by every primitive of `sync/`: the options of a wait and the guard a lock hands
 * out.
 *
 * @module
 */

/** Options for a call that may wait: how to give up on it. */
export interface WaitOptions {
  /**
   * Gives up the wait when it aborts: the call rejects with `signal.reason` and leaves the queue.
   * An already-aborted signal rejects at once, without side effects.
   */
  signal?: AbortSignal;
  /**
   * Gives up the wait after this many milliseconds: the call rejects with a `TimeoutError`
   * `DOMException`. `Infinity` waits forever.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for a call that blocks the thread: it cannot be aborted, only timed out. */
export interface BlockingWaitOptions {
  /**
   * Gives up after this many milliseconds: the call throws a `TimeoutError` `DOMException`.
   * `Infinity` blocks until the wait succeeds.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/**
 * Proof of holding a lock (or a permit). Release it exactly once, either with
 * {@linkcode Guard.release} or at the end of a `using` block. A guard is bound to the lock that
 * handed it out; releasing it twice throws.
 *
 * @example Release at the end of a block
 * ```ts
 * import { Mutex } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const mutex = new Mutex();
 * {
 *   using _ = await mutex.lock();
 *   assert.equal(mutex.locked, true);
 * }
 * assert.equal(mutex.locked, false);
 * ```
 */
export interface Guard extends Disposable {
  /**
   * Releases the lock or permit this guard holds.
   *
   * @throws {Error} If the guard was already released.
   *
   * @example Release explicitly
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * const guard = await mutex.lock();
   * guard.release();
   * assert.throws(() => guard.release(), Error);
   * ```
   */
  release(): void;
  /**
   * Releases the guard, as {@linkcode Guard.release} does; called by `using` at the end of the
   * block.
   *
   * @throws {Error} If the guard was already released.
   *
   * @example Dispose explicitly
   * ```ts
   * import { Mutex } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const mutex = new Mutex();
   * const guard = await mutex.lock();
   * guard[Symbol.dispose]();
   * assert.equal(mutex.locked, false);
   * ```
   */
  [Symbol.dispose](): void;
}
