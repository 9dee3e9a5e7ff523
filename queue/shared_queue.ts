/**
 * {@linkcode SharedQueue}: a bounded, closable, joinable FIFO queue in a `SharedArrayBuffer`,
 * shared by workers.
 *
 * @module
 */

import { QueueClosed, QueueEmpty, QueueFull } from "./errors.ts";
import { DENO_INSPECT, NODE_INSPECT } from "./_inspect.ts";
import { CellWaiters, lock, unlock } from "./_atomics.ts";
import { deserialize, serialize } from "./_clone.ts";
import { frame, PREFIX, readRecord, writeRecord } from "./_record_ring.ts";
import { SharedQueueIterator } from "./_shared_queue_iterator.ts";
import {
  beginWait,
  checkBoolean,
  checkInteger,
  invalid,
  readOptions,
  readWait,
  timeoutError,
  type Wait,
} from "./_options.ts";
import type { CloseOptions, WaitOptions } from "./queue.ts";

// The header: Int32 cells. The items follow, as records (a u32 length, then the bytes) in a byte
// ring of `bytes` bytes (their layout: _record_ring.ts).
const MAGIC = 0; // tags the buffer as a SharedQueue's
const LOCK = 1; // the futex guarding every cell below and the ring
const COUNT = 2; // items queued
const HEAD = 3; // byte offset of the oldest record in the ring
const USED = 4; // bytes of the ring in use
const CLOSED = 5;
const UNFINISHED = 6; // items put and not yet marked done
const PUT_SEQ = 7; // bumped by every put and by close: getters wait on it
const GET_SEQ = 8; // bumped by every get and by close: putters wait on it
const DONE_SEQ = 9; // bumped when UNFINISHED reaches 0: joiners wait on it
const MAXSIZE = 10;
const WAITING_GETTERS = 11; // tells a put whether anyone needs a notify
const WAITING_PUTTERS = 12;
const CELLS = 16;
const HEADER = CELLS * 4;
const TAG = 0x51554555; // "QUEU"

const DEFAULT_BYTES = 1 << 20;
const MAX_BYTES = 2 ** 30;

// What a put that does not wait returns: one settled promise, shared (as Queue's put does).
const RESOLVED: Promise<void> = Promise.resolve();

// Set by `from()` for the constructor to adopt instead of allocating.
let adopted: SharedArrayBuffer | undefined;

/** Options for the {@linkcode SharedQueue} constructor. */
export interface SharedQueueOptions {
  /**
   * The most items the queue holds; `put()` waits while it holds that many. `0` means no limit
   * on the count (the `bytes` still bound the queue). An integer from 0 to 2147483647.
   *
   * @default {0}
   */
  maxsize?: number;
  /**
   * The bytes of shared memory for queued items, serialized (about the size of their JSON, plus
   * 4 bytes each). `put()` also waits while an item does not fit; an item larger than this is
   * refused with a `RangeError`. An integer from 64 to 2**30.
   *
   * @default {1048576}
   */
  bytes?: number;
}

/** Options for {@linkcode SharedQueue.prototype.put}. */
export interface SharedPutOptions extends WaitOptions {
  /**
   * `ArrayBuffer`s of the item to move rather than copy, as for `postMessage`: once the item is
   * queued they are detached in this thread (their bytes travel in the queue). A detached buffer
   * in the list is refused with a `TypeError` before anything is queued; one the platform cannot
   * transfer (a `WebAssembly.Memory`'s) stays attached, its bytes copied.
   */
  transfer?: ArrayBuffer[];
}

/**
 * A `SharedQueue` is a first-in, first-out queue whose items live in a `SharedArrayBuffer`, so
 * several workers share it: Python's `multiprocessing.JoinableQueue` (3.13's `shutdown()` as
 * `close()`) for JavaScript's threads. Create it in one thread, post its
 * {@linkcode SharedQueue.prototype.buffer} to the workers, and attach there with
 * {@linkcode SharedQueue.from}. It has `Queue`'s interface: `put`/`get` wait (with `signal` and
 * `timeout`), `putNowait`/`getNowait` don't, `close()`, `taskDone`/`join`, and `for await`.
 *
 * **Items are structured-cloned**, as by `postMessage`: `put` serializes the item into the shared
 * memory and `get` rebuilds it in the taking thread. Data types are supported (primitives,
 * arrays, plain objects, `Map`, `Set`, `Date`, `RegExp`, errors, `ArrayBuffer`s and typed arrays,
 * with shared references and cycles kept); class instances arrive as plain objects; functions,
 * symbols, promises, `MessagePort`s and `SharedArrayBuffer`s are refused with a `DataCloneError`
 * (the put rejects, nothing is queued). `ArrayBuffer`s listed in `transfer` are moved.
 *
 * **Why bytes in shared memory** rather than messages: no thread is a broker. An item put
 * stays in the buffer until some thread takes it, whichever threads are alive or busy; a get is
 * a copy under a short lock, with no round trip; and back-pressure is exact, by count
 * (`maxsize`) and by size (`bytes`).
 *
 * **Guarantees**: FIFO; every item put is taken exactly once or returned by
 * `close({ immediate: true })`; an aborted or timed-out `put` queues nothing and an aborted or
 * timed-out `get` takes nothing, whatever the other threads do. Waiting is `Atomics.waitAsync`:
 * it does not block the thread, and a waiting thread is woken by the put or get that lets it
 * proceed (no polling). Fairness between threads is not FIFO: after a wake-up, the waiters race
 * (as with Go's channels under contention). Within one thread, the waits share one engine wait,
 * and a put wakes every get waiting in that thread to re-check (likewise a get, the puts): many
 * waiting gets in one thread cost O(n) per item, so run one consumer loop per worker.
 *
 * **Where it runs**: wherever `SharedArrayBuffer` and `Atomics.waitAsync` exist (Deno, Node,
 * Chromium; in browsers the page must be cross-origin isolated to share memory). A thread that
 * may not block (a browser's main thread) spins instead of sleeping in the rare moments another
 * thread holds the lock.
 *
 * **A worker terminated before `taskDone()`**: the item it had taken is gone (delivery is at
 * most once, as with `multiprocessing.JoinableQueue`) and stays counted in `unfinishedTasks`, so
 * `join()` would wait for it forever: give `join` a `timeout` or `signal` where workers may be
 * terminated, or let them finish (`close()`, then wait for their loops). The other items are
 * unaffected (a `get` or `put` it was waiting in stays counted in `waitingGetters` or
 * `waitingPutters`, which only costs spurious wake-ups). As Python warns of
 * `multiprocessing.Queue`, terminating a worker *while* it runs a `put` or `get` (a few
 * microseconds inside the lock) can leave the lock held and the queue stuck.
 *
 * @typeParam T The type of the items.
 *
 * @example Hand work to a worker
 * ```ts ignore
 * // main.ts
 * import { SharedQueue } from "@effective/concurrency/queue";
 *
 * const jobs = new SharedQueue<{ url: string }>({ maxsize: 100 });
 * const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
 * worker.postMessage(jobs.buffer);
 * for (const url of ["a", "b", "c"]) await jobs.put({ url });
 * jobs.close();
 * await jobs.join(); // every job taken and marked done
 *
 * // worker.ts
 * import { SharedQueue } from "@effective/concurrency/queue";
 *
 * self.onmessage = async (event) => {
 *   const jobs = SharedQueue.from<{ url: string }>(event.data);
 *   for await (const job of jobs) console.log(job.url); // taskDone() after each
 *   self.close();
 * };
 * ```
 *
 * @example In one thread, the same interface as Queue
 * ```ts
 * import { SharedQueue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const queue = new SharedQueue<{ n: number; at: Date }>({ maxsize: 2 });
 * const same = SharedQueue.from<{ n: number; at: Date }>(queue.buffer); // as a worker would
 * await queue.put({ n: 1, at: new Date(0) });
 * const item = await same.get();
 * assert.deepEqual(item, { n: 1, at: new Date(0) });
 * same.taskDone();
 * await queue.join();
 * ```
 */
export class SharedQueue<T> {
  #cells: Int32Array<SharedArrayBuffer>;
  #ring: Uint8Array<SharedArrayBuffer>;
  #maxsize: number;
  #getters: CellWaiters; // wait on PUT_SEQ
  #putters: CellWaiters; // wait on GET_SEQ
  #joiners: CellWaiters; // wait on DONE_SEQ

  /**
   * Allocates a new, empty queue in its own `SharedArrayBuffer`.
   *
   * @param options `maxsize`: the most items queued, `0` for no limit but `bytes`; `bytes`: the
   * shared memory for queued items.
   * @throws {TypeError} If `options` is not an object or an option is not a number.
   * @throws {RangeError} If `maxsize` or `bytes` is out of range.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<string>({ maxsize: 8, bytes: 4096 });
   * assert.equal(queue.maxsize, 8);
   * assert.equal(queue.bytes, 4096);
   * ```
   */
  constructor(options?: SharedQueueOptions) {
    let buffer = adopted;
    if (buffer === undefined) {
      const call = "new SharedQueue()";
      const read = readOptions(call, options);
      const maxsize = read.maxsize === undefined
        ? 0
        : checkInteger(call, "maxsize", read.maxsize, 0, 0x7fffffff);
      const bytes = read.bytes === undefined
        ? DEFAULT_BYTES
        : checkInteger(call, "bytes", read.bytes, 64, MAX_BYTES);
      buffer = new SharedArrayBuffer(HEADER + bytes);
      const cells = new Int32Array(buffer, 0, CELLS);
      cells[MAXSIZE] = maxsize;
      Atomics.store(cells, MAGIC, TAG);
    }
    this.#cells = new Int32Array(buffer, 0, CELLS);
    this.#ring = new Uint8Array(buffer, HEADER);
    this.#maxsize = Atomics.load(this.#cells, MAXSIZE);
    this.#getters = new CellWaiters(this.#cells, PUT_SEQ);
    this.#putters = new CellWaiters(this.#cells, GET_SEQ);
    this.#joiners = new CellWaiters(this.#cells, DONE_SEQ);
  }

  /**
   * Attaches to a queue made in another thread, from its {@linkcode SharedQueue.prototype.buffer}.
   *
   * @typeParam T The type of the items.
   * @param buffer The `buffer` of a `SharedQueue`, as posted to this thread.
   * @returns A queue sharing its items and state with the original.
   * @throws {TypeError} If `buffer` is not a `SharedArrayBuffer` made by `new SharedQueue()`.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * queue.putNowait(1);
   * assert.equal(SharedQueue.from<number>(queue.buffer).getNowait(), 1);
   * assert.throws(() => SharedQueue.from(new SharedArrayBuffer(64)), TypeError);
   * ```
   */
  static from<T>(buffer: SharedArrayBuffer): SharedQueue<T> {
    const call = "SharedQueue.from()";
    if (!(buffer instanceof SharedArrayBuffer)) {
      throw invalid(call, "buffer", "a SharedArrayBuffer (a SharedQueue's buffer)", buffer);
    }
    if (
      buffer.byteLength < HEADER + 64 ||
      Atomics.load(new Int32Array(buffer, 0, CELLS), MAGIC) !== TAG
    ) {
      throw invalid(call, "buffer", "the buffer of a SharedQueue", buffer);
    }
    adopted = buffer;
    try {
      return new SharedQueue<T>();
    } finally {
      adopted = undefined;
    }
  }

  /**
   * The shared memory holding the queue. Post it to a worker and call
   * {@linkcode SharedQueue.from} there.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.ok(new SharedQueue().buffer instanceof SharedArrayBuffer);
   * ```
   */
  get buffer(): SharedArrayBuffer {
    return this.#cells.buffer;
  }

  /**
   * The most items queued at once, `0` for no limit but {@linkcode SharedQueue.prototype.bytes}.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedQueue({ maxsize: 3 }).maxsize, 3);
   * ```
   */
  get maxsize(): number {
    return this.#maxsize;
  }

  /**
   * The bytes of shared memory for queued items.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedQueue().bytes, 1048576);
   * ```
   */
  get bytes(): number {
    return this.#ring.length;
  }

  /**
   * How many items are queued now, in all threads (a snapshot).
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * queue.putNowait(1);
   * assert.equal(queue.size, 1);
   * ```
   */
  get size(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /**
   * Whether no item is queued (a snapshot).
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedQueue().empty, true);
   * ```
   */
  get empty(): boolean {
    return this.size === 0;
  }

  /**
   * Whether `maxsize` items are queued (a snapshot; a put may also wait for `bytes`).
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>({ maxsize: 1 });
   * queue.putNowait(1);
   * assert.equal(queue.full, true);
   * ```
   */
  get full(): boolean {
    return this.#maxsize > 0 && this.size >= this.#maxsize;
  }

  /**
   * Whether {@linkcode SharedQueue.prototype.close} has been called, in any thread.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue();
   * queue.close();
   * assert.equal(SharedQueue.from(queue.buffer).closed, true);
   * ```
   */
  get closed(): boolean {
    return Atomics.load(this.#cells, CLOSED) === 1;
  }

  /**
   * How many items put have not been marked done with `taskDone()` yet, in all threads.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * queue.putNowait(1);
   * queue.getNowait();
   * assert.equal(queue.unfinishedTasks, 1);
   * ```
   */
  get unfinishedTasks(): number {
    return Atomics.load(this.#cells, UNFINISHED);
  }

  /**
   * How many `get()` calls wait for an item, in all threads (a snapshot).
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedQueue().waitingGetters, 0);
   * ```
   */
  get waitingGetters(): number {
    return Atomics.load(this.#cells, WAITING_GETTERS);
  }

  /**
   * How many `put()` calls wait for room, in all threads (a snapshot).
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SharedQueue().waitingPutters, 0);
   * ```
   */
  get waitingPutters(): number {
    return Atomics.load(this.#cells, WAITING_PUTTERS);
  }

  /**
   * Puts a clone of `item` into the queue, waiting while it is full (by count or bytes).
   *
   * **Cancellation**: if `signal` aborts or `timeout` elapses while waiting, the call rejects
   * with `signal.reason` or a `TimeoutError` and nothing is queued; an already-aborted signal
   * rejects at once. **Fairness**: none between threads: when room frees up, the waiting puts
   * race for it. **Closing**: a put waiting when the queue is closed, in any thread, rejects
   * with {@linkcode QueueClosed} carrying its item.
   *
   * @param item The item; cloned as by `postMessage`.
   * @param options `signal` and `timeout` (ms) to give up waiting; `transfer`: `ArrayBuffer`s
   * of the item to move.
   * @returns A promise that resolves once the item is queued.
   * @throws {DOMException} (rejects) `DataCloneError` if the item cannot be cloned.
   * @throws {RangeError} (rejects) If the item takes more than `bytes`, or `timeout` is out of range.
   * @throws {QueueClosed} (rejects) If the queue is closed; `error.item` is `item`.
   * @throws {TypeError} (rejects) If an option has the wrong type.
   *
   * @example Back-pressure
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<string>({ maxsize: 1 });
   * await queue.put("a");
   * await assert.rejects(queue.put("b", { timeout: 10 }), { name: "TimeoutError" });
   * assert.equal(queue.size, 1);
   * ```
   */
  put(item: T, options?: SharedPutOptions): Promise<void> {
    const call = "SharedQueue.put()";
    let wait: Wait;
    let record: Uint8Array;
    let transfer: ArrayBuffer[] | undefined;
    try {
      wait = readWait(call, options);
      transfer = checkTransfer(call, options?.transfer);
      if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
      record = this.#record(call, item);
      if (this.#offer(record, item)) {
        detach(transfer);
        return RESOLVED;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    // The record is a view of a buffer the next put reuses: keep a copy while waiting.
    return this.#putWaiting(record.slice(), item, wait, transfer);
  }

  /**
   * Puts a clone of `item` into the queue without waiting.
   *
   * @param item The item; cloned as by `postMessage`.
   * @throws {QueueFull} If `maxsize` items are queued or the item does not fit in the bytes left.
   * @throws {QueueClosed} If the queue is closed.
   * @throws {DOMException} `DataCloneError` if the item cannot be cloned.
   * @throws {RangeError} If the item takes more than `bytes`.
   *
   * @example Usage
   * ```ts
   * import { QueueFull, SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>({ maxsize: 1 });
   * queue.putNowait(1);
   * assert.throws(() => queue.putNowait(2), QueueFull);
   * ```
   */
  putNowait(item: T): void {
    const record = this.#record("SharedQueue.putNowait()", item); // a reused buffer: offered now
    if (!this.#offer(record, item)) {
      throw new QueueFull("Cannot put into SharedQueue: the queue is full", { item });
    }
  }

  /**
   * Removes and returns the next item (a clone), waiting while the queue is empty.
   *
   * **Cancellation**: if `signal` aborts or `timeout` elapses while waiting, the call rejects
   * with `signal.reason` or a `TimeoutError` and takes nothing; an already-aborted signal rejects
   * at once. **Fairness**: none between threads: when an item arrives, the waiting gets race for
   * it. **Closing**: once the queue is closed, gets drain it and then reject with
   * {@linkcode QueueClosed}; gets waiting on the empty queue reject at once.
   *
   * @param options `signal` and `timeout` (ms) to give up waiting.
   * @returns A promise of the item.
   * @throws {QueueClosed} (rejects) If the queue is closed and empty.
   * @throws {TypeError} (rejects) If an option has the wrong type.
   * @throws {RangeError} (rejects) If `timeout` is out of range.
   *
   * @example Waiting with a deadline
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<string>();
   * await assert.rejects(queue.get({ timeout: 1 }), { name: "TimeoutError" });
   * ```
   */
  get(options?: WaitOptions): Promise<T> {
    const call = "SharedQueue.get()";
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    const taken = this.#take();
    if (taken !== undefined) return Promise.resolve(deserialize(taken) as T);
    return this.#getWaiting(wait);
  }

  /**
   * Removes and returns the next item (a clone) without waiting.
   *
   * @returns The item.
   * @throws {QueueEmpty} If no item is queued.
   * @throws {QueueClosed} If the queue is closed and empty.
   *
   * @example Usage
   * ```ts
   * import { QueueEmpty, SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * assert.throws(() => queue.getNowait(), QueueEmpty);
   * ```
   */
  getNowait(): T {
    const taken = this.#take();
    if (taken !== undefined) return deserialize(taken) as T;
    if (this.closed) throw drained();
    throw new QueueEmpty("Cannot get from SharedQueue: the queue is empty");
  }

  /**
   * Marks one item taken with `get()` as processed, in any thread. When every item put has been
   * marked, waiting `join()` calls resolve, in every thread.
   *
   * @throws {RangeError} If called more times than items were put.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * await queue.put(1);
   * await queue.get();
   * queue.taskDone();
   * await queue.join();
   * assert.throws(() => queue.taskDone(), RangeError);
   * ```
   */
  taskDone(): void {
    const cells = this.#cells;
    for (;;) {
      const unfinished = Atomics.load(cells, UNFINISHED);
      if (unfinished === 0) {
        throw new RangeError(
          "Cannot call SharedQueue.taskDone(): called more times than items were put",
        );
      }
      if (Atomics.compareExchange(cells, UNFINISHED, unfinished, unfinished - 1) === unfinished) {
        if (unfinished === 1) this.#finished();
        return;
      }
    }
  }

  /**
   * Waits until every item put, in any thread, has been marked done with `taskDone()`; resolves
   * at once if none is unfinished. It resolves when the count reaches zero, even if a later put
   * raises it again before this thread runs.
   *
   * **Cancellation**: if `signal` aborts or `timeout` elapses first, the call rejects with
   * `signal.reason` or a `TimeoutError`; the queue is unaffected. Give it one where a worker may
   * be terminated before marking its item done: that item is never marked.
   *
   * @param options `signal` and `timeout` (ms) to give up waiting.
   * @returns A promise that resolves when no task is unfinished.
   * @throws {TypeError} (rejects) If an option has the wrong type.
   * @throws {RangeError} (rejects) If `timeout` is out of range.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * await queue.put(1);
   * await assert.rejects(queue.join({ timeout: 1 }), { name: "TimeoutError" });
   * ```
   */
  async join(options?: WaitOptions): Promise<void> {
    const call = "SharedQueue.join()";
    const wait = readWait(call, options);
    const { signal } = wait;
    if (signal?.aborted) throw signal.reason;
    const deadline = deadlineOf(wait.timeout);
    const cells = this.#cells;
    const seq = Atomics.load(cells, DONE_SEQ);
    while (Atomics.load(cells, UNFINISHED) !== 0 && Atomics.load(cells, DONE_SEQ) === seq) {
      const outcome = await this.#joiners.wait(seq, left(deadline), signal);
      if (outcome === "aborted") throw signal?.reason;
      if (outcome === "timed-out" && Atomics.load(cells, DONE_SEQ) === seq) {
        throw timeoutError(call, wait.timeout as number);
      }
    }
  }

  /**
   * Closes the queue for every thread (Python 3.13's `shutdown()`); calling it again is allowed.
   * Later puts are refused with {@linkcode QueueClosed} carrying their item, and so are puts
   * waiting for room; gets drain the queued items, then reject with `QueueClosed`, and so do
   * gets waiting on the empty queue. With `{ immediate: true }` the queued items are also removed
   * now and **returned** (cloned), and count as done for `join()`.
   *
   * @param options `immediate`: also remove and return the queued items.
   * @returns The removed items in FIFO order (empty unless `immediate`).
   * @throws {TypeError} If `options` is not an object or `immediate` is not a boolean.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<string>();
   * await queue.put("a");
   * assert.deepEqual(queue.close({ immediate: true }), ["a"]);
   * await queue.join();
   * ```
   */
  close(options?: CloseOptions): T[] {
    const call = "SharedQueue.close()";
    const immediate = checkBoolean(call, "immediate", readOptions(call, options).immediate, false);
    const cells = this.#cells;
    const records: Uint8Array[] = [];
    lock(cells, LOCK);
    Atomics.store(cells, CLOSED, 1);
    if (immediate) {
      for (let record = this.#shift(); record; record = this.#shift()) records.push(record);
    }
    Atomics.add(cells, PUT_SEQ, 1);
    Atomics.add(cells, GET_SEQ, 1);
    let finished = false;
    if (records.length > 0) {
      // taskDone() changes the count without the lock, so a load then store here could undo
      // one made in another thread meanwhile (and join() would wait forever): compare-exchange.
      for (;;) {
        const unfinished = Atomics.load(cells, UNFINISHED);
        const after = Math.max(0, unfinished - records.length);
        if (Atomics.compareExchange(cells, UNFINISHED, unfinished, after) === unfinished) {
          finished = unfinished > 0 && after === 0;
          break;
        }
      }
    }
    unlock(cells, LOCK);
    Atomics.notify(cells, PUT_SEQ);
    Atomics.notify(cells, GET_SEQ);
    if (finished) this.#finished();
    return records.map((record) => deserialize(record) as T);
  }

  /**
   * Iterates over the items until the queue is closed and drained, calling `taskDone()` for each
   * once the loop body has finished with it, as `Queue`'s iterator does. Workers in several
   * threads may iterate the same queue; each item goes to one. Leaving the loop (`break`, a
   * throw, or `return()` while a `next()` waits on the open queue) ends at once and takes
   * nothing more: the waiting get is aborted.
   *
   * @returns An async iterator of the items.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * const queue = new SharedQueue<number>();
   * for (const n of [1, 2, 3]) await queue.put(n);
   * queue.close();
   * const seen = [];
   * for await (const n of queue) seen.push(n);
   * assert.deepEqual(seen, [1, 2, 3]);
   * await queue.join();
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new SharedQueueIterator(this);
  }

  /**
   * Shows the queue's state in `console.log` and `Deno.inspect`.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import assert from "node:assert/strict";
   *
   * assert.match(Deno.inspect(new SharedQueue()), /^SharedQueue \{/);
   * ```
   */
  [DENO_INSPECT](
    inspect: (value: unknown, options?: unknown) => string,
    options?: unknown,
  ): string {
    return `SharedQueue ${inspect(this.#state(), options)}`;
  }

  /**
   * Shows the queue's state in Node's `util.inspect`, as for `Deno.inspect`.
   *
   * @example Usage
   * ```ts
   * import { SharedQueue } from "@effective/concurrency/queue";
   * import { inspect } from "node:util";
   * import assert from "node:assert/strict";
   *
   * assert.match(inspect(new SharedQueue()), /^SharedQueue \{/);
   * ```
   */
  [NODE_INSPECT](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options?: unknown) => string,
  ): string {
    return `SharedQueue ${inspect(this.#state(), options)}`;
  }

  #state(): Record<string, unknown> {
    return {
      maxsize: this.#maxsize,
      bytes: this.bytes,
      size: this.size,
      bytesUsed: Atomics.load(this.#cells, USED),
      unfinishedTasks: this.unfinishedTasks,
      waitingGetters: this.waitingGetters,
      waitingPutters: this.waitingPutters,
      closed: this.closed,
    };
  }

  /** Serializes `item` into a record (length prefix included), or throws. */
  #record(call: string, item: T): Uint8Array {
    const record = serialize(item, PREFIX);
    if (record.length > this.#ring.length) {
      throw invalid(
        call,
        "item",
        `at most ${this.#ring.length} bytes once serialized (the queue's 'bytes'), ${record.length}`,
        item,
        true,
      );
    }
    frame(record);
    return record;
  }

  /** Queues `record` if there is room; throws QueueClosed if closed. */
  #offer(record: Uint8Array, item: T): boolean {
    const cells = this.#cells;
    const ring = this.#ring;
    lock(cells, LOCK);
    if (Atomics.load(cells, CLOSED) === 1) {
      unlock(cells, LOCK);
      throw refused(item);
    }
    const count = Atomics.load(cells, COUNT);
    const used = Atomics.load(cells, USED);
    if ((this.#maxsize > 0 && count >= this.#maxsize) || ring.length - used < record.length) {
      unlock(cells, LOCK);
      return false;
    }
    writeRecord(ring, (Atomics.load(cells, HEAD) + used) % ring.length, record);
    Atomics.store(cells, USED, used + record.length);
    Atomics.store(cells, COUNT, count + 1);
    Atomics.add(cells, UNFINISHED, 1);
    Atomics.add(cells, PUT_SEQ, 1);
    unlock(cells, LOCK);
    if (Atomics.load(cells, WAITING_GETTERS) > 0) Atomics.notify(cells, PUT_SEQ);
    return true;
  }

  /** Takes the oldest record's payload, or `undefined` if the queue is empty. */
  #take(): Uint8Array | undefined {
    const cells = this.#cells;
    lock(cells, LOCK);
    const payload = this.#shift();
    if (payload !== undefined) Atomics.add(cells, GET_SEQ, 1);
    unlock(cells, LOCK);
    if (payload !== undefined && Atomics.load(cells, WAITING_PUTTERS) > 0) {
      Atomics.notify(cells, GET_SEQ);
    }
    return payload;
  }

  /** Removes the oldest record and returns its payload; the lock must be held. */
  #shift(): Uint8Array | undefined {
    const cells = this.#cells;
    const ring = this.#ring;
    const count = Atomics.load(cells, COUNT);
    if (count === 0) return undefined;
    const head = Atomics.load(cells, HEAD);
    const payload = readRecord(ring, head);
    const spans = PREFIX + payload.length;
    Atomics.store(cells, HEAD, (head + spans) % ring.length);
    Atomics.store(cells, USED, Atomics.load(cells, USED) - spans);
    Atomics.store(cells, COUNT, count - 1);
    return payload;
  }

  async #putWaiting(
    record: Uint8Array,
    item: T,
    wait: Wait,
    transfer: ArrayBuffer[] | undefined,
  ): Promise<void> {
    const cells = this.#cells;
    const deadline = deadlineOf(wait.timeout);
    for (;;) {
      if (wait.signal?.aborted) throw wait.signal.reason; // as in #getWaiting
      // Read the sequence before re-checking: a get after the check changes it, so the wait
      // below returns at once instead of missing the wake-up.
      const seq = Atomics.load(cells, GET_SEQ);
      if (this.#offer(record, item)) {
        detach(transfer);
        return;
      }
      await this.#wait(this.#putters, WAITING_PUTTERS, seq, deadline, wait, "SharedQueue.put()");
    }
  }

  async #getWaiting(wait: Wait): Promise<T> {
    const cells = this.#cells;
    const deadline = deadlineOf(wait.timeout);
    for (;;) {
      // Woken, then aborted before this continuation ran: the abort wins, nothing is taken.
      if (wait.signal?.aborted) throw wait.signal.reason;
      const seq = Atomics.load(cells, PUT_SEQ);
      const taken = this.#take();
      if (taken !== undefined) return deserialize(taken) as T;
      if (Atomics.load(cells, CLOSED) === 1) throw drained();
      await this.#wait(this.#getters, WAITING_GETTERS, seq, deadline, wait, "SharedQueue.get()");
    }
  }

  /** Waits for the cell of `waiters` to move on from `seq`, counted in `cells[waiting]`. */
  async #wait(
    waiters: CellWaiters,
    waiting: number,
    seq: number,
    deadline: number,
    wait: Wait,
    call: string,
  ): Promise<void> {
    const cells = this.#cells;
    const remaining = left(deadline);
    Atomics.add(cells, waiting, 1);
    let outcome;
    try {
      outcome = remaining === 0 ? "timed-out" : await waiters.wait(seq, remaining, wait.signal);
    } finally {
      Atomics.sub(cells, waiting, 1);
    }
    if (outcome === "aborted") throw wait.signal?.reason;
    if (outcome === "timed-out") throw timeoutError(call, wait.timeout as number);
  }

  #finished(): void {
    Atomics.add(this.#cells, DONE_SEQ, 1);
    Atomics.notify(this.#cells, DONE_SEQ);
  }
}

function checkTransfer(call: string, transfer: unknown): ArrayBuffer[] | undefined {
  if (transfer === undefined) return undefined;
  if (!Array.isArray(transfer) || !transfer.every((b) => b instanceof ArrayBuffer)) {
    throw invalid(call, "transfer", "an array of ArrayBuffers", transfer);
  }
  // Checked now: once the item is queued, a failure to detach could no longer reject the put.
  if (transfer.some((b) => b.detached)) {
    throw invalid(call, "transfer", "an array of ArrayBuffers not detached", transfer);
  }
  return transfer;
}

/**
 * Detaches transferred buffers once their bytes are queued: they moved. The put has succeeded
 * by then, so a buffer the platform will not detach (a `WebAssembly.Memory`'s) stays as it is:
 * its bytes were copied.
 */
function detach(transfer: ArrayBuffer[] | undefined): void {
  if (transfer === undefined) return;
  for (const buffer of transfer) {
    try {
      if (!buffer.detached) structuredClone(buffer, { transfer: [buffer] });
    } catch {
      // Not transferable: left attached (see above).
    }
  }
}

function deadlineOf(timeout: number | undefined): number {
  return timeout === undefined ? Infinity : performance.now() + timeout;
}

function left(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

function refused<T>(item: T): QueueClosed<T> {
  return new QueueClosed("Cannot put into SharedQueue: the queue is closed", { item });
}

function drained(): QueueClosed {
  return new QueueClosed("Cannot get from SharedQueue: the queue is closed and empty");
}
