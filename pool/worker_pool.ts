import { orderedMap, rejected, type Submitted } from "./_ordered_map.ts";
import {
  armWait,
  beginWait,
  checkBoolean,
  checkFunction,
  checkInteger,
  checkSignal,
  checkTimeout,
  invalid,
  MAX_TIMEOUT,
  readOptions,
  type Wait,
  withResolvers,
} from "./_options.ts";
import { chunks, flatten } from "./_chunked_map.ts";
import { withCallerFrames } from "./_revive.ts";
import { waitIn, wakeAll } from "./_waiters.ts";
import { checkRuntime, resolveModuleUrl } from "./_worker_runtime.ts";
import { cores } from "./_helpers.ts";
import { WORKER_HOST_SOURCE } from "./_worker_host.ts";
import { type SchedulerConfig, WorkerScheduler } from "./_worker_scheduler.ts";
import { PoolClosed, PoolFull } from "./errors.ts";
import type { Transfer } from "./transfer.ts";

const ignore = () => {};

/** Any function a task module exports. */
// deno-lint-ignore no-explicit-any
export type TaskFunction = (...args: any[]) => unknown;

/**
 * The shape of a task module when its type is not given: any exported function, any arguments,
 * any result. Pass `typeof import("./tasks.ts")` as the type parameter of {@linkcode WorkerPool}
 * to have names, arguments and results checked.
 */
// deno-lint-ignore no-explicit-any
export type AnyTaskModule = Record<string, (...args: any[]) => any>;

/** The names of the functions a task module `M` exports. */
export type TaskName<M> =
  & { [K in keyof M]: M[K] extends TaskFunction ? K : never }[keyof M]
  & string;

/** The parameters of the function `K` of task module `M`. */
export type TaskArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown ? A
  : never;

/** What `WorkerPool.run()` resolves with for the function `K` of `M` (awaited, unwrapped). */
// deno-lint-ignore no-explicit-any
export type TaskResult<M, K extends keyof M> = M[K] extends (...args: any[]) => infer R
  ? Awaited<R> extends Transfer<infer V> ? V : Awaited<R>
  : never;

/** The largest `size` a pool accepts: far more threads than any machine runs well. */
export const MAX_WORKERS = 1024;

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * The most workers to run. They start on demand, one per task while none is free, up to this
   * many; an idle one ends after `idleTimeout`. An integer from 1 to {@linkcode MAX_WORKERS}.
   *
   * @default {navigator.hardwareConcurrency}
   */
  size?: number;
  /**
   * How many tasks may wait for a worker. When every worker is busy and `maxQueue` tasks wait,
   * `run()` rejects at once with {@linkcode PoolFull} (nothing is queued); `map()` and `ready()`
   * wait for room instead (back-pressure). A non-negative integer or `Infinity`.
   *
   * @default {Infinity}
   */
  maxQueue?: number;
  /**
   * How long (ms) a worker may stay idle before it ends; a new one starts when work comes. It is
   * finite by default so that a pool nobody closed does not keep the program running for ever
   * (still, close it: `await using` or `close()`). `Infinity` keeps idle workers.
   *
   * @default {2000}
   */
  idleTimeout?: number;
  /**
   * How long (ms) a worker may take to load the task module (its top-level code, including any
   * top-level `await`) and run the `initializer`. When it takes longer, the worker is ended, and
   * its tasks and every queued task reject with {@linkcode ModuleLoadError} whose `cause` is a
   * `TimeoutError`; later tasks try a new worker.
   *
   * @default {30000}
   */
  loadTimeout?: number;
  /**
   * The name of an exported function each worker calls once, with `initArgs`, after loading the
   * module and before its first task (Python's `initializer`/`initargs`, piscina's
   * `workerData`). If it throws, the worker's tasks reject with {@linkcode ModuleLoadError}.
   */
  initializer?: string;
  /** The arguments of `initializer`, sent by structured clone. @default {[]} */
  initArgs?: unknown[];
  /**
   * Ends a worker after it has run this many tasks and starts a fresh one when work comes
   * (Python's `max_tasks_per_child`): a bound on what a leaky task module can hold. A `map()`
   * chunk counts as one task, as in Python.
   *
   * @default {Infinity}
   */
  maxTasksPerWorker?: number;
}

/** Options for {@linkcode WorkerPool.prototype.run}. */
export interface WorkerRunOptions {
  /**
   * Cancels the task. A queued task is removed at once (its arguments are freed) without
   * starting; a running one is stopped by terminating its worker, which the pool replaces. The
   * promise rejects with `signal.reason`.
   */
  signal?: AbortSignal;
  /**
   * Stops the task if it runs longer than this many ms, counted from when it is sent to a worker
   * that has loaded the task module (time spent queued, or waiting for a new worker to load, does
   * not count: `loadTimeout` bounds that): its worker is terminated and replaced, and the promise
   * rejects with a `TimeoutError` `DOMException`. `Infinity` means no limit.
   */
  timeout?: number;
  /** Objects inside `args` (e.g. `ArrayBuffer`s) to transfer to the worker instead of copying. */
  transfer?: Transferable[];
  /**
   * Called on the calling thread with each value the task passes to
   * {@linkcode reportProgress} while it runs (progress, partial results). A throw from it is
   * reported like an event listener's (`reportError`); the task goes on.
   */
  onMessage?: (value: unknown) => void;
}

/** Options for {@linkcode WorkerPool.prototype.map}. */
export interface WorkerMapOptions {
  /** Cancels every task of the map, as {@linkcode WorkerRunOptions.signal} does for one. */
  signal?: AbortSignal;
  /** A time limit for each task (for each chunk, with `chunksize`), as in `run()`. */
  timeout?: number;
  /**
   * How many tasks (chunks, with `chunksize`) of this map may be submitted but not yet yielded.
   *
   * @default {2 × size}
   */
  inFlight?: number;
  /**
   * How many items to send to a worker in one message (Python's `chunksize`): much faster for
   * tiny tasks. A chunk stops at its first error; the results before it are still yielded.
   *
   * @default {1}
   */
  chunksize?: number;
}

/** Options for {@linkcode WorkerPool.prototype.close}. */
export interface WorkerCloseOptions {
  /**
   * Rejects every task not yet started with {@linkcode PoolClosed} instead of running it
   * (Python's `shutdown(cancel_futures=True)`); running tasks finish. A task sent to a worker
   * that is still loading the module counts as not started.
   *
   * @default {false}
   */
  cancelPending?: boolean;
  /** Stops waiting (the call rejects with `signal.reason`); the pool stays closed. */
  signal?: AbortSignal;
  /** Stops waiting after this many ms with a `TimeoutError`; the pool stays closed. */
  timeout?: number;
}

/** Options for the waits of {@linkcode WorkerPool}: `join()` and `ready()`. */
export interface WorkerWaitOptions {
  /** Stops waiting: the call rejects with `signal.reason`. The tasks are not affected. */
  signal?: AbortSignal;
  /** Stops waiting after this many ms with a `TimeoutError` `DOMException`. */
  timeout?: number;
}

function checkName(call: string, name: unknown): string {
  if (typeof name !== "string") throw invalid(call, "name", "a string", name);
  return name;
}

/**
 * A copy of `initArgs`, taken once: each worker gets it by structured clone, so it is checked
 * here (an uncloneable value would otherwise make `run()` throw when it starts a worker), and
 * later changes to the caller's array do not reach later workers.
 */
function copyInitArgs(call: string, initArgs: unknown): unknown[] {
  if (initArgs === undefined) return [];
  if (!Array.isArray(initArgs)) throw invalid(call, "initArgs", "an array", initArgs);
  try {
    return structuredClone(initArgs);
  } catch {
    throw invalid(call, "initArgs", "an array of values structured clone can copy", initArgs);
  }
}

function abortError(): DOMException {
  return new DOMException("Task cancelled", "AbortError");
}

/**
 * A `WorkerPool` runs the exported functions of a task module on up to `size` Web Workers, for
 * true parallelism on every core: the analogue of Python's `ProcessPoolExecutor`.
 *
 * The task module is a plain module of exported functions, with no registration code: each worker
 * imports it once and `run("gcd", [a, b])` calls its export `gcd(a, b)`. Arguments and results
 * cross by structured clone; `transfer` moves buffers instead (see {@linkcode transfer}).
 *
 * Guarantees:
 *
 * - Tasks start in the order they were submitted (FIFO), one at a time per worker.
 * - The pool owns the worker's channel (a private port): a task that calls `self.postMessage()`
 *   talks to nobody and cannot disturb results. Use {@linkcode reportProgress} with `onMessage`.
 * - An error thrown by a task rejects its promise with the same `name`, `message`, `cause`,
 *   `errors` (an `AggregateError`'s), own data fields and the worker-side `stack`, followed by
 *   the frames where `run()` was called. A thrown non-error arrives as itself, or, if it cannot
 *   be cloned, as a plain object of its cloneable fields. An unknown function name rejects with a
 *   `TypeError` listing the module's exported functions; a module that fails to load (or takes
 *   longer than `loadTimeout`), with {@linkcode ModuleLoadError}; a result that cannot be cloned,
 *   with a `DataCloneError` `DOMException` naming the function.
 * - A worker that dies (an uncaught error or unhandled rejection, `self.close()`, `Deno.exit()` or
 *   `process.exit()`) fails only the task it was running, with {@linkcode WorkerCrashed} (naming
 *   the exit code); the pool starts a new worker when there is work, and the queued tasks run.
 * - Aborting or timing out a running task terminates its worker (so even a busy loop stops);
 *   aborting a queued task removes it at once.
 * - Workers start on demand and end after `idleTimeout` idle; `workers` counts the live ones.
 * - Every promise the pool hands out settles, whatever happens.
 *
 * Tiny tasks are sent several to a message: `map(…, { chunksize })`, and, automatically, queued
 * `run()`s without `signal`, `timeout` or `transfer` while tasks take well under a millisecond.
 *
 * @typeParam M The type of the task module (`typeof import("./tasks.ts")`), to check names,
 * arguments and results.
 *
 * @example Running a task module's functions
 * ```ts
 * import { WorkerPool } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * const url = URL.createObjectURL(
 *   new Blob(["export const add = (a, b) => a + b;"], { type: "text/javascript" }),
 * );
 * {
 *   await using pool = new WorkerPool(url, { size: 2 });
 *   assert.equal(await pool.run("add", [2, 3]), 5);
 * }
 * URL.revokeObjectURL(url);
 * ```
 */
export class WorkerPool<M extends object = AnyTaskModule> {
  #url: string;
  #size: number;
  #maxQueue: number;
  #scheduler: WorkerScheduler;
  /** Room in the queue handed to a `map()` that has not used it yet. */
  #reserved = 0;
  #closed = false;
  #terminated = false;
  #idleWaiters = new Set<(ok: boolean) => void>();
  /** `map()`s waiting for room, oldest first: each is handed room in turn. */
  #roomWaiters = new Set<(ok: boolean) => void>();
  /** `ready()` calls waiting for room: all are woken. */
  #readyWaiters = new Set<(ok: boolean) => void>();
  #closing: { promise: Promise<void>; resolve: (value: void) => void } | undefined;

  /**
   * Makes a pool. Its workers start when tasks come.
   *
   * @param moduleUrl The task module: a `URL` or an absolute URL string (in a browser, a string
   * relative to the page works too). Use `new URL("./tasks.ts", import.meta.url)`.
   * @param options The options; see {@linkcode WorkerPoolOptions}.
   * @throws {TypeError} If `moduleUrl` is not a URL or a string that resolves to one, an option
   * has the wrong type, or `initArgs` holds a value structured clone cannot copy.
   * @throws {RangeError} If `size`, `maxQueue`, `idleTimeout`, `loadTimeout` or
   * `maxTasksPerWorker` is out of range.
   * @throws {DOMException} A `NotSupportedError` naming the runtime if it lacks Web Workers (Node.js).
   *
   * @example Sizing the pool
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = () => 1;"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 2, maxQueue: 100 });
   *   assert.equal(pool.size, 2);
   *   assert.equal(pool.workers, 0); // Started on demand.
   *   await pool.run("f", []);
   *   assert.equal(pool.workers, 1);
   * }
   * URL.revokeObjectURL(url);
   * ```
   *
   * @example Set-up per worker, recycling and idle workers
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob([`
   *   let config, count = 0;
   *   export function setup(c) { config = c; }
   *   export function work() { return [config.name, ++count]; }
   * `], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, {
   *     size: 1,
   *     initializer: "setup", // called once per worker, before its first task
   *     initArgs: [{ name: "db" }],
   *     maxTasksPerWorker: 2, // then a fresh worker
   *     idleTimeout: 10_000, // an idle worker ends after 10 s (2 s by default)
   *   });
   *   const seen = [];
   *   for (let i = 0; i < 3; i++) seen.push(await pool.run("work", []));
   *   assert.deepEqual(seen, [["db", 1], ["db", 2], ["db", 1]]);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  constructor(moduleUrl: string | URL, options?: WorkerPoolOptions) {
    const call = "new WorkerPool()";
    this.#url = resolveModuleUrl(call, moduleUrl);
    const {
      size,
      maxQueue,
      idleTimeout,
      loadTimeout,
      initializer,
      initArgs,
      maxTasksPerWorker,
    } = readOptions(call, options);
    this.#size = size === undefined
      ? Math.min(cores(), MAX_WORKERS)
      : checkInteger(call, "size", size, 1, MAX_WORKERS);
    this.#maxQueue = maxQueue === undefined
      ? Infinity
      : checkInteger(call, "maxQueue", maxQueue, 0, Infinity);
    const config: SchedulerConfig = {
      url: this.#url,
      size: this.#size,
      idleTimeout: idleTimeout === undefined
        ? 2000
        : checkTimeout(call, "idleTimeout", idleTimeout),
      loadTimeout: loadTimeout === undefined
        ? 30_000
        : checkTimeout(call, "loadTimeout", loadTimeout),
      initializer,
      initArgs: copyInitArgs(call, initArgs),
      maxTasksPerWorker: maxTasksPerWorker === undefined
        ? Infinity
        : checkInteger(call, "maxTasksPerWorker", maxTasksPerWorker, 1, Infinity),
    };
    if (initializer !== undefined && typeof initializer !== "string") {
      throw invalid(call, "initializer", "the name of an exported function", initializer);
    }
    checkRuntime();
    const hostUrl = URL.createObjectURL(
      new Blob([WORKER_HOST_SOURCE], { type: "text/javascript" }),
    );
    this.#scheduler = new WorkerScheduler(config, hostUrl, () => {
      this.#wakeRoom();
      this.#checkIdle();
    });
  }

  /**
   * The absolute URL of the task module.
   *
   * @example Reading the URL
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export {};"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 1 });
   *   assert.equal(pool.moduleUrl, url);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  get moduleUrl(): string {
    return this.#url;
  }

  /**
   * The most workers the pool runs at once.
   *
   * @example Reading the size
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export {};"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 3 });
   *   assert.equal(pool.size, 3);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * The number of live workers (started, loading or loaded, not yet ended): from 0 to `size`.
   * Workers start on demand and end after `idleTimeout` idle, on `close()` and `terminate()`.
   *
   * @example Counting workers
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = () => 1;"], { type: "text/javascript" }));
   * const pool = new WorkerPool(url, { size: 2 });
   * assert.equal(pool.workers, 0);
   * await Promise.all([pool.run("f", []), pool.run("f", [])]);
   * assert.equal(pool.workers, 2);
   * pool.terminate();
   * assert.equal(pool.workers, 0);
   * URL.revokeObjectURL(url);
   * ```
   */
  get workers(): number {
    return this.#scheduler.workers;
  }

  /**
   * The number of tasks sent to a worker and not yet settled (a `map()` chunk counts as one).
   *
   * @example Counting running tasks
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = () => 1;"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 1 });
   *   const task = pool.run("f", []);
   *   assert.equal(pool.running, 1);
   *   await task;
   *   assert.equal(pool.running, 0);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  get running(): number {
    return this.#scheduler.running;
  }

  /**
   * The number of tasks waiting for a worker (a `map()` chunk counts as one).
   *
   * @example Counting queued tasks
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = () => 1;"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 1 });
   *   const tasks = [pool.run("f", []), pool.run("f", [])];
   *   assert.equal(pool.queued, 1);
   *   await Promise.all(tasks);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  get queued(): number {
    return this.#scheduler.queued;
  }

  /**
   * Whether `close()` or `terminate()` was called: new tasks are refused.
   *
   * @example After terminate
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export {};"], { type: "text/javascript" }));
   * const pool = new WorkerPool(url, { size: 1 });
   * pool.terminate();
   * assert.equal(pool.closed, true);
   * URL.revokeObjectURL(url);
   * ```
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs the task module's exported function `name` with `args` on a free worker (starting one if
   * fewer than `size` run), or queues it until one is free, and settles with its result.
   *
   * Fairness: tasks start in the order `run()` was called (FIFO).
   *
   * **Cancellation**: if `signal` aborts while the task is queued, it is removed at once without
   * starting; if it aborts while the task runs, the worker is terminated (stopping even a busy
   * loop) and replaced. `timeout` counts from when the task is sent to a worker (a new one: once
   * it has loaded the module) and, when it fires, does the same with a `TimeoutError` `DOMException`. An already-aborted signal rejects
   * at once.
   *
   * @typeParam K The function's name.
   * @param name The name of an exported function of the task module.
   * @param args Its arguments, sent by structured clone.
   * @param options The options; see {@linkcode WorkerRunOptions}.
   * @returns What the function returned or resolved to (unwrapped from {@linkcode transfer}).
   * It rejects with the task's own error; `signal.reason`; a `TimeoutError`;
   * {@linkcode PoolFull} if `maxQueue` tasks already wait; {@linkcode PoolClosed} after `close()`
   * or on `terminate()`; {@linkcode WorkerCrashed}; {@linkcode ModuleLoadError}; a `TypeError`
   * for an unknown name or a bad argument; a `RangeError` for an option out of range; a
   * `DataCloneError` `DOMException` if the arguments or result cannot be cloned. A fire-and-forget
   * `run()` whose task fails is an unhandled rejection; one rejected as its caller asked (its
   * `signal` or `timeout`, `close({ cancelPending: true })`, `terminate()`) is not reported.
   *
   * @example A timeout stops a busy loop
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(
   *   new Blob([
   *     "export function spin(ms) { const end = Date.now() + ms; while (Date.now() < end); }",
   *   ], { type: "text/javascript" }),
   * );
   * {
   *   await using pool = new WorkerPool(url, { size: 1 });
   *   await assert.rejects(pool.run("spin", [300], { timeout: 20 }), { name: "TimeoutError" });
   * }
   * URL.revokeObjectURL(url);
   * ```
   *
   * @example Progress from a running task
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * // The task calls reportProgress() (or the function under the registered symbol, importing nothing).
   * const url = URL.createObjectURL(new Blob([`
   *   const report = globalThis[Symbol.for("@effective/concurrency/pool.progress")];
   *   export function count(n) { for (let i = 1; i <= n; i++) report(i); return "done"; }
   * `], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 1 });
   *   const seen: unknown[] = [];
   *   assert.equal(await pool.run("count", [3], { onMessage: (v) => seen.push(v) }), "done");
   *   assert.deepEqual(seen, [1, 2, 3]);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  run<K extends TaskName<M>>(
    name: K,
    args: TaskArgs<M, K>,
    options?: WorkerRunOptions,
  ): Promise<TaskResult<M, K>> {
    const call = "WorkerPool.run()";
    let signal: AbortSignal | undefined;
    let timeout: number | undefined;
    let transfer: Transferable[] | undefined;
    let onMessage: ((value: unknown) => void) | undefined;
    try {
      checkName(call, name);
      if (!Array.isArray(args)) throw invalid(call, "args", "an array", args);
      const read = readOptions(call, options);
      signal = checkSignal(call, "signal", read.signal);
      timeout = checkTimeout(call, "timeout", read.timeout);
      transfer = read.transfer;
      if (transfer !== undefined && !Array.isArray(transfer)) {
        throw invalid(call, "transfer", "an array", transfer);
      }
      onMessage = checkFunction(call, "onMessage", read.onMessage);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closed) {
      return Promise.reject(new PoolClosed(`Cannot run '${name}': the WorkerPool is closed`));
    }
    if (signal?.aborted) return rejected(signal.reason).promise; // asked for: marked handled
    if (!this.#hasRoom()) {
      return Promise.reject(
        new PoolFull(
          `Cannot run '${name}': every worker is busy and the queue is full (maxQueue ${this.#maxQueue})`,
          name,
        ),
      );
    }
    const { promise, resolve, reject } = withResolvers<unknown>();
    const result = withCallerFrames(promise, call);
    const settle = (reason: unknown, asked?: boolean) => {
      // A rejection the caller asked for still reaches an awaiting caller, but a fire-and-forget
      // run() does not report it as unhandled; a task's own error it does (no handler added).
      if (asked) result.catch(ignore);
      reject(reason);
    };
    const task = this.#scheduler.task(name, args, undefined, resolve, settle, signal, timeout);
    task.transfer = transfer;
    task.onMessage = onMessage;
    this.#scheduler.submit(task);
    return result as Promise<TaskResult<M, K>>;
  }

  #hasRoom(): boolean {
    const waiting = this.#scheduler.queued + this.#reserved;
    return waiting < this.#maxQueue || (waiting === 0 && this.#scheduler.canStart);
  }

  /** Hands room in the queue to the oldest map() waiting for it, then wakes `ready()` calls. */
  #wakeRoom(): void {
    while (this.#roomWaiters.size > 0 && this.#hasRoom()) {
      const waiter = this.#roomWaiters.values().next().value!;
      this.#roomWaiters.delete(waiter);
      this.#reserved++;
      waiter(true);
    }
    if (this.#readyWaiters.size > 0 && this.#hasRoom()) wakeAll(this.#readyWaiters, true);
  }

  #checkIdle(): void {
    if (this.#scheduler.running !== 0 || this.#scheduler.queued !== 0) return;
    if (this.#idleWaiters.size > 0) wakeAll(this.#idleWaiters, true);
    if (this.#closing !== undefined) this.terminate(); // It does nothing once it has run.
  }

  /**
   * Runs the function `name` once per item of `items`, as `name(item)`, and yields the results in
   * input order (Python's `Executor.map`).
   *
   * At most `inFlight` tasks (or chunks) of this map are submitted and not yet yielded, so a slow
   * consumer holds back the input and memory stays bounded; with a finite `maxQueue`, the map
   * waits for room, oldest map first, instead of failing with {@linkcode PoolFull}. If a task
   * rejects, the iteration throws its error; on an error, a `break` or `return()`, the tasks not
   * started yet are dropped, running ones finish unobserved and the input iterator is closed.
   *
   * **Cancellation**: maps waiting for room in the queue are served oldest first, each handed the
   * room it waits for (none overfills `maxQueue`). `signal` cancels the whole map: a wait for room
   * gives up its place, queued tasks are removed, running ones stop their workers, and the
   * pending `next()` rejects with `signal.reason` at once, even while the input is stalled. `timeout` limits each task (each chunk), as in `run()`.
   *
   * @typeParam K The function's name.
   * @param name The name of an exported function of one parameter.
   * @param items Its arguments, one per task; sync or async iterable.
   * @param options The options; see {@linkcode WorkerMapOptions}.
   * @returns An async iterator of the results, in the order of `items`.
   * @throws {TypeError} If `name` is not a string, `items` not iterable, or an option has the
   * wrong type.
   * @throws {RangeError} If `inFlight` or `chunksize` is not a positive integer or `timeout` is
   * out of range.
   * @throws {PoolClosed} If the pool is closed.
   *
   * @example Mapping over pairs
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(
   *   new Blob(["export const sum = ([a, b]) => a + b;"], { type: "text/javascript" }),
   * );
   * {
   *   await using pool = new WorkerPool(url, { size: 2 });
   *   const out: number[] = [];
   *   for await (const n of pool.map("sum", [[1, 2], [3, 4], [5, 6]])) out.push(n);
   *   assert.deepEqual(out, [3, 7, 11]);
   * }
   * URL.revokeObjectURL(url);
   * ```
   *
   * @example Tiny tasks, many to a message
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const sq = (n) => n * n;"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 2 });
   *   let sum = 0;
   *   for await (const n of pool.map("sq", Array.from({ length: 1000 }, (_, i) => i), { chunksize: 100 })) {
   *     sum += n;
   *   }
   *   assert.equal(sum, 332833500);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  map<K extends TaskName<M>>(
    name: K,
    items: Iterable<TaskArgs<M, K>[0]> | AsyncIterable<TaskArgs<M, K>[0]>,
    options?: WorkerMapOptions,
  ): AsyncGenerator<TaskResult<M, K>, void, undefined> {
    const call = "WorkerPool.map()";
    checkName(call, name);
    if (
      items === null || (typeof items !== "object" && typeof items !== "string") ||
      !(Symbol.iterator in Object(items) || Symbol.asyncIterator in Object(items))
    ) {
      throw invalid(call, "items", "iterable", items);
    }
    const read = readOptions(call, options);
    const signal = checkSignal(call, "signal", read.signal);
    const timeout = checkTimeout(call, "timeout", read.timeout);
    const inFlight = read.inFlight === undefined
      ? this.#size * 2
      : checkInteger(call, "inFlight", read.inFlight, 1, Infinity);
    const chunksize = read.chunksize === undefined
      ? 1
      : checkInteger(call, "chunksize", read.chunksize, 1, MAX_TIMEOUT);
    if (this.#closed) throw new PoolClosed(`Cannot map '${name}': the WorkerPool is closed`);
    const submit = async (item: unknown, left: AbortSignal): Promise<Submitted<unknown>> => {
      if (!this.#hasRoom() && !this.#closed) {
        // The wait ends if the consumer leaves the map, so it holds no place in the line.
        const stop = signal === undefined ? left : AbortSignal.any([signal, left]);
        if (!await this.#waitForRoom(stop)) {
          return rejected(new PoolClosed(`Cannot run '${name}': the WorkerPool is closed`));
        }
        this.#reserved--;
      }
      if (this.#closed || signal?.aborted) {
        this.#wakeRoom(); // Pass the room on.
        return rejected(
          signal?.aborted
            ? signal.reason
            : new PoolClosed(`Cannot run '${name}': the WorkerPool is closed`),
        );
      }
      const { promise, resolve, reject } = withResolvers<unknown>();
      const chunk = chunksize === 1 ? undefined : (item as unknown[]).map((one) => [one]);
      const task = this.#scheduler.task(
        name,
        chunk === undefined ? [item] : undefined,
        chunk,
        resolve,
        reject,
        signal,
        timeout,
      );
      this.#scheduler.submit(task);
      return {
        promise: withCallerFrames(promise, call),
        cancel: () => {
          if (task.state === "queued") this.#scheduler.stop(task, abortError());
        },
      };
    };
    if (chunksize === 1) {
      return orderedMap(items, submit, inFlight, signal) as AsyncGenerator<
        TaskResult<M, K>,
        void,
        undefined
      >;
    }
    return flatten(
      orderedMap(chunks(items, chunksize), submit, inFlight, signal),
    ) as AsyncGenerator<
      TaskResult<M, K>,
      void,
      undefined
    >;
  }

  /** Waits for room in the queue; true when it is handed over (then `#reserved` counts it). */
  #waitForRoom(signal: AbortSignal | undefined): Promise<boolean> {
    return waitIn(this.#roomWaiters, "WorkerPool.map()", { signal, timeout: undefined });
  }

  /**
   * Waits until `run()` can accept a task without {@linkcode PoolFull}: fewer than `maxQueue`
   * tasks wait, or a worker is free. Resolves at once if it already can (always, with the default
   * `maxQueue` of `Infinity`). Use it for back-pressure: `await pool.ready(); pool.run(…)`.
   *
   * **Cancellation**: every `ready()` waiter is woken when room appears (nothing is reserved, so with
   * several producers one may still meet a full queue; `map()` reserves room for the oldest map
   * instead). `signal` and `timeout` stop the wait, rejecting with `signal.reason` or a
   * `TimeoutError` `DOMException`.
   *
   * @param options The options; see {@linkcode WorkerWaitOptions}.
   * @returns A promise that resolves when there is room; it rejects with {@linkcode PoolClosed}
   * if the pool is closed, and with a `TypeError`/`RangeError` for a bad option.
   *
   * @example A producer that never overfills the queue
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(
   *   new Blob(["export const twice = (n) => n * 2;"], { type: "text/javascript" }),
   * );
   * {
   *   await using pool = new WorkerPool(url, { size: 1, maxQueue: 1 });
   *   const tasks: Promise<number>[] = [];
   *   for (let n = 0; n < 5; n++) {
   *     await pool.ready();
   *     tasks.push(pool.run("twice", [n]));
   *   }
   *   assert.deepEqual(await Promise.all(tasks), [0, 2, 4, 6, 8]);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  ready(options?: WorkerWaitOptions): Promise<void> {
    const call = "WorkerPool.ready()";
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    const closed = () => new PoolClosed(`${call}: the WorkerPool is closed`);
    if (this.#closed) return Promise.reject(closed());
    if (this.#hasRoom()) return Promise.resolve();
    return waitIn(this.#readyWaiters, call, wait).then(() => {
      if (this.#closed) throw closed();
    });
  }

  /**
   * Waits until no task runs or waits. Resolves at once if none does. Tasks submitted while
   * waiting are waited for too. The workers stay up (until `idleTimeout`).
   *
   * **Cancellation**: `signal` and `timeout` only stop the wait; the tasks go on.
   *
   * @param options The options; see {@linkcode WorkerWaitOptions}.
   * @returns A promise that resolves when the pool is idle; it rejects with a
   * `TypeError`/`RangeError` for a bad option.
   *
   * @example Waiting for fire-and-forget tasks
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = () => 1;"], { type: "text/javascript" }));
   * {
   *   await using pool = new WorkerPool(url, { size: 2 });
   *   for (let i = 0; i < 4; i++) pool.run("f", []);
   *   await pool.join();
   *   assert.equal(pool.running + pool.queued, 0);
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  join(options?: WorkerWaitOptions): Promise<void> {
    const call = "WorkerPool.join()";
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    if (this.#scheduler.running === 0 && this.#scheduler.queued === 0) return Promise.resolve();
    return waitIn(this.#idleWaiters, call, wait).then(() => {});
  }

  /**
   * Refuses new tasks, lets every accepted task (running or queued) finish, then ends every
   * worker: Python's `shutdown(wait=True)`. With `cancelPending`, the tasks not started yet
   * reject with {@linkcode PoolClosed} instead (`shutdown(cancel_futures=True)`). Calling it again
   * returns the same promise (and cancels what is pending, if asked); calling `terminate()`
   * meanwhile ends everything at once and resolves it.
   *
   * A worker still loading the module holds `close()` up to `loadTimeout` (its tasks then
   * reject with {@linkcode ModuleLoadError}); with `cancelPending` it is ended at once.
   *
   * **Cancellation**: `signal` and `timeout` stop only the wait, rejecting with `signal.reason` or a
   * `TimeoutError` `DOMException`; the pool stays closed and its tasks go on (call `terminate()`
   * to end them, as piscina's `closeTimeout` does).
   *
   * @param options The options; see {@linkcode WorkerCloseOptions}.
   * @returns A promise that resolves when every task has settled and every worker has ended; it
   * rejects with a `TypeError` for a bad option.
   *
   * @example Closing after the work is accepted
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = (n) => n + 1;"], { type: "text/javascript" }));
   * const pool = new WorkerPool(url, { size: 1 });
   * const tasks = [pool.run("f", [1]), pool.run("f", [2])];
   * await pool.close();
   * assert.deepEqual(await Promise.all(tasks), [2, 3]);
   * assert.equal(pool.workers, 0);
   * URL.revokeObjectURL(url);
   * ```
   *
   * @example Cancelling what has not started
   * ```ts
   * import { PoolClosed, WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob([
   *   "export const wait = (ms) => new Promise((r) => setTimeout(() => r(ms), ms));",
   * ], { type: "text/javascript" }));
   * const pool = new WorkerPool(url, { size: 1 });
   * await pool.run("wait", [0]); // the worker has loaded the module
   * const running = pool.run("wait", [20]); // sent to the worker at once
   * const pending = assert.rejects(pool.run("wait", [30]), PoolClosed); // queued
   * await pool.close({ cancelPending: true });
   * assert.equal(await running, 20);
   * await pending;
   * URL.revokeObjectURL(url);
   * ```
   */
  close(options?: WorkerCloseOptions): Promise<void> {
    const call = "WorkerPool.close()";
    let cancelPending: boolean;
    let wait: Wait;
    try {
      const read = readOptions(call, options);
      cancelPending = checkBoolean(call, "cancelPending", read.cancelPending, false);
      wait = {
        signal: checkSignal(call, "signal", read.signal),
        timeout: checkTimeout(call, "timeout", read.timeout),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#closing = withResolvers<void>();
      if (this.#terminated) this.#closing.resolve();
    }
    if (!this.#terminated) {
      if (cancelPending) this.#scheduler.cancelPending();
      this.#scheduler.close();
      wakeAll(this.#roomWaiters, false);
      wakeAll(this.#readyWaiters, false);
      this.#checkIdle();
    }
    const closed = this.#closing.promise;
    if (wait.signal === undefined && wait.timeout === undefined) return closed;
    const { promise, resolve, reject } = withResolvers<void>();
    const disarm = armWait(call, wait, reject);
    closed.then(() => {
      disarm();
      resolve();
    });
    return promise;
  }

  /**
   * Ends every worker now, like Python's `shutdown(cancel_futures=True)` but also stopping the
   * running tasks: every queued or running task rejects with {@linkcode PoolClosed}, new tasks
   * are refused, and no worker, timer or listener is left. Calling it again does nothing.
   *
   * @example Terminating with work pending
   * ```ts
   * import { PoolClosed, WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(
   *   new Blob([
   *     "export function spin(ms) { const end = Date.now() + ms; while (Date.now() < end); }",
   *   ], { type: "text/javascript" }),
   * );
   * const pool = new WorkerPool(url, { size: 1 });
   * const running = pool.run("spin", [300]);
   * const queued = pool.run("spin", [300]);
   * pool.terminate();
   * await assert.rejects(running, PoolClosed);
   * await assert.rejects(queued, PoolClosed);
   * URL.revokeObjectURL(url);
   * ```
   */
  terminate(): void {
    if (this.#terminated) return;
    this.#closed = true;
    this.#terminated = true;
    this.#scheduler.terminate();
    wakeAll(this.#roomWaiters, false);
    wakeAll(this.#readyWaiters, false);
    wakeAll(this.#idleWaiters, true);
    this.#closing?.resolve();
  }

  /**
   * Closes the pool, for `await using`: waits for the accepted tasks, then ends the workers.
   *
   * @returns A promise that resolves when the pool is closed.
   *
   * @example With `await using`
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export const f = () => 1;"], { type: "text/javascript" }));
   * let pending: Promise<number>;
   * {
   *   await using pool = new WorkerPool(url, { size: 1 });
   *   pending = pool.run("f", []);
   * }
   * assert.equal(await pending, 1);
   * URL.revokeObjectURL(url);
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
