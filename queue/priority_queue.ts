/**
 * {@linkcode PriorityQueue}: a queue that hands out the lowest item first, by a comparator,
 * with the interface of `Queue`.
 *
 * @module
 */

import { Queue, type QueueOptions } from "./queue.ts";
import { HeapStorage, withStorage } from "./_storage.ts";
import { show } from "./_waiters.ts";

/** Options for the {@linkcode PriorityQueue} constructor. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders the items as for `Array.prototype.sort`: a negative result puts `a` first. Items that
   * compare equal (`0`) come out in the order they were put (the queue is stable).
   *
   * @default {(a, b) => (a < b ? -1 : a > b ? 1 : 0)}
   */
  compare?: (a: T, b: T) => number;
}

/**
 * A `PriorityQueue` is a {@linkcode Queue} that hands out the lowest item first, like Python's
 * `queue.PriorityQueue` (a binary heap: `put` and `get` are O(log n)). The order comes from the
 * `compare` option (default: `<`); equal items come out first in, first out, so the order is
 * deterministic. Everything else is `Queue`'s: back-pressure, waiting and its fairness (waiting
 * putters and getters are served in the order they called, whatever their priority),
 * cancellation, closing and `taskDone`/`join`. `close({ immediate: true })` returns the items in
 * priority order.
 *
 * @typeParam T The type of the items.
 *
 * @example Jobs by priority, stable among equals
 * ```ts
 * import { PriorityQueue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * type Job = { priority: number; name: string };
 * const jobs = new PriorityQueue<Job>({ compare: (a, b) => a.priority - b.priority });
 * await jobs.put({ priority: 2, name: "backup" });
 * await jobs.put({ priority: 1, name: "page-on-call" });
 * await jobs.put({ priority: 2, name: "report" });
 * const order = [];
 * while (!jobs.empty) order.push((await jobs.get()).name);
 * assert.deepEqual(order, ["page-on-call", "backup", "report"]);
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * Constructs a new priority queue.
   *
   * @param options `maxsize`: the capacity, `0` (the default) for unbounded; `compare`: the order.
   * @throws {TypeError} If `options` is not an object, `maxsize` is not a number or `compare` is
   * not a function.
   * @throws {RangeError} If `maxsize` is not a non-negative integer.
   *
   * @example Usage
   * ```ts
   * import { PriorityQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new PriorityQueue<number>({ compare: (a, b) => b - a }); // highest first
   * queue.putNowait(1);
   * queue.putNowait(3);
   * assert.equal(queue.getNowait(), 3);
   * ```
   */
  constructor(options?: PriorityQueueOptions<T>) {
    const compare = options !== null && typeof options === "object" ? options.compare : undefined;
    if (compare !== undefined && typeof compare !== "function") {
      throw new TypeError(
        `Cannot create PriorityQueue: 'compare' must be a function, got ${show(compare)}`,
      );
    }
    super(withStorage(options, new HeapStorage<T>(compare)));
  }
}
