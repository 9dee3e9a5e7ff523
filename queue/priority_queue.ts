/**
 * {@linkcode PriorityQueue}: a queue that hands out the lowest item first, by a comparator,
 * with the interface of `Queue`.
 *
 * @module
 */

import { Queue, type QueueOptions } from "./queue.ts";
import { HeapStorage, STORAGE } from "./_storage.ts";
import { pythonOrder } from "./_heap.ts";
import { checkFunction, invalid, readOptions } from "./_options.ts";

/** Options for the {@linkcode PriorityQueue} constructor. */
export interface PriorityQueueOptions<T> extends QueueOptions {
  /**
   * Orders the items as for `Array.prototype.sort`: a negative result puts `a` first. Items that
   * compare equal (`0`) come out in the order they were put (the queue is stable). If it throws,
   * the call that needed the comparison (`put`, `get`, `for await`...) fails with its error and
   * the queue is unchanged. Not together with `key`.
   *
   * @default {Python's order: numbers as numbers, strings as strings, arrays element by element}
   */
  compare?: (a: T, b: T) => number;
  /**
   * Maps each item to what is ordered (Python's `key=`), in the default order: e.g.
   * `(job) => [job.priority, job.deadline]`. Called once per item, when it is put; if it throws,
   * the `put` fails with its error and nothing is enqueued. Not together with `compare`.
   */
  key?: (item: T) => unknown;
}

/**
 * A `PriorityQueue` is a {@linkcode Queue} that hands out the lowest item first, like Python's
 * `queue.PriorityQueue` (a binary heap: `put` and `get` are O(log n)).
 *
 * **Order.** By default, as Python orders values: numbers (bigints, booleans) as numbers, strings
 * as strings, `Date`s by time, and arrays element by element like tuples, so Python's
 * `(priority, item)` habit works: `[10, "ten"]` comes after `[9, "nine"]`, and the item is
 * compared only when the priorities tie. Values it cannot order (objects, `null`, a number
 * against a string) make the call fail with a `TypeError` instead of being compared as strings
 * as JavaScript's `<` would. The `key` option orders by a value computed from each item, the
 * `compare` option by any comparator. Items that order equal come out first in, first out, so
 * the order is deterministic.
 *
 * **Failures.** When `key` or `compare` throws, the queue is left exactly as it was and the
 * error goes to the call that needed it: `put()` and `get()` reject with it (they never throw
 * synchronously), `putNowait()`/`getNowait()` throw it, a `for await` loop throws it; a waiting
 * `put()` whose item cannot be ordered when room frees up rejects with it. Nothing is lost or
 * duplicated. `close({ immediate: true })` returns the items in priority order, the ones the
 * comparator cannot order last, in insertion order.
 *
 * Everything else is `Queue`'s: back-pressure, waiting and its fairness (waiting putters and
 * getters are served in the order they called, whatever their priority), cancellation, closing
 * and `taskDone`/`join`.
 *
 * @typeParam T The type of the items.
 *
 * @example Python's (priority, item) pairs
 * ```ts
 * import { PriorityQueue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new PriorityQueue<[number, string]>();
 * for (const pair of [[10, "ten"], [9, "nine"], [100, "hundred"]] as const) {
 *   await queue.put([...pair]);
 * }
 * const order = [];
 * while (!queue.empty) order.push((await queue.get())[1]);
 * assert.deepEqual(order, ["nine", "ten", "hundred"]);
 * ```
 *
 * @example Jobs by a key, stable among equals
 * ```ts
 * import { PriorityQueue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * type Job = { priority: number; name: string };
 * const jobs = new PriorityQueue<Job>({ key: (job) => job.priority });
 * await jobs.put({ priority: 2, name: "backup" });
 * await jobs.put({ priority: 1, name: "page-on-call" });
 * await jobs.put({ priority: 2, name: "report" });
 * const order = [];
 * while (!jobs.empty) order.push((await jobs.get()).name);
 * assert.deepEqual(order, ["page-on-call", "backup", "report"]);
 * ```
 *
 * @example Values it cannot order are refused
 * ```ts
 * import { PriorityQueue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new PriorityQueue<unknown>();
 * await queue.put(1);
 * await assert.rejects(queue.put("one"), TypeError);
 * assert.equal(queue.size, 1);
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /**
   * Constructs a new priority queue.
   *
   * @param options `maxsize`: the capacity, `0` (the default) for unbounded; `key` or `compare`:
   * the order.
   * @throws {TypeError} If `options` is not an object, `maxsize` is not a number, `key` or
   * `compare` is not a function, or both are given.
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
    const name = new.target?.name ?? "PriorityQueue";
    const call = `new ${name}()`;
    // Each option is read once, here; the Queue constructor sees only the values read.
    const read = readOptions(call, options);
    const { maxsize } = read;
    const compare = checkFunction<(a: T, b: T) => number>(call, "compare", read.compare);
    const key = checkFunction<(item: T) => unknown>(call, "key", read.key);
    if (compare !== undefined && key !== undefined) {
      throw invalid(call, "key", "undefined when 'compare' is given (compare the keys in it)", key);
    }
    const storage = new HeapStorage<T>(compare ?? pythonOrder(name), key);
    super({ maxsize, [STORAGE]: storage } as QueueOptions);
  }
}
