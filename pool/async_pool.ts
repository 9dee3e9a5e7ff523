import { Fifo } from "./_fifo.ts";
import { orderedMap, rejected, type Submitted } from "./_ordered_map.ts";
import {
  cores,
  invalid,
  iterable,
  optionsObject,
  positiveInteger,
  signalOption,
  timeoutOption,
} from "./_validate.ts";
import { waitFor, wakeAll } from "./_wait.ts";
import { PoolClosed } from "./errors.ts";

/** What an `AsyncPool` task function receives. */
export interface TaskContext {
  /**
   * Aborts when the caller's `signal` aborts; never aborts if the caller gave none. A task that
   * honours it stops early and frees its place in the pool.
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
}

/** Options for {@linkcode AsyncPool.prototype.map}. */
export interface AsyncMapOptions {
  /** Cancels every task of the map, as {@linkcode AsyncRunOptions.signal} does for one. */
  signal?: AbortSignal;
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

const QUEUED = 0;
const RUNNING = 1;
const SETTLED = 2;

interface Job {
  fn: (context: TaskContext) => unknown;
  context: TaskContext;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  state: number;
}

/** A queued task without a signal: its caller's resolvers and the function. */
interface Plain extends PromiseWithResolvers<unknown> {
  fn: (context: TaskContext) => unknown;
}

const NEVER: TaskContext = Object.freeze({ signal: new AbortController().signal });

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
  #active = 0;
  // A queued task is a Job, or (without a signal, so nothing can remove it) a lighter Plain entry.
  #queue = new Fifo<Job | Plain>();
  #queued = 0;
  #closed = false;
  #idle = new Set<() => void>();

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
    const what = "Cannot create AsyncPool";
    optionsObject(what, options);
    const concurrency = options?.concurrency;
    this.#concurrency = concurrency === undefined
      ? Math.min(32, cores() + 4) // Python's default for a thread pool
      : positiveInteger(what, "concurrency", concurrency, true);
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
   * How many task functions are running: started and not yet settled. A task whose caller aborted
   * keeps its place until its function settles.
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
    return this.#queued;
  }

  /**
   * Whether `close()` was called: `run()` and `map()` then refuse new tasks.
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
   * Fairness: tasks start in the order `run()` was called (FIFO).
   *
   * Cancellation: if `signal` aborts while the task is queued, it is removed without starting; if
   * it aborts while the task runs, `fn` sees the abort on its `signal` (stopping is up to it) and
   * keeps its place until it settles. Either way the returned promise rejects with `signal.reason`
   * at once. An already-aborted signal rejects without queueing.
   *
   * @typeParam R The result type.
   * @param fn The task: a function of a {@linkcode TaskContext}, sync or async.
   * @param options The options; see {@linkcode AsyncRunOptions}.
   * @returns The result of `fn`; rejects with what `fn` threw, with `signal.reason`, or with
   * {@linkcode PoolClosed} after `close()`.
   * @throws {TypeError} If `fn` is not a function or an option has the wrong type.
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
   */
  run<R>(fn: (context: TaskContext) => R | PromiseLike<R>, options?: AsyncRunOptions): Promise<R> {
    const what = "Cannot run a task on AsyncPool";
    if (typeof fn !== "function") throw invalid(what, "fn", "a function", fn);
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    if (this.#closed) {
      return Promise.reject(new PoolClosed(`${what}: the pool is closed`));
    }
    if (signal === undefined) {
      if (this.#queued === 0 && this.#active < this.#concurrency) {
        // The fast path: no bookkeeping beyond the count.
        this.#active++;
        const result = this.#call(fn, NEVER);
        result.then(this.#releaseOnce, this.#releaseOnce);
        return result as Promise<R>;
      }
      const entry = Promise.withResolvers<unknown>() as Plain;
      entry.fn = fn;
      this.#queue.push(entry);
      this.#queued++;
      return entry.promise as Promise<R>;
    }
    return this.#submit(fn, signal).promise as Promise<R>;
  }

  #releaseOnce = (): void => this.#release();

  #submit(
    fn: (context: TaskContext) => unknown,
    signal: AbortSignal | undefined,
  ): Submitted<unknown> {
    if (signal?.aborted) return rejected(signal.reason);
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    const job: Job = {
      fn,
      context: signal === undefined ? NEVER : Object.freeze({ signal }),
      resolve,
      reject,
      signal,
      onAbort: undefined,
      state: QUEUED,
    };
    if (signal !== undefined) {
      job.onAbort = () => this.#drop(job, signal.reason);
      signal.addEventListener("abort", job.onAbort, { once: true });
    }
    if (this.#queued === 0 && this.#active < this.#concurrency) {
      this.#start(job);
    } else {
      this.#queue.push(job);
      this.#queued++;
    }
    return {
      promise,
      cancel: () => {
        if (job.state === QUEUED) this.#drop(job, new DOMException("Task cancelled", "AbortError"));
      },
    };
  }

  /** Settles `job` with `reason` now; a queued job leaves the queue, a running one keeps its place. */
  #drop(job: Job, reason: unknown): void {
    if (job.state === SETTLED) return;
    const wasQueued = job.state === QUEUED;
    this.#settle(job);
    job.reject(reason);
    if (wasQueued) {
      this.#queued--;
      this.#checkIdle();
    }
  }

  #settle(job: Job): void {
    job.state = SETTLED;
    if (job.onAbort !== undefined) job.signal!.removeEventListener("abort", job.onAbort);
  }

  /** Calls `fn`; a synchronous throw becomes a rejection. The caller counts it as running. */
  #call(fn: (context: TaskContext) => unknown, context: TaskContext): Promise<unknown> {
    try {
      return Promise.resolve(fn(context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #start(job: Job): void {
    job.state = RUNNING;
    this.#active++;
    this.#call(job.fn, job.context).then(
      (value) => {
        this.#release();
        if (job.state === RUNNING) {
          this.#settle(job);
          job.resolve(value);
        }
      },
      (error) => {
        this.#release();
        if (job.state === RUNNING) {
          this.#settle(job);
          job.reject(error);
        }
      },
    );
  }

  #startPlain(plain: Plain): void {
    this.#active++;
    // One reaction frees the slot and settles the caller: a microtask fewer per task than
    // adopting the task's promise, which is what bounds a pool of tiny tasks.
    this.#call(plain.fn, NEVER).then((value) => {
      this.#release();
      plain.resolve(value);
    }, (error) => {
      this.#release();
      plain.reject(error);
    });
  }

  #release(): void {
    this.#active--;
    while (this.#queued > 0 && this.#active < this.#concurrency) {
      const job = this.#queue.shift()!;
      if (!("state" in job)) {
        this.#queued--;
        this.#startPlain(job);
      } else if (job.state === QUEUED) {
        this.#queued--;
        this.#start(job);
      }
    }
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#active === 0 && this.#queued === 0 && this.#idle.size > 0) wakeAll(this.#idle);
  }

  /**
   * Runs `fn(item, { signal })` for each item of `items` and yields the results in input order.
   *
   * At most `inFlight` tasks of this map are submitted and not yet yielded, so a slow consumer
   * holds back the input (back-pressure) and memory stays bounded. The input is read lazily, as
   * places free up. If a task rejects, the iteration throws that error; on an error, a `break` or
   * `return()`, the tasks not started yet are dropped, running ones finish unobserved, and the
   * input iterator is closed.
   *
   * @typeParam T The item type.
   * @typeParam R The result type.
   * @param fn The task: a function of an item and a {@linkcode TaskContext}.
   * @param items The items, sync or async iterable.
   * @param options The options; see {@linkcode AsyncMapOptions}.
   * @returns An async iterator of the results, in the order of `items`.
   * @throws {TypeError} If `fn` is not a function, `items` not iterable, or an option has the
   * wrong type.
   * @throws {RangeError} If `inFlight` is not a positive integer.
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
    const what = "Cannot map on AsyncPool";
    if (typeof fn !== "function") throw invalid(what, "fn", "a function", fn);
    iterable(what, items);
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    const inFlight = options?.inFlight === undefined
      ? Math.min(1024, this.#concurrency * 2)
      : positiveInteger(what, "inFlight", options.inFlight);
    if (this.#closed) throw new PoolClosed(`${what}: the pool is closed`);
    return orderedMap(items, (item: T) => {
      if (this.#closed) return rejected(new PoolClosed(`${what}: the pool is closed`));
      return this.#submit((context) => fn(item, context), signal);
    }, inFlight) as AsyncGenerator<Awaited<R>, void, undefined>;
  }

  /**
   * Waits until the pool is idle: no task running or queued. Resolves at once if it already is.
   * Tasks submitted while waiting are waited for too.
   *
   * Cancellation: `signal` and `timeout` only stop the wait (rejecting with `signal.reason` or a
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
    const what = "Cannot join AsyncPool";
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    const timeout = timeoutOption(what, options?.timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active === 0 && this.#queued === 0) return Promise.resolve();
    return waitFor(this.#idle, signal, timeout, "AsyncPool.join()");
  }

  /**
   * Refuses new tasks (they reject with {@linkcode PoolClosed}) and waits until the accepted ones
   * have settled, like Python's `shutdown(wait=True)`. Calling it again is harmless.
   *
   * @returns A promise that resolves when every accepted task has settled.
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
   */
  close(): Promise<void> {
    this.#closed = true;
    return this.join();
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
