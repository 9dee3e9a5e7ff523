/**
 * Queues that coordinate async producers and consumers, and pipelines built on them: item 39 of
 * the chapter, "Use Queue to coordinate work between threads". A hand-made queue polls, cannot
 * tell when work is done, cannot stop its workers and grows without bound when a stage is slow;
 * these queues wait without polling, close, count unfinished work and apply back-pressure.
 *
 * ## Which one?
 *
 * - {@linkcode Queue}: first in, first out, between async tasks. Python's `asyncio.Queue` with
 *   3.13's `shutdown()` as `close()`: `put`/`get` wait (with `signal` and `timeout`),
 *   `putNowait`/`getNowait` don't, `taskDone`/`join` track progress, `for await` drains it.
 * - {@linkcode LifoQueue}: the same, newest item first (a stack of work, depth-first crawling).
 * - {@linkcode PriorityQueue}: the same, lowest item first by a `compare` function, first in,
 *   first out among equals.
 * - {@linkcode SharedQueue}: a FIFO queue between **workers** (threads), in a
 *   `SharedArrayBuffer`: the same interface, items structured-cloned, created in one thread and
 *   attached in the others with `SharedQueue.from(queue.buffer)`. Python's
 *   `multiprocessing.JoinableQueue`.
 * - {@linkcode pipeline}: a chain of stages with their own concurrency and bounded buffers
 *   between them, results in input order, the first error stopping everything. Reach for it
 *   before wiring queues and workers by hand.
 * - {@linkcode QueueClosed}, {@linkcode QueueFull}, {@linkcode QueueEmpty}: what the queues
 *   throw; `QueueClosed` and `QueueFull` carry the item that was refused.
 *
 * ## Guarantees
 *
 * - `put` and `get` are O(1) for `Queue` and `LifoQueue` (a ring buffer), O(log n) for
 *   `PriorityQueue` (a binary heap). A `put` that does not wait allocates no promise.
 * - Waiting putters and getters are served in the order they called. A waiting consumer is
 *   woken once per item it receives: no polling. (`SharedQueue` differs: see below.)
 * - An aborted or timed-out `get` consumes nothing; an aborted or timed-out `put` enqueues
 *   nothing. An item is never lost or delivered twice: refused items come back in the error,
 *   `close({ immediate: true })` returns what was queued.
 *
 * ## Where ours differs from Python's
 *
 * CPython's own tests (`Lib/test/test_queue.py`, `Lib/test/test_asyncio/test_queues.py`) hold for
 * these queues as our tests, except where said here:
 *
 * - `maxsize` must be a non-negative integer or `Infinity`; Python takes any number and treats
 *   `<= 0` as unbounded and `1.3` as "full at 2". It is fixed at construction (Python lets you
 *   assign `q.maxsize` later, `test_shrinking_queue`).
 * - `close()` is 3.13's `shutdown()`; `close({ immediate: true })` **returns** the removed items
 *   instead of discarding them. A negative `timeout` is a `RangeError` (Python's `ValueError`),
 *   and so is one `taskDone()` too many.
 * - A `get()` aborted or timed out after an item was handed to it still resolves with that item
 *   (nothing is dropped, `test_get_cancel_drop_*`); a waiting `put()` admitted before its abort
 *   stays put. Python's cancellation can land in between; ours cannot, because both happen in
 *   one synchronous step.
 * - `PriorityQueue` orders like Python (`(priority, item)` arrays element by element, a
 *   `TypeError` for values it cannot order) and also takes a `key` or a `compare` function. A
 *   `key` or `compare` that throws is Python's `FailingQueue` (`test_queue.py`): the queue is
 *   left as it was and the call that needed it fails; a waiting put admitted by a `get()` fails
 *   with the error while the `get()` succeeds.
 * - There is no `qsize()`/`empty()`/`full()` method: they are the `size`, `empty` and `full`
 *   properties; `waitingGetters`/`waitingPutters` count what Python's `repr` shows as
 *   `_getters[n]`/`_putters[n]`, and `Deno.inspect`/`console.log` show the state as `repr` does.
 * - Python's `SimpleQueue` is `new Queue()` (unbounded; `taskDone` is simply not called).
 * - `SharedQueue` is `multiprocessing.JoinableQueue` with 3.13's `shutdown()`: its `close()`
 *   closes the queue for every thread (multiprocessing's `close()` only stops the calling process
 *   from putting), items are cloned into shared memory at `put()` rather than pickled by a feeder
 *   thread, so a put that resolved is already visible to every thread, and nothing needs a
 *   `join_thread()`. Waiting threads are not served in FIFO order, and a put wakes every get
 *   waiting in a thread to re-check (one consumer loop per worker keeps that O(1)).
 * - `for await` is `ClosableQueue.__iter__` from the chapter: it marks each item done, ends when
 *   the queue is closed and drained, and awaits an item that is a promise, as `get()` does.
 *
 * ## FAQ
 *
 * **How do I apply back-pressure?** Give the queue a `maxsize`: `await queue.put(item)` then
 * waits while the queue is full. In `pipeline()`, each stage's `maxsize` bounds its input.
 *
 * **How do I stop the workers?** `queue.close()`: their `for await` loops end once the queue is
 * drained. `close({ immediate: true })` stops them now and gives you back the unprocessed items.
 *
 * **How do I cancel a waiting `put` or `get`?** Pass `{ signal }` or `{ timeout }`. The call
 * rejects and has no effect; the item goes to the next waiter.
 *
 * **How do I know all the work is done?** `await queue.join()`: it resolves when `taskDone()`
 * has been called for every item put (`for await` calls it for you after each loop body).
 *
 * @example The chapter's pipeline, with bounded queues
 * ```ts
 * import { Queue } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * async function worker<T, U>(fn: (item: T) => U, input: Queue<T>, output: Queue<U>) {
 *   for await (const item of input) await output.put(fn(item));
 * }
 * const downloads = new Queue<number>({ maxsize: 10 });
 * const resizes = new Queue<string>({ maxsize: 10 });
 * const done = new Queue<string>();
 * const workers = [
 *   worker((n) => `image-${n}`, downloads, resizes),
 *   worker((image) => `${image}@small`, resizes, done),
 * ];
 * for (let n = 0; n < 100; n++) await downloads.put(n); // waits when 10 are queued
 * downloads.close();
 * await downloads.join();
 * resizes.close();
 * await resizes.join();
 * await Promise.all(workers);
 * assert.equal(done.size, 100);
 * ```
 *
 * @example The same with pipeline()
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const results = [];
 * for await (
 *   const image of pipeline(
 *     Array.from({ length: 100 }, (_, n) => n),
 *     { fn: async (n: number) => `image-${n}`, concurrency: 4 },
 *     { fn: (image: string) => `${image}@small`, maxsize: 10 },
 *   )
 * ) results.push(image);
 * assert.equal(results.length, 100);
 * assert.equal(results[0], "image-0@small");
 * ```
 *
 * ## Arguments and errors
 *
 * As in every topic of the package (the repository's `STYLE.md`): a wrong type is a `TypeError`
 * and a value out of range a `RangeError`, with one message per mistake,
 * `<call>: '<name>' must be <expected>, got <value>`; each option is read once; a method that
 * returns a promise rejects, never throws; every wait takes `{ signal, timeout }` (`timeout` in ms
 * from 0 to 2147483647, or `Infinity`), an abort rejects with `signal.reason` and a timeout with a
 * `TimeoutError` `DOMException`.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./queue.ts";
export * from "./lifo_queue.ts";
export * from "./priority_queue.ts";
export * from "./pipeline.ts";
export * from "./shared_queue.ts";
