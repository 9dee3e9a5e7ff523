/**
 * The errors a queue raises: {@linkcode QueueClosed}, {@linkcode QueueFull} and
 * {@linkcode QueueEmpty}.
 *
 * @module
 */

/**
 * A `QueueClosed` is raised by a queue that has been closed with `close()`: by `put()` and
 * `putNowait()` (the error carries the refused {@linkcode QueueClosed.item}, so nothing is lost),
 * by a `put()` that was waiting for room when the queue closed, and by `get()` and `getNowait()`
 * once the closed queue is drained. It is Python 3.13's `queue.ShutDown`.
 *
 * @typeParam T The type of the refused item.
 *
 * @example Recovering a refused item
 * ```ts
 * import { Queue, QueueClosed } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<string>();
 * queue.close();
 * const error = await queue.put("job-1").catch((e) => e);
 * assert(error instanceof QueueClosed);
 * assert.equal(error.item, "job-1");
 * ```
 */
export class QueueClosed<T = unknown> extends Error {
  /**
   * The item that a `put` could not enqueue, or `undefined` when a `get` found the queue closed
   * and drained (see {@linkcode QueueClosed.hasItem}).
   */
  readonly item: T | undefined;
  /** Whether the error carries a refused item (`true` for puts, `false` for gets). */
  readonly hasItem: boolean;

  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options `item`: the refused item, if a put was refused; `cause` as for `Error`.
   *
   * @example Usage
   * ```ts
   * import { QueueClosed } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const error = new QueueClosed("closed", { item: 42 });
   * assert.equal(error.name, "QueueClosed");
   * assert.equal(error.item, 42);
   * ```
   */
  constructor(message: string, options?: ErrorOptions & { item?: T }) {
    super(message, options);
    this.name = "QueueClosed";
    this.hasItem = options !== undefined && "item" in options;
    this.item = options?.item;
  }
}

/**
 * A `QueueFull` is thrown by `putNowait()` when a bounded queue has no room; it carries the
 * refused {@linkcode QueueFull.item}. Python's `queue.Full`.
 *
 * @typeParam T The type of the refused item.
 *
 * @example Non-blocking put
 * ```ts
 * import { Queue, QueueFull } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<number>({ maxsize: 1 });
 * queue.putNowait(1);
 * assert.throws(() => queue.putNowait(2), (e) => e instanceof QueueFull && e.item === 2);
 * ```
 */
export class QueueFull<T = unknown> extends Error {
  /** The item that could not be enqueued. */
  readonly item: T;

  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options `item`: the refused item; `cause` as for `Error`.
   *
   * @example Usage
   * ```ts
   * import { QueueFull } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const error = new QueueFull("full", { item: "x" });
   * assert.equal(error.name, "QueueFull");
   * assert.equal(error.item, "x");
   * ```
   */
  constructor(message: string, options: ErrorOptions & { item: T }) {
    super(message, options);
    this.name = "QueueFull";
    this.item = options.item;
  }
}

/**
 * A `QueueEmpty` is thrown by `getNowait()` when the queue holds no item (and is not closed).
 * Python's `queue.Empty`.
 *
 * @example Non-blocking get
 * ```ts
 * import { Queue, QueueEmpty } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<number>();
 * assert.throws(() => queue.getNowait(), QueueEmpty);
 * ```
 */
export class QueueEmpty extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options As for `Error`.
   *
   * @example Usage
   * ```ts
   * import { QueueEmpty } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new QueueEmpty("empty").name, "QueueEmpty");
   * ```
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "QueueEmpty";
  }
}
