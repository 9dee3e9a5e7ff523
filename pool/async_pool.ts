import { orderedMap, rejected, type Submitted } from "./_ordered_map.ts";
import {
  beginWait,
  checkBoolean,
  checkInteger,
  checkSignal,
  checkTimeout,
  invalid,
  readOptions,
  readWait,
  timeoutError,
  withResolvers,
} from "./_options.ts";
import { TaskQueue } from "./_task_queue.ts";
import { onAbort } from "./_on_abort.ts";
import { waitIn, wakeAll } from "./_waiters.ts";
import { PoolClosed } from "./errors.ts";
import { cores } from "./_helpers.ts";

/** What an `AsyncPool` task function receives. */
export interface TaskContext {
  /**
   * Aborts when the caller's `signal` aborts, or when the pool is terminated (with a
   * {@linkcode PoolClosed}); otherwise never. A task that honours it stops early and frees its
   * place in the pool.
   */
  readonly signal: AbortSignal;
}

/** Options for {@linkcode AsyncPool}. */
export interface AsyncPoolOptions {
  /**
   * How many tasks may run at once; the rest wait in a FIFO queue. A positive integer or
   * `Infinity`.
   *
   * @default {Math.min(32, navigator.hardwareConcurrency + 4)}
   */
  concurrency?: number;
}

/** Options for {@linkcode AsyncPool.prototype.run}. */
export interface AsyncRunOptions {
  /**
   * Cancels the task: a queued task is removed without starting; a running one has the signal in
   * its {@linkcode TaskContext}. Either way the returned promise rejects with `signal.reason` at
   * once.
   */
  signal?: AbortSignal;
  /**
   * Gives up after this many milliseconds, counted from the call (time in the queue included,
   * unlike `WorkerPool`'s, which counts from the start): the task is cancelled as by `signal`, and
   * the promise rejects with a `TimeoutError` `DOMException`. `Infinity` for none.
   */
  timeout?: number;
}

/** Options for {@linkcode AsyncPool.prototype.map}. */
export interface AsyncMapOptions {
  /**
   * Cancels the map: the pending `next()` rejects with `signal.reason` at once (even while the
   * input is stalled), and every task of the map is cancelled as {@linkcode AsyncRunOptions.signal}
   * cancels one.
   */
  signal?: AbortSignal;
  /**
   * A time limit for each task, as {@linkcode AsyncRunOptions.timeout} (counted from its
   * submission): the task is cancelled and the iteration throws its `TimeoutError`.
   */
  timeout?: number;
  /**
   * How many tasks of this map may be submitted but not yet yielded. It bounds the memory used by
   * results that finished ahead of a slower earlier one.
   *
   * @default {2 × concurrency (at most 1024)}
   */
  inFlight?: number;
}

/** Options for {@linkcode AsyncPool.prototype.join}. */
export interface AsyncJoinOptions {
  /** Stops waiting: the call rejects with `signal.reason`. The tasks are not affected. */
  signal?: AbortSignal;
  /** Stops waiting after this many ms with a `TimeoutError` `DOMException`. */
  timeout?: number;
}

/** Options for {@linkcode AsyncPool.prototype.close}. */
export interface AsyncCloseOptions {
  /**
   * Also cancel the queued tasks: they reject with {@linkcode PoolClosed} and never start, while
   * the running ones finish (Python's `shutdown(cancel_futures=True)`).
   *
   * @default {false}
   */
  cancelPending?: boolean;
}

const ignore = () => {};

type TaskFn = (context: TaskContext) => unknown;

/** A task that can be taken out of the queue (a map's, or one with a signal): its gate's value. */
class Cancellable {
  constructor(readonly fn: TaskFn, readonly signal: AbortSignal | undefined) {}
  /** Its ticket in the queue, while it waits. */
  ticket = -1;
}

/** What a cancelled task's gate is opened with: the task rejects with `reason`, unstarted. */
class Cancelled {
  constructor(readonly reason: unknown) {}
}

/**
 * An `AsyncPool` runs async functions with at most `concurrency` of them in flight at once, on the
 * current thread: the analogue of Python's `ThreadPoolExecutor`. It overlaps waiting (I/O, timers,
 * child processes) but gives no speed-up to CPU-bound work, which still runs one piece at a time;
 * use {@linkcode WorkerPool} for that.
 *
 * Tasks start in the order they were submitted (FIFO).
 *
 * @example Limiting concurrent fetches
 * ```ts
 * import { AsyncPool } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * await using pool = new AsyncPool({ concurrency: 2 });
 * let peak = 0;
 * const slow = async (n: number) => {
 *   peak = Math.max(peak, pool.running);
 *   await new Promise((r) => setTimeout(r, 1));
 *   return n * 2;
 * };
 * const results = await Promise.all([1, 2, 3, 4].map((n) => pool.run(() => slow(n))));
 * assert.deepEqual(results, [2, 4, 6, 8]);
 * assert.equal(peak, 2);
 * ```
 */
export class AsyncPool {
  #concurrency: number;
  /** Places taken: tasks whose function runs, or is called in the next microtask. */
  #active = 0;
  #queue = new TaskQueue();
  #closed = false;
  #idle = new Set<(ok: boolean) => void>();
  /** Aborted by `terminate()`: the signal of every task's {@linkcode TaskContext}. */
  #terminator = new AbortController();
  /** The reason of `terminate()`, once called (a field: cheaper to test than the signal). */
  #terminated: PoolClosed | undefined;
  /** The context of the tasks that have no signal of their own: one for all. */
  #context: TaskContext = Object.freeze({ signal: this.#terminator.signal });

  /**
   * Makes a pool.
   *
   * @param options The options; see {@linkcode AsyncPoolOptions}.
   * @throws {TypeError} If `options` is not an object or `concurrency` is not a number.
   * @throws {RangeError} If `concurrency` is not a positive integer or `Infinity`.
   *
   * @example Making a pool
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 8 });
   * assert.equal(pool.concurrency, 8);
   * ```
   */
  constructor(options?: AsyncPoolOptions) {
    const call = "new AsyncPool()";
    const { concurrency } = readOptions(call, options);
    this.#concurrency = concurrency === undefined
      ? Math.min(32, cores() + 4) // Python's default for a thread pool
      : checkInteger(call, "concurrency", concurrency, 1, Infinity);
  }

  /**
   * The most tasks that run at once.
   *
   * @example Reading the limit
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 3 });
   * assert.equal(pool.concurrency, 3);
   * ```
   */
  get concurrency(): number {
    return this.#concurrency;
  }

  /**
   * How many tasks hold a place: their function runs (started and not yet settled), or is called
   * in the next microtask (a place is taken synchronously, the function called asynchronously). A
   * task whose caller aborted keeps its place until its function settles.
   *
   * @example Counting running tasks
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 1 });
   * const { promise, resolve } = Promise.withResolvers<void>();
   * const task = pool.run(() => promise);
   * assert.equal(pool.running, 1);
   * resolve();
   * await task;
   * assert.equal(pool.running, 0);
   * ```
   */
  get running(): number {
    return this.#active;
  }

  /**
   * How many tasks wait for a place.
   *
   * @example Counting queued tasks
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 1 });
   * const { promise, resolve } = Promise.withResolvers<void>();
   * const tasks = [pool.run(() => promise), pool.run(() => 2)];
   * assert.equal(pool.queued, 1);
   * resolve();
   * await Promise.all(tasks);
   * assert.equal(pool.queued, 0);
   * ```
   */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Whether `close()` or `terminate()` was called: `run()` and `map()` then refuse new tasks.
   *
   * @example After close
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new AsyncPool({ concurrency: 1 });
   * await pool.close();
   * assert.equal(pool.closed, true);
   * ```
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `fn({ signal })` when a place is free and settles with its result.
   *
   * `fn` is always called asynchronously (in a microtask, even when a place is free at once, as
   * p-limit does), and always in the async context of the `run()` call: an `AsyncLocalStorage`
   * store (or `AsyncContext` variable) set by the caller is the one the task sees, whichever task
   * freed its place. A synchronous throw of `fn` rejects the returned promise like an async one.
   *
   * A task's error is never swallowed: the returned promise rejects with it, so a fire-and-forget
   * `run()` whose task throws is an unhandled rejection, whether it started at once or waited.
   * Rejections the caller asked for (its `signal` aborted, `close({ cancelPending: true })`,
   * `terminate()`) still reach an awaiting caller, but are not reported as unhandled.
   *
   * Fairness: tasks start in the order `run()` was called (FIFO).
   *
   * **Cancellation**: if `signal` aborts while the task is queued, it leaves the queue at once (nothing
   * of it is kept) without starting; if it aborts while the task runs, `fn` sees the abort on its
   * `signal` (stopping is up to it) and keeps its place until it settles. Either way the returned
   * promise rejects with `signal.reason` at once. An already-aborted signal rejects without
   * queueing. `timeout` does the same when it expires, counted from the call, and rejects with a
   * `TimeoutError` `DOMException`.
   *
   * @typeParam R The result type.
   * @param fn The task: a function of a {@linkcode TaskContext}, sync or async.
   * @param options The options; see {@linkcode AsyncRunOptions}.
   * @returns The result of `fn`; rejects with what `fn` threw, with `signal.reason`, with a
   * `TimeoutError` `DOMException` when `timeout` passes, with a `TypeError` if `fn` or an option is
   * of the wrong type, with a `RangeError` if `timeout` is out of range, or with
   * {@linkcode PoolClosed} after `close()` or when cancelled by `close({ cancelPending: true })` or
   * `terminate()`.
   *
   * @example Passing the signal on
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 4 });
   * const controller = new AbortController();
   * const task = pool.run(({ signal }) =>
   *   new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
   * , { signal: controller.signal });
   * controller.abort(new Error("stop"));
   * await assert.rejects(task, { message: "stop" });
   * ```
   *
   * @example A time limit, queued time included
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 1 });
   * const slow = pool.run(({ signal }) =>
   *   new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
   * , { timeout: 20 });
   * await assert.rejects(slow, { name: "TimeoutError" });
   * ```
   *
   * @example Always asynchronous, in the caller's context
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 1 });
   * let called = false;
   * const task = pool.run(() => {
   *   called = true;
   * });
   * assert.equal(called, false); // not yet: in a microtask
   * await task;
   * assert.equal(called, true);
   * ```
   */
  run<R>(fn: (context: TaskContext) => R | PromiseLike<R>, options?: AsyncRunOptions): Promise<R> {
    const call = "AsyncPool.run()";
    let signal: AbortSignal | undefined;
    let timeout: number | undefined;
    try {
      if (typeof fn !== "function") throw invalid(call, "fn", "a function", fn);
      ({ signal, timeout } = readWait(call, options));
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closed) return Promise.reject(new PoolClosed(`${call}: the pool is closed`));
    if (signal === undefined && timeout === undefined) {
      // The gate is opened with the function itself, unless it has a `then` (it would be adopted).
      const thenable = typeof (fn as { then?: unknown }).then === "function";
      return this.#schedule(thenable ? new Cancellable(fn, undefined) : fn) as Promise<R>;
    }
    return this.#submitWithin(call, fn, signal, timeout).promise as Promise<R>;
  }

  /** {@linkcode AsyncPool.#submit}, with an optional time limit counted from now. */
  #submitWithin(
    call: string,
    fn: TaskFn,
    signal: AbortSignal | undefined,
    timeout: number | undefined,
  ): Submitted<unknown> {
    if (timeout === undefined || signal?.aborted) return this.#submit(fn, signal);
    // A timeout is one more signal, aborted with a TimeoutError naming the call.
    const timer = new AbortController();
    const id = setTimeout(() => timer.abort(timeoutError(call, timeout)), timeout);
    const both = signal === undefined ? timer.signal : AbortSignal.any([signal, timer.signal]);
    // The timer is cleared by #submit's own reactions: a reaction added here would mark the
    // promise handled, and a fire-and-forget task's error would go unreported.
    return this.#submit(fn, both, () => clearTimeout(id));
  }

  /**
   * The one start path. Takes a place now if one is free, else queues a gate; either way the
   * task is started by a reaction registered here, at submission, so that `fn` runs in the
   * submitter's async context (a promise reaction keeps the context of its `then()` call), and
   * never synchronously. The gate is opened with `fn` (or a {@linkcode Cancellable}), so that one
   * shared function starts every task: no closure per task.
   */
  #schedule(task: TaskFn | Cancellable): Promise<unknown> {
    if (this.#active < this.#concurrency && this.#queue.length === 0) {
      this.#active++;
      return Promise.resolve(task).then(this.#start);
    }
    let open!: (task: TaskFn | Cancellable | Cancelled) => void;
    const result = new Promise<TaskFn | Cancellable | Cancelled>((resolve) => open = resolve)
      .then(this.#start);
    const ticket = this.#queue.push(open as (value: unknown) => void, task, result);
    if (task instanceof Cancellable) task.ticket = ticket;
    return result;
  }

  /**
   * Calls the task's function in the place its gate gave it. The place is freed when the
   * function settles, before the caller hears of it: the release is the first reaction on the
   * function's promise, and the caller's promise adopts that promise after.
   */
  #start = (task: TaskFn | Cancellable | Cancelled): unknown => {
    if (task instanceof Cancelled) throw task.reason; // it never had a place
    let value: unknown;
    try {
      // An abort or terminate() between the gate and the call: the function is never called.
      if (this.#terminated !== undefined) throw this.#terminated;
      if (typeof task === "function") value = task(this.#context);
      else {
        const { fn, signal } = task;
        if (signal === undefined) value = fn(this.#context);
        else {
          if (signal.aborted) throw signal.reason;
          const both = AbortSignal.any([signal, this.#terminator.signal]);
          value = fn(Object.freeze({ signal: both }));
        }
      }
    } catch (error) {
      this.#release();
      throw error;
    }
    if (value === null || typeof value !== "object" && typeof value !== "function") {
      this.#release(); // a primitive: settled now, and the caller's promise takes it as is
      return value;
    }
    const promise = Promise.resolve(value); // the same promise if it is one; else adopts
    promise.then(this.#release, this.#release);
    return promise;
  };

  /** Frees a place: hands it to the oldest queued task, or counts it free. */
  #release = (): void => {
    if (this.#queue.startNext()) return;
    this.#active--;
    this.#checkIdle();
  };

  /**
   * Submits a task that can be cancelled: by `signal` (rejecting at once), or by `cancel()`.
   * `settled`, with a `signal`, is called once the returned promise settles.
   */
  #submit(
    fn: TaskFn,
    signal: AbortSignal | undefined,
    settled?: () => void,
  ): Submitted<unknown> {
    if (signal?.aborted) return rejected(signal.reason);
    const task = new Cancellable(fn, signal);
    const result = this.#schedule(task);
    const cancel = () => this.#dequeue(task, new DOMException("Task cancelled", "AbortError"));
    if (signal === undefined) return { promise: result, cancel };
    const { promise, resolve, reject } = withResolvers<unknown>();
    const off = onAbort(signal, () => {
      this.#dequeue(task, signal.reason);
      promise.catch(ignore); // the caller asked for this rejection
      reject(signal.reason);
      settled?.();
    });
    result.then((value) => {
      off();
      resolve(value);
      settled?.();
    }, (error) => {
      off();
      reject(error);
      settled?.();
    });
    return { promise, cancel };
  }

  /** Takes a waiting task out of the queue in O(1) and rejects it with `reason`; else nothing. */
  #dequeue(task: Cancellable, reason: unknown): void {
    const removed = task.ticket < 0 ? undefined : this.#queue.remove(task.ticket);
    if (removed === undefined) return;
    const [open, result] = removed;
    result.catch(ignore); // the caller asked for this rejection
    open(new Cancelled(reason));
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#active === 0 && this.#queue.length === 0 && this.#idle.size > 0) {
      wakeAll(this.#idle, true);
    }
  }

  /**
   * Runs `fn(item, { signal })` for each item of `items` and yields the results in input order.
   *
   * At most `inFlight` tasks of this map are submitted and not yet yielded, so a slow consumer
   * holds back the input (back-pressure) and memory stays bounded. The input is read as room
   * appears, beside the waiting: a result is yielded as soon as it is next in order, even while
   * the input is stalled. If a task rejects, the iteration throws that error (after the results
   * before it, as Python's `Executor.map`); if the input throws, the results of the tasks already
   * submitted come first, then its error. On an error, an abort, a `break` or `return()`, the
   * tasks not started yet are dropped, running ones finish unobserved, and the input's `return()`
   * is called (an error it throws never replaces the error being thrown).
   *
   * **Cancellation**: an abort of `signal` rejects the pending `next()` with `signal.reason` at once,
   * whatever it waits for (a task, or a stalled input), and cancels the map's tasks.
   *
   * @typeParam T The item type.
   * @typeParam R The result type.
   * @param fn The task: a function of an item and a {@linkcode TaskContext}.
   * @param items The items, sync or async iterable.
   * @param options The options; see {@linkcode AsyncMapOptions}.
   * @returns An async iterator of the results, in the order of `items`.
   * @throws {TypeError} If `fn` is not a function, `items` not iterable, or an option has the
   * wrong type.
   * @throws {RangeError} If `inFlight` is not a positive integer, or `timeout` is out of range.
   * @throws {PoolClosed} If the pool is closed.
   *
   * @example Mapping in order
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 3 });
   * const out: number[] = [];
   * for await (const n of pool.map(async (n: number) => n * n, [1, 2, 3, 4])) out.push(n);
   * assert.deepEqual(out, [1, 4, 9, 16]);
   * ```
   */
  map<T, R>(
    fn: (item: T, context: TaskContext) => R | PromiseLike<R>,
    items: Iterable<T> | AsyncIterable<T>,
    options?: AsyncMapOptions,
  ): AsyncGenerator<Awaited<R>, void, undefined> {
    const call = "AsyncPool.map()";
    if (typeof fn !== "function") throw invalid(call, "fn", "a function", fn);
    if (
      items === null || (typeof items !== "object" && typeof items !== "string") ||
      !(Symbol.iterator in Object(items) || Symbol.asyncIterator in Object(items))
    ) {
      throw invalid(call, "items", "an iterable or async iterable", items);
    }
    const { signal: rawSignal, timeout: rawTimeout, inFlight: rawInFlight } = readOptions(
      call,
      options,
    );
    const signal = checkSignal(call, "signal", rawSignal);
    const timeout = checkTimeout(call, "timeout", rawTimeout);
    const inFlight = rawInFlight === undefined
      ? Math.min(1024, this.#concurrency * 2)
      : checkInteger(call, "inFlight", rawInFlight, 1, Number.MAX_SAFE_INTEGER);
    if (this.#closed) throw new PoolClosed(`${call}: the pool is closed`);
    return orderedMap(
      items,
      (item: T) => {
        if (this.#closed) return rejected(new PoolClosed(`${call}: the pool is closed`));
        return this.#submitWithin(call, (context) => fn(item, context), signal, timeout);
      },
      inFlight,
      signal,
    ) as AsyncGenerator<Awaited<R>, void, undefined>;
  }

  /**
   * Waits until the pool is idle: no task running or queued. Resolves at once if it already is.
   * Tasks submitted while waiting are waited for too.
   *
   * **Cancellation**: `signal` and `timeout` only stop the wait (rejecting with `signal.reason` or a
   * `TimeoutError` `DOMException`); the tasks go on.
   *
   * @param options The options; see {@linkcode AsyncJoinOptions}.
   * @returns A promise that resolves when the pool is idle.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative or too large.
   *
   * @example Waiting for fire-and-forget tasks
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * await using pool = new AsyncPool({ concurrency: 2 });
   * const done: number[] = [];
   * for (const n of [1, 2, 3]) pool.run(async () => void done.push(n));
   * await pool.join();
   * assert.deepEqual(done, [1, 2, 3]);
   * ```
   */
  join(options?: AsyncJoinOptions): Promise<void> {
    const call = "AsyncPool.join()";
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    return this.#whenIdle(wait.signal, wait.timeout);
  }

  #whenIdle(signal?: AbortSignal, timeout?: number): Promise<void> {
    if (this.#active === 0 && this.#queue.length === 0) return Promise.resolve();
    return waitIn(this.#idle, "AsyncPool.join()", { signal, timeout }).then(ignore);
  }

  /**
   * Refuses new tasks (they reject with {@linkcode PoolClosed}) and waits until the accepted ones
   * have settled, like Python's `shutdown(wait=True)`. With `cancelPending: true`, the queued
   * tasks are cancelled first: they reject with {@linkcode PoolClosed} and never start, while the
   * running ones finish (Python's `shutdown(cancel_futures=True)`). Calling it again is harmless.
   *
   * Not awaiting it is Python's `shutdown(wait=False)`.
   *
   * @param options The options; see {@linkcode AsyncCloseOptions}.
   * @returns A promise that resolves when every accepted task has settled; it rejects with a
   * `TypeError` if an option has the wrong type.
   *
   * @example Closing
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new AsyncPool({ concurrency: 1 });
   * const task = pool.run(async () => 42);
   * await pool.close();
   * assert.equal(await task, 42);
   * ```
   *
   * @example Cancelling the queued tasks, letting the running one finish
   * ```ts
   * import { AsyncPool, PoolClosed } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new AsyncPool({ concurrency: 1 });
   * const running = pool.run(async () => "done");
   * const queued = pool.run(async () => "never");
   * await pool.close({ cancelPending: true });
   * assert.equal(await running, "done");
   * await assert.rejects(queued, PoolClosed);
   * ```
   */
  close(options?: AsyncCloseOptions): Promise<void> {
    const call = "AsyncPool.close()";
    let cancelPending: boolean;
    try {
      cancelPending = checkBoolean(
        call,
        "cancelPending",
        readOptions(call, options).cancelPending,
        false,
      );
    } catch (error) {
      return Promise.reject(error);
    }
    this.#closed = true;
    if (cancelPending) this.#cancelQueued("close({ cancelPending: true })");
    return this.#whenIdle();
  }

  /**
   * Ends the pool at once, without waiting: refuses new tasks, cancels the queued ones (they
   * reject with {@linkcode PoolClosed} and never start) and aborts the `signal` of every running
   * task's {@linkcode TaskContext} with a {@linkcode PoolClosed}. An async function cannot be
   * stopped from outside (no more than a thread), so a running task's promise settles as its
   * function does: at once if the function honours its signal, later if it ignores it; until then
   * it keeps its place, and `join()`/`close()` wait for it. (A `WorkerPool` ends its workers, so
   * there every promise rejects at once.)
   *
   * @example Terminating
   * ```ts
   * import { AsyncPool, PoolClosed } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const pool = new AsyncPool({ concurrency: 1 });
   * const running = pool.run(({ signal }) =>
   *   new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
   * );
   * const queued = pool.run(async () => "never");
   * await Promise.resolve(); // the running task's function is called in a microtask
   * pool.terminate();
   * await assert.rejects(running, PoolClosed);
   * await assert.rejects(queued, PoolClosed);
   * await pool.close();
   * ```
   */
  terminate(): void {
    this.#closed = true;
    this.#cancelQueued("terminate()");
    if (this.#terminated === undefined) {
      this.#terminated = new PoolClosed(
        "AsyncPool.terminate(): the pool was terminated while the task ran",
      );
      this.#terminator.abort(this.#terminated);
    }
  }

  /** Cancels every queued task with a {@linkcode PoolClosed} naming `how`. */
  #cancelQueued(how: string): void {
    for (const [open, result] of this.#queue.drain()) {
      result.catch(ignore); // the caller asked for this rejection
      open(
        new Cancelled(
          new PoolClosed(`AsyncPool.${how}: the task was cancelled before it started`),
        ),
      );
    }
    this.#checkIdle();
  }

  /**
   * Closes the pool and waits for its tasks, for `await using`.
   *
   * @returns A promise that resolves when every accepted task has settled.
   *
   * @example With `await using`
   * ```ts
   * import { AsyncPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * let result = 0;
   * {
   *   await using pool = new AsyncPool({ concurrency: 1 });
   *   pool.run(async () => { result = 7; });
   * }
   * assert.equal(result, 7);
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
