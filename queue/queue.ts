/**
 * {@linkcode Queue}: a FIFO queue for async tasks, bounded or not, closable, with task
 * accounting (`taskDone`/`join`).
 *
 * @module
 */

import { QueueClosed, QueueEmpty, QueueFull } from "./errors.ts";
import { DENO_INSPECT, NODE_INSPECT } from "./_inspect.ts";
import { Waiter, WaiterList } from "./_waiters.ts";
import {
  checkBoolean,
  checkInteger,
  readOptions,
  readWait,
  type Wait,
  withResolvers,
} from "./_options.ts";
import { FifoStorage, type InternalOptions, STORAGE, type Storage } from "./_storage.ts";

/** Options for the queue constructors. */
export interface QueueOptions {
  /**
   * The most items the queue holds; `put()` waits while it is full (back-pressure). `0` (as in
   * Python) or `Infinity` means unbounded. Must be a non-negative integer or `Infinity`.
   *
   * @default {0}
   */
  maxsize?: number;
}

/** Options for every waiting method: `put()`, `get()` and `join()`. */
export interface WaitOptions {
  /**
   * Gives up waiting when aborted: the call rejects with `signal.reason` and has no effect (an
   * aborted `put` enqueues nothing, an aborted `get` consumes nothing). An already-aborted signal
   * rejects at once.
   */
  signal?: AbortSignal;
  /**
   * Gives up waiting after this many milliseconds, rejecting with a `DOMException` named
   * `"TimeoutError"`; as with `signal`, the call then has no effect. `Infinity` waits forever.
   * A call that does not need to wait never times out.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for {@linkcode Queue.prototype.close}. */
export interface CloseOptions {
  /**
   * Python 3.13's `shutdown(immediate=True)`: also empty the queue now and return its items,
   * instead of letting getters drain them. The returned items count as done for `join()`.
   *
   * @default {false}
   */
  immediate?: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();
const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });
const DONE_PROMISE: Promise<IteratorReturnResult<undefined>> = Promise.resolve(DONE);

let iteratorNext: <T>(
  queue: Queue<T>,
  iterator: QueueIterator<T>,
) => Promise<IteratorResult<T, undefined>>;
let iteratorReturn: <T>(queue: Queue<T>, iterator: QueueIterator<T>) => Promise<never> | undefined;

/**
 * `for await` over a queue. A plain iterator rather than an async generator: a generator's
 * `yield` costs several promise turns per item, this costs one, as `await queue.get()` does.
 */
class QueueIterator<T> implements AsyncIterableIterator<T> {
  /** Items handed out and not yet marked done (marked at the next `next()` or `return()`). */
  held = 0;
  finished = false;
  /** The waiting `next()`, if any, and how to end it. */
  waiter: Waiter<undefined, T> | undefined = undefined;
  settle: ((result: IteratorResult<T, undefined>) => void) | undefined = undefined;

  constructor(readonly queue: Queue<T>) {}

  next(): Promise<IteratorResult<T, undefined>> {
    return iteratorNext(this.queue, this);
  }

  return(value?: unknown): Promise<IteratorResult<T, undefined>> {
    return iteratorReturn(this.queue, this) ??
      Promise.resolve({ value: value as undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Counts `item` as held and makes the result; like get(), a promise item is awaited. */
  deliver(item: T): IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>> {
    this.held++;
    if (!isThenable(item)) return { value: item, done: false };
    return Promise.resolve(item).then(
      (value) => ({ value: value as T, done: false }),
      (error) => {
        // A rejected item is done at once: the loop ends here without calling return().
        if (this.held > 0) {
          this.held--;
          this.queue.taskDone();
        }
        throw error;
      },
    );
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function";
}

/**
 * A `Queue` is a first-in, first-out queue that coordinates async producers and consumers: the
 * `asyncio.Queue` / `queue.Queue` of Python (3.13's `shutdown` included, as `close()`), with
 * Go-channel-like closing.
 *
 * - **Back-pressure**: with `maxsize > 0`, {@linkcode Queue.prototype.put} waits while the queue
 *   is full, so a fast stage cannot run ahead of a slow one and memory stays flat.
 * - **No polling**: {@linkcode Queue.prototype.get} waits while the queue is empty and is woken
 *   exactly once, by the item it receives.
 * - **Progress**: every accepted item counts as an unfinished task until a consumer calls
 *   {@linkcode Queue.prototype.taskDone}; {@linkcode Queue.prototype.join} waits for all of them.
 * - **Closing**: after {@linkcode Queue.prototype.close}, puts are refused with a
 *   {@linkcode QueueClosed} carrying the item, and gets drain what is left and then reject with
 *   `QueueClosed`. `for await (const item of queue)` ends there, calling `taskDone()` for you.
 * - **Nothing lost or duplicated**: puts and gets are O(1) (a ring buffer); waiting putters and
 *   getters are served in FIFO order; an aborted or timed-out call has no effect, and an item
 *   being handed over when a waiter gives up goes to the next waiter or stays queued.
 *
 * Items are handed over through promises, so an item that is itself a promise (or any thenable)
 * is awaited by `get()`; wrap such items in an object to pass them through as they are.
 *
 * @typeParam T The type of the items.
 *
 * @example Producer and consumer with back-pressure
 * ```ts
 * import { Queue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<number>({ maxsize: 2 });
 * const seen: number[] = [];
 * const consumer = (async () => {
 *   for await (const n of queue) seen.push(n * 10);
 * })();
 * for (let n = 1; n <= 5; n++) await queue.put(n); // waits while 2 items are queued
 * queue.close();
 * await consumer;
 * assert.deepEqual(seen, [10, 20, 30, 40, 50]);
 * ```
 *
 * @example Waiting until every item is processed
 * ```ts
 * import { Queue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new Queue<string>();
 * const done: string[] = [];
 * const worker = (async () => {
 *   for await (const url of queue) done.push(url);
 * })();
 * await queue.put("a");
 * await queue.put("b");
 * await queue.join(); // resolves when taskDone() has been called for both
 * assert.deepEqual(done, ["a", "b"]);
 * queue.close();
 * await worker;
 * ```
 */
export class Queue<T> {
  #storage: Storage<T>;
  #maxsize: number;
  #name: string;
  #getters = new WaiterList<undefined, T>();
  #putters = new WaiterList<T, void>();
  #joiners = new WaiterList<undefined, void>();
  #unfinished = 0;
  #closed = false;

  /**
   * Constructs a new queue.
   *
   * @param options `maxsize`: the capacity, `0` (the default) for unbounded.
   * @throws {TypeError} If `options` is not an object or `maxsize` is not a number.
   * @throws {RangeError} If `maxsize` is not a non-negative integer.
   *
   * @example Bounded and unbounded
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue({ maxsize: 8 }).maxsize, 8);
   * assert.equal(new Queue().maxsize, 0); // unbounded
   * assert.throws(() => new Queue({ maxsize: 1.5 }), RangeError);
   * ```
   */
  constructor(options?: QueueOptions) {
    const name = new.target?.name ?? "Queue";
    const call = `new ${name}()`;
    const { maxsize, [STORAGE]: storage } = readOptions(
      call,
      options as QueueOptions & InternalOptions<T> | undefined,
    );
    this.#maxsize = maxsize === undefined ? 0 : checkInteger(call, "maxsize", maxsize, 0, Infinity);
    this.#name = name;
    this.#storage = storage ?? new FifoStorage<T>();
  }

  /**
   * The capacity given to the constructor; `0` means unbounded.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue({ maxsize: 4 }).maxsize, 4);
   * ```
   */
  get maxsize(): number {
    return this.#maxsize;
  }

  /**
   * How many items are queued now (Python's `qsize()`). Never above `maxsize` when bounded.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * assert.equal(queue.size, 1);
   * ```
   */
  get size(): number {
    return this.#storage.length;
  }

  /**
   * Whether no item is queued.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue().empty, true);
   * ```
   */
  get empty(): boolean {
    return this.#storage.length === 0;
  }

  /**
   * Whether the queue is bounded and holds `maxsize` items, so that `put()` would wait.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>({ maxsize: 1 });
   * queue.putNowait(1);
   * assert.equal(queue.full, true);
   * ```
   */
  get full(): boolean {
    return this.#maxsize > 0 && this.#storage.length >= this.#maxsize;
  }

  /**
   * Whether {@linkcode Queue.prototype.close} has been called.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue();
   * queue.close();
   * assert.equal(queue.closed, true);
   * ```
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * How many accepted items have not been marked done with `taskDone()` yet (Python's
   * `unfinished_tasks`); `join()` resolves when it reaches zero.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(1);
   * queue.getNowait();
   * assert.equal(queue.unfinishedTasks, 1);
   * queue.taskDone();
   * assert.equal(queue.unfinishedTasks, 0);
   * ```
   */
  get unfinishedTasks(): number {
    return this.#unfinished;
  }

  /**
   * Puts `item` into the queue, waiting while the queue is full.
   *
   * If a `get()` is waiting, the item goes straight to the oldest one. Otherwise it is queued if
   * there is room; if not, the call waits. **Fairness**: waiting puts are admitted in the order
   * they were called, one per freed slot. **Cancellation**: if `signal` aborts or `timeout`
   * elapses while waiting, the call rejects with `signal.reason` or a `TimeoutError` and the item
   * is not enqueued (it never was); the put gives up its place in line. **Closing**: a put
   * waiting when `close()` is called rejects with {@linkcode QueueClosed} carrying its item, as
   * Python 3.13's `shutdown()` does.
   *
   * A put that does not wait returns an already-resolved promise and allocates nothing.
   *
   * @param item The item to enqueue.
   * @param options `signal` and `timeout` (ms) to give up waiting for room.
   * @returns A promise that resolves once the item is in the queue (or handed to a getter).
   * @throws {QueueClosed} (rejects) If the queue is closed, now or while waiting; `error.item` is `item`.
   * @throws {TypeError} (rejects) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (rejects) If `timeout` is negative or NaN.
   *
   * @example Back-pressure with a timeout
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>({ maxsize: 1 });
   * await queue.put(1);
   * await assert.rejects(queue.put(2, { timeout: 10 }), { name: "TimeoutError" });
   * assert.equal(queue.size, 1); // 2 was not enqueued
   * ```
   */
  put(item: T, options?: WaitOptions): Promise<void> {
    let wait: Wait | undefined;
    try {
      if (options !== undefined) {
        wait = readWait(`${this.#name}.put()`, options);
        if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
      }
      if (this.#closed) return Promise.reject(this.#refused(item));
      if (this.#offer(item)) return RESOLVED;
    } catch (error) {
      // A throwing option getter, or a PriorityQueue's key or compare: nothing was enqueued.
      return Promise.reject(error);
    }
    return this.#putters.wait(item, wait, `${this.#name}.put()`);
  }

  /**
   * Puts `item` into the queue without waiting (Python's `put_nowait`).
   *
   * @param item The item to enqueue.
   * @throws {QueueFull} If the queue is full; `error.item` is `item`.
   * @throws {QueueClosed} If the queue is closed; `error.item` is `item`.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueFull } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<string>({ maxsize: 1 });
   * queue.putNowait("a");
   * assert.throws(() => queue.putNowait("b"), QueueFull);
   * ```
   */
  putNowait(item: T): void {
    if (this.#closed) throw this.#refused(item);
    if (!this.#offer(item)) {
      throw new QueueFull(
        `Cannot put into ${this.#name}: the queue is full (maxsize ${this.#maxsize})`,
        { item },
      );
    }
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty.
   *
   * **Fairness**: waiting gets are served in the order they were called, each woken once, by the
   * item it receives (no polling). Taking an item admits the oldest waiting `put()`.
   * **Cancellation**: if `signal` aborts or `timeout` elapses while waiting, the call rejects
   * with `signal.reason` or a `TimeoutError` and consumes nothing: the next item goes to the next
   * waiter or stays queued. **Closing**: once the queue is closed, gets still drain the queued
   * items and then reject with {@linkcode QueueClosed}; gets waiting on the empty queue when it
   * closes reject at once.
   *
   * When an item is queued, `get()` takes it synchronously and returns a resolved promise.
   *
   * @param options `signal` and `timeout` (ms) to give up waiting for an item.
   * @returns A promise of the item.
   * @throws {QueueClosed} (rejects) If the queue is closed and empty.
   * @throws {TypeError} (rejects) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (rejects) If `timeout` is negative or NaN.
   *
   * @example Waiting for an item, with a deadline
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<string>();
   * const next = queue.get({ timeout: 1_000 });
   * await queue.put("hello");
   * assert.equal(await next, "hello");
   * await assert.rejects(queue.get({ timeout: 1 }), { name: "TimeoutError" });
   * ```
   */
  get(options?: WaitOptions): Promise<T> {
    let wait: Wait | undefined;
    try {
      if (options !== undefined) {
        wait = readWait(`${this.#name}.get()`, options);
        if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
      }
      if (this.#storage.length > 0) return Promise.resolve(this.#take());
    } catch (error) {
      // A throwing option getter, or a PriorityQueue's compare: nothing was taken.
      return Promise.reject(error);
    }
    if (this.#closed) return Promise.reject(this.#drained());
    return this.#getters.wait(undefined, wait, `${this.#name}.get()`);
  }

  /**
   * Removes and returns the next item without waiting (Python's `get_nowait`).
   *
   * @returns The item.
   * @throws {QueueEmpty} If no item is queued.
   * @throws {QueueClosed} If the queue is closed and empty.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmpty } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * queue.putNowait(7);
   * assert.equal(queue.getNowait(), 7);
   * assert.throws(() => queue.getNowait(), QueueEmpty);
   * ```
   */
  getNowait(): T {
    if (this.#storage.length > 0) return this.#take();
    if (this.#closed) throw this.#drained();
    throw new QueueEmpty(`Cannot get from ${this.#name}: the queue is empty`);
  }

  /**
   * Marks one item taken with `get()` as processed. When every accepted item has been marked,
   * waiting `join()` calls resolve.
   *
   * @throws {RangeError} If called more times than items were accepted (Python's `ValueError`).
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * await queue.put(1);
   * await queue.get();
   * queue.taskDone();
   * await queue.join(); // resolves at once
   * assert.throws(() => queue.taskDone(), RangeError);
   * ```
   */
  taskDone(): void {
    if (this.#unfinished === 0) throw this.#tooManyDone();
    if (--this.#unfinished === 0) this.#finish();
  }

  /**
   * Waits until every item accepted by the queue has been marked done with `taskDone()`.
   * Resolves at once if none is unfinished.
   *
   * **Fairness**: all waiting joins resolve together, exactly when the last `taskDone()` is
   * called. **Cancellation**: if `signal` aborts or `timeout` elapses first, the call rejects
   * with `signal.reason` or a `TimeoutError`; the queue is unaffected. **Closing**: `close()`
   * does not resolve a join by itself; `close({ immediate: true })` counts the items it removes
   * as done, so the join resolves once no consumer still holds an unfinished item.
   *
   * @param options `signal` and `timeout` (ms) to give up waiting.
   * @returns A promise that resolves when no task is unfinished.
   * @throws {TypeError} (rejects) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (rejects) If `timeout` is negative or NaN.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * await queue.put(1);
   * await assert.rejects(queue.join({ timeout: 1 }), { name: "TimeoutError" });
   * await queue.get();
   * queue.taskDone();
   * await queue.join();
   * ```
   */
  join(options?: WaitOptions): Promise<void> {
    let wait: Wait | undefined;
    if (options !== undefined) {
      try {
        wait = readWait(`${this.#name}.join()`, options);
      } catch (error) {
        return Promise.reject(error);
      }
      if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
    }
    if (this.#unfinished === 0) return RESOLVED;
    return this.#joiners.wait(undefined, wait, `${this.#name}.join()`);
  }

  /**
   * Closes the queue (Python 3.13's `shutdown()`, Go's `close(ch)`). Calling it again is allowed.
   *
   * - Later `put()`/`putNowait()` calls are refused with {@linkcode QueueClosed}, whose `item` is
   *   the refused item.
   * - `put()` calls waiting for room are refused the same way, each with its own item: they were
   *   never enqueued, and the caller gets them back.
   * - `get()` keeps returning the queued items; once the queue is empty it rejects with
   *   `QueueClosed`, and so do the gets waiting on an empty queue, at once.
   * - `join()` keeps waiting for the queued and taken items to be marked done.
   *
   * With `{ immediate: true }` (Python's `shutdown(immediate=True)`), the queued items are also
   * removed now and **returned** (nothing vanishes silently); they count as done, so `join()`
   * resolves once no consumer holds an unfinished item, and every `get()` rejects.
   *
   * @param options `immediate`: also remove and return the queued items.
   * @returns The removed items, in the order `get()` would have returned them (empty unless
   * `immediate`).
   * @throws {TypeError} If `options` is not an object or `immediate` is not a boolean.
   *
   * @example Ending consumers after the last item
   * ```ts
   * import { Queue, QueueClosed } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * await queue.put(1);
   * queue.close();
   * assert.equal(await queue.get(), 1); // drained first
   * await assert.rejects(queue.get(), QueueClosed);
   * ```
   *
   * @example Closing at once and getting the leftovers back
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<string>();
   * await queue.put("a");
   * await queue.put("b");
   * assert.deepEqual(queue.close({ immediate: true }), ["a", "b"]);
   * await queue.join(); // nothing unfinished remains
   * ```
   */
  close(options?: CloseOptions): T[] {
    const call = `${this.#name}.close()`;
    const immediate = checkBoolean(call, "immediate", readOptions(call, options).immediate, false);
    this.#closed = true;
    for (let putter = this.#putters.shift(); putter; putter = this.#putters.shift()) {
      putter.reject(this.#refused(putter.value));
    }
    let drained: T[] = [];
    if (immediate && this.#storage.length > 0) {
      drained = this.#storage.drain();
      this.#unfinished = Math.max(0, this.#unfinished - drained.length);
      if (this.#unfinished === 0) this.#finish();
    }
    if (this.#storage.length === 0) {
      for (let getter = this.#getters.shift(); getter; getter = this.#getters.shift()) {
        getter.reject(this.#drained());
      }
    }
    return drained;
  }

  /**
   * Iterates over the items until the queue is closed and drained, like the chapter's
   * `ClosableQueue.__iter__`: each item is marked done with `taskDone()` once the loop body has
   * finished with it (when the next item is requested, or when the loop exits by `break`,
   * `return` or `throw`). Several consumers may iterate the same queue; each item goes to one.
   * An item that is a promise is awaited, as `get()` does; if it rejects, the loop throws its
   * reason and the item is marked done all the same, so `join()` never waits for it. Each
   * iteration costs one promise turn, as an explicit `await queue.get()` loop does.
   *
   * @returns An async iterator of the items.
   *
   * @example A worker
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const inbox = new Queue<number>();
   * const outbox = new Queue<number>();
   * const worker = (async () => {
   *   for await (const n of inbox) await outbox.put(n * n);
   * })();
   * for (const n of [1, 2, 3]) await inbox.put(n);
   * inbox.close();
   * await inbox.join();
   * await worker;
   * assert.deepEqual([outbox.getNowait(), outbox.getNowait(), outbox.getNowait()], [1, 4, 9]);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new QueueIterator(this);
  }

  static {
    // The iterator's two methods, given access to the queue's private state; a class iterator
    // with the work done here is measurably faster than closures over the queue.
    iteratorNext = (queue, iterator) => queue.#next(iterator);
    iteratorReturn = (queue, iterator) => queue.#return(iterator);
  }

  #next(it: QueueIterator<T>): Promise<IteratorResult<T, undefined>> {
    if (it.held !== 0) {
      const error = this.#release(it);
      if (error !== undefined) return error;
    }
    if (it.finished) return DONE_PROMISE;
    const storage = this.#storage;
    if (storage.length !== 0) {
      let item: T;
      try {
        item = storage.take();
      } catch (error) {
        return Promise.reject(error); // a PriorityQueue's compare threw: nothing was taken
      }
      if (this.#putters.length !== 0) this.#admit();
      if (typeof item !== "object" && typeof item !== "function") {
        it.held++; // the common case, inlined: a primitive cannot be a thenable
        return Promise.resolve({ value: item, done: false });
      }
      return Promise.resolve(it.deliver(item));
    }
    if (this.#closed) {
      it.finished = true;
      return DONE_PROMISE;
    }
    const { promise, resolve } = withResolvers<IteratorResult<T, undefined>>();
    it.settle = resolve;
    it.waiter = new Waiter<undefined, T>(undefined, (item) => {
      it.waiter = it.settle = undefined;
      resolve(it.deliver(item));
    }, () => {
      // Only close() rejects a waiter without options: the loop ends.
      it.waiter = it.settle = undefined;
      it.finished = true;
      resolve(DONE);
    });
    this.#getters.add(it.waiter, undefined, "");
    return promise;
  }

  #return(it: QueueIterator<T>): Promise<never> | undefined {
    it.finished = true;
    const error = this.#release(it);
    if (it.waiter !== undefined) {
      // A next() still waiting (outside for await) ends now, taking nothing.
      this.#getters.remove(it.waiter);
      it.settle?.(DONE);
      it.waiter = it.settle = undefined;
    }
    return error;
  }

  /** Marks the items `it` handed out done; rejects as taskDone() throws if the body did too. */
  #release(it: QueueIterator<T>): Promise<never> | undefined {
    const count = it.held;
    it.held = 0;
    if (this.#unfinished < count) {
      this.#unfinished = 0;
      return Promise.reject(this.#tooManyDone());
    }
    if ((this.#unfinished -= count) === 0) this.#finish();
    return undefined;
  }

  /**
   * How many `get()` calls (and `for await` loops) are waiting for an item.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>();
   * const next = queue.get();
   * assert.equal(queue.waitingGetters, 1);
   * queue.putNowait(1);
   * assert.equal(queue.waitingGetters, 0);
   * assert.equal(await next, 1);
   * ```
   */
  get waitingGetters(): number {
    return this.#getters.length;
  }

  /**
   * How many `put()` calls are waiting for room.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>({ maxsize: 1 });
   * queue.putNowait(1);
   * const put = queue.put(2);
   * assert.equal(queue.waitingPutters, 1);
   * assert.equal(queue.getNowait(), 1);
   * assert.equal(queue.waitingPutters, 0);
   * await put;
   * ```
   */
  get waitingPutters(): number {
    return this.#putters.length;
  }

  /**
   * Shows the queue in `console.log` and `Deno.inspect`: its class, state and items in the order
   * `get()` would return them.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new Queue<number>({ maxsize: 4 });
   * queue.putNowait(1);
   * queue.putNowait(2);
   * assert.equal(
   *   Deno.inspect(queue, { breakLength: Infinity }),
   *   "Queue { maxsize: 4, size: 2, items: [ 1, 2 ], unfinishedTasks: 2, waitingGetters: 0, waitingPutters: 0, closed: false }",
   * );
   * ```
   */
  [DENO_INSPECT](
    inspect: (value: unknown, options?: unknown) => string,
    options?: unknown,
  ): string {
    return `${this.#name} ${inspect(this.#state(), options)}`;
  }

  /**
   * Shows the queue in Node's `util.inspect` and `console.log`, as for `Deno.inspect`.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@effective/concurrency/queue";
   * import { inspect } from "node:util";
   * import assert from "node:assert/strict";
   *
   * assert.match(inspect(new Queue()), /^Queue \{\s+maxsize: 0,\s+size: 0/);
   * ```
   */
  [NODE_INSPECT](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options?: unknown) => string,
  ): string {
    return `${this.#name} ${inspect(this.#state(), options)}`;
  }

  #state(): Record<string, unknown> {
    return {
      maxsize: this.#maxsize,
      size: this.#storage.length,
      items: this.#storage.toArray(),
      unfinishedTasks: this.#unfinished,
      waitingGetters: this.#getters.length,
      waitingPutters: this.#putters.length,
      closed: this.#closed,
    };
  }

  /** Accepts `item` now if a getter waits or there is room; returns whether it did. */
  #offer(item: T): boolean {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      this.#unfinished++;
      getter.resolve(item);
      return true;
    }
    if (this.#maxsize > 0 && this.#storage.length >= this.#maxsize) return false;
    this.#storage.push(item); // may throw (a PriorityQueue's compare): nothing is counted
    this.#unfinished++;
    return true;
  }

  /**
   * Takes the next item (the queue is not empty) and admits the oldest waiting putter. If the
   * storage throws (a PriorityQueue's compare), nothing is taken.
   */
  #take(): T {
    const item = this.#storage.take();
    if (this.#putters.length !== 0) this.#admit();
    return item;
  }

  /** Admits a waiting putter into the slot just freed. */
  #admit(): void {
    // One slot is free: admit the oldest putter whose item the storage accepts. One it refuses
    // (its compare or key threw) gets the error, with its item not enqueued, and the next tries.
    for (let putter = this.#putters.shift(); putter; putter = this.#putters.shift()) {
      try {
        this.#storage.push(putter.value);
      } catch (error) {
        putter.reject(error);
        continue;
      }
      this.#unfinished++;
      putter.resolve();
      break;
    }
  }

  #finish(): void {
    for (let joiner = this.#joiners.shift(); joiner; joiner = this.#joiners.shift()) {
      joiner.resolve();
    }
  }

  #tooManyDone(): RangeError {
    return new RangeError(
      `Cannot call ${this.#name}.taskDone(): called more times than items were put`,
    );
  }

  #refused(item: T): QueueClosed<T> {
    return new QueueClosed(`Cannot put into ${this.#name}: the queue is closed`, { item });
  }

  #drained(): QueueClosed<T> {
    return new QueueClosed(`Cannot get from ${this.#name}: the queue is closed and empty`);
  }
}
