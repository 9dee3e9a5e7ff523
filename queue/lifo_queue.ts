/**
 * {@linkcode LifoQueue}: a last-in, first-out queue with the interface of `Queue`.
 *
 * @module
 */

import { Queue, type QueueOptions } from "./queue.ts";
import { LifoStorage, withStorage } from "./_storage.ts";

/**
 * A `LifoQueue` is a {@linkcode Queue} that hands out the most recently added item first (a
 * stack), like Python's `queue.LifoQueue`. Everything else is `Queue`'s: back-pressure, waiting
 * and its fairness (waiting putters and getters are still served in the order they called),
 * cancellation, closing and `taskDone`/`join`. `close({ immediate: true })` returns the items
 * newest first.
 *
 * @typeParam T The type of the items.
 *
 * @example Usage
 * ```ts
 * import { LifoQueue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const stack = new LifoQueue<number>();
 * for (const n of [1, 2, 3]) await stack.put(n);
 * assert.deepEqual([await stack.get(), await stack.get(), await stack.get()], [3, 2, 1]);
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * Constructs a new LIFO queue.
   *
   * @param options `maxsize`: the capacity, `0` (the default) for unbounded.
   * @throws {TypeError} If `options` is not an object or `maxsize` is not a number.
   * @throws {RangeError} If `maxsize` is not a non-negative integer.
   *
   * @example Usage
   * ```ts
   * import { LifoQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new LifoQueue({ maxsize: 2 }).maxsize, 2);
   * ```
   */
  constructor(options?: QueueOptions) {
    super(withStorage(options, new LifoStorage<T>()));
  }
}
