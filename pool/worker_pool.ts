import { Fifo } from "./_fifo.ts";
import { orderedMap, rejected, type Submitted } from "./_ordered_map.ts";
import { type Encoded, revive } from "./_revive.ts";
import {
  cores,
  describe,
  invalid,
  iterable,
  optionsObject,
  positiveInteger,
  queueLimit,
  signalOption,
  timeoutError,
  timeoutOption,
} from "./_validate.ts";
import { waitFor, wakeAll } from "./_wait.ts";
import { WORKER_HOST_SOURCE } from "./_worker_host.ts";
import { ModuleLoadError, PoolClosed, PoolFull, WorkerCrashed } from "./errors.ts";
import type { Transfer } from "./transfer.ts";

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

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * How many workers to run. They are started at once and kept until `close()` or `terminate()`.
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
}

/** Options for {@linkcode WorkerPool.prototype.run}. */
export interface WorkerRunOptions {
  /**
   * Cancels the task. A queued task is removed without starting; a running one is stopped by
   * terminating its worker, which the pool replaces. The promise rejects with `signal.reason`.
   */
  signal?: AbortSignal;
  /**
   * Stops the task if it runs longer than this many ms, counted from when it starts running (time
   * spent queued does not count): its worker is terminated and replaced, and the promise rejects
   * with a `TimeoutError` `DOMException`. `Infinity` means no limit.
   */
  timeout?: number;
  /** Objects inside `args` (e.g. `ArrayBuffer`s) to transfer to the worker instead of copying. */
  transfer?: Transferable[];
}

/** Options for {@linkcode WorkerPool.prototype.map}. */
export interface WorkerMapOptions {
  /** Cancels every task of the map, as {@linkcode WorkerRunOptions.signal} does for one. */
  signal?: AbortSignal;
  /** A time limit for each task, as {@linkcode WorkerRunOptions.timeout}. */
  timeout?: number;
  /**
   * How many tasks of this map may be submitted but not yet yielded.
   *
   * @default {2 × size}
   */
  inFlight?: number;
}

/** Options for the waits of {@linkcode WorkerPool}: `join()` and `ready()`. */
export interface WorkerWaitOptions {
  /** Stops waiting: the call rejects with `signal.reason`. The tasks are not affected. */
  signal?: AbortSignal;
  /** Stops waiting after this many ms with a `TimeoutError` `DOMException`. */
  timeout?: number;
}

interface Slot {
  worker: Worker;
  /** The control port: errors and crash reports (see `_worker_host.ts`). */
  port: MessagePort;
  /** The function name the worker will call next. */
  name: string;
  task: Task | undefined;
}

const QUEUED = 0;
const RUNNING = 1;
const SETTLED = 2;

interface Task {
  name: string;
  args: unknown[];
  transfer: Transferable[] | undefined;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timeout: number | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  slot: Slot | undefined;
  state: number;
}

function resolveModuleUrl(value: unknown): string {
  const what = "Cannot create WorkerPool";
  if (value instanceof URL) return value.href;
  if (typeof value !== "string") throw invalid(what, "moduleUrl", "a URL or a string", value);
  try {
    return new URL(value, (globalThis as { location?: { href: string } }).location?.href).href;
  } catch {
    throw invalid(
      what,
      "moduleUrl",
      'an absolute URL (try new URL("./tasks.ts", import.meta.url))',
      value,
    );
  }
}

/**
 * A `WorkerPool` runs the exported functions of a task module on a fixed set of Web Workers, for
 * true parallelism on every core: the analogue of Python's `ProcessPoolExecutor`.
 *
 * The task module is a plain module of exported functions, with no registration code: each worker
 * imports it once and `run("gcd", [a, b])` calls its export `gcd(a, b)`. Arguments and results
 * cross by structured clone; `transfer` moves buffers instead (see {@linkcode transfer}).
 *
 * Guarantees:
 *
 * - Tasks start in the order they were submitted (FIFO), one at a time per worker.
 * - An error thrown by a task rejects its promise with the same `name`, `message`, `cause` and
 *   the worker-side `stack`. An unknown function name rejects with a `TypeError` listing the
 *   module's exported functions; a module that fails to load, with {@linkcode ModuleLoadError}; a
 *   result that cannot be cloned, with a `DataCloneError` `DOMException` naming the function.
 * - A worker that dies (an uncaught error or unhandled rejection outside the task's promise, or
 *   `self.close()`) fails only the task it was running, with {@linkcode WorkerCrashed}; the pool
 *   starts a new worker and the queued tasks still run.
 * - Aborting or timing out a running task terminates its worker (so even a busy loop stops) and
 *   starts a new one; aborting a queued task removes it without starting it.
 * - Every promise the pool hands out settles, whatever happens.
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
  #hostUrl: string;
  #size: number;
  #maxQueue: number;
  #slots = new Set<Slot>();
  #idleSlots: Slot[] = [];
  #queue = new Fifo<Task>();
  #queued = 0;
  #running = 0;
  #closed = false;
  #terminated = false;
  #idleWaiters = new Set<() => void>();
  #roomWaiters = new Set<() => void>();
  #closing: PromiseWithResolvers<void> | undefined;

  /**
   * Makes a pool and starts its workers.
   *
   * @param moduleUrl The task module: a `URL` or an absolute URL string (in a browser, a string
   * relative to the page works too). Use `new URL("./tasks.ts", import.meta.url)`.
   * @param options The options; see {@linkcode WorkerPoolOptions}.
   * @throws {TypeError} If `moduleUrl` is not a URL or a string that resolves to one, or an option
   * has the wrong type.
   * @throws {RangeError} If `size` is not a positive integer or `maxQueue` is negative or not an
   * integer.
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
   * }
   * URL.revokeObjectURL(url);
   * ```
   */
  constructor(moduleUrl: string | URL, options?: WorkerPoolOptions) {
    const what = "Cannot create WorkerPool";
    this.#url = resolveModuleUrl(moduleUrl);
    optionsObject(what, options);
    this.#size = options?.size === undefined
      ? cores()
      : positiveInteger(what, "size", options.size);
    this.#maxQueue = options?.maxQueue === undefined
      ? Infinity
      : queueLimit(what, "maxQueue", options.maxQueue);
    this.#hostUrl = URL.createObjectURL(
      new Blob([WORKER_HOST_SOURCE], { type: "text/javascript" }),
    );
    for (let i = 0; i < this.#size; i++) this.#idleSlots.push(this.#spawn());
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
   * The number of workers the pool keeps. A worker that dies is replaced, so the count stays.
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
   * The number of live workers: `size` while the pool is open (a worker that died while idle is
   * replaced when next needed), 0 after `close()` has finished or `terminate()`.
   *
   * @example Counting workers
   * ```ts
   * import { WorkerPool } from "@effective/concurrency/pool";
   * import assert from "node:assert/strict";
   *
   * const url = URL.createObjectURL(new Blob(["export {};"], { type: "text/javascript" }));
   * const pool = new WorkerPool(url, { size: 2 });
   * assert.equal(pool.workers, 2);
   * pool.terminate();
   * assert.equal(pool.workers, 0);
   * URL.revokeObjectURL(url);
   * ```
   */
  get workers(): number {
    return this.#slots.size;
  }

  /**
   * The number of tasks running on a worker.
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
    return this.#running;
  }

  /**
   * The number of tasks waiting for a worker.
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
    return this.#queued;
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
   * Runs the task module's exported function `name` with `args` on a free worker, or queues it
   * until one is free, and settles with its result.
   *
   * Fairness: tasks start in the order `run()` was called (FIFO).
   *
   * Cancellation: if `signal` aborts while the task is queued, it is removed without starting; if
   * it aborts while the task runs, the worker is terminated (stopping even a busy loop) and
   * replaced. `timeout` counts from when the task starts running and, when it fires, does the
   * same with a `TimeoutError` `DOMException`. An already-aborted signal rejects at once.
   *
   * @typeParam K The function's name.
   * @param name The name of an exported function of the task module.
   * @param args Its arguments, sent by structured clone.
   * @param options The options; see {@linkcode WorkerRunOptions}.
   * @returns What the function returned or resolved to (unwrapped from {@linkcode transfer}).
   * It rejects with the task's own error; `signal.reason`; a `TimeoutError`;
   * {@linkcode PoolFull} if `maxQueue` tasks already wait; {@linkcode PoolClosed} after `close()`
   * or on `terminate()`; {@linkcode WorkerCrashed}; {@linkcode ModuleLoadError}; a `TypeError`
   * for an unknown name; a `DataCloneError` `DOMException` if the arguments or result cannot be
   * cloned.
   * @throws {TypeError} If `name` is not a string, `args` not an array, or an option has the
   * wrong type.
   * @throws {RangeError} If `timeout` is negative or too large.
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
   */
  run<K extends TaskName<M>>(
    name: K,
    args: TaskArgs<M, K>,
    options?: WorkerRunOptions,
  ): Promise<TaskResult<M, K>> {
    const what = "Cannot run a task on WorkerPool";
    if (typeof name !== "string") throw invalid(what, "name", "a string", name);
    if (!Array.isArray(args)) throw invalid(what, "args", "an array", args);
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    const timeout = timeoutOption(what, options?.timeout);
    const transfer = options?.transfer;
    if (transfer !== undefined && !Array.isArray(transfer)) {
      throw invalid(what, "transfer", "an array", transfer);
    }
    if (this.#closed) {
      return Promise.reject(new PoolClosed(`Cannot run '${name}': the WorkerPool is closed`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.#hasRoom()) {
      return Promise.reject(
        new PoolFull(
          `Cannot run '${name}': every worker is busy and the queue is full (maxQueue ${this.#maxQueue})`,
          name,
        ),
      );
    }
    return this.#submit(name, args, signal, timeout, transfer).promise as Promise<
      TaskResult<M, K>
    >;
  }

  #hasRoom(): boolean {
    return this.#queued < this.#maxQueue ||
      (this.#queued === 0 && (this.#idleSlots.length > 0 || this.#slots.size < this.#size));
  }

  #submit(
    name: string,
    args: unknown[],
    signal: AbortSignal | undefined,
    timeout: number | undefined,
    transfer?: Transferable[],
  ): Submitted<unknown> {
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    const task: Task = {
      name,
      args,
      transfer,
      resolve,
      reject,
      signal,
      onAbort: undefined,
      timeout,
      timer: undefined,
      slot: undefined,
      state: QUEUED,
    };
    if (signal !== undefined) {
      task.onAbort = () => this.#stop(task, signal.reason);
      signal.addEventListener("abort", task.onAbort, { once: true });
    }
    const slot = this.#queued === 0
      ? this.#idleSlots.pop() ?? (this.#slots.size < this.#size ? this.#spawn() : undefined)
      : undefined;
    if (slot === undefined) {
      this.#queue.push(task);
      this.#queued++;
    } else if (!this.#start(slot, task)) this.#next(slot);
    return {
      promise,
      cancel: () => {
        if (task.state === QUEUED) {
          this.#stop(task, new DOMException("Task cancelled", "AbortError"));
        }
      },
    };
  }

  #spawn(): Slot {
    const worker = new Worker(this.#hostUrl, { type: "module", name: this.#url });
    const { port1, port2 } = new MessageChannel();
    const slot: Slot = { worker, port: port1, name: "", task: undefined };
    worker.postMessage(port2, [port2]);
    worker.onmessage = (event: MessageEvent) => this.#finish(slot)?.resolve(event.data);
    port1.onmessage = (event: MessageEvent) => this.#onControl(slot, event.data);
    worker.onerror = (event: ErrorEvent) => {
      // The host script itself failed (task errors never get here): treat it as a crash.
      event.preventDefault();
      this.#crash(slot, new Error(event.message));
    };
    worker.onmessageerror = () => {
      const task = this.#finish(slot);
      task?.reject(
        new DOMException(
          `Cannot receive the result of '${task.name}' from the worker`,
          "DataCloneError",
        ),
      );
    };
    this.#slots.add(slot);
    return slot;
  }

  /** Posts `task` to `slot`'s worker. Returns false (and rejects the task) if posting failed. */
  #start(slot: Slot, task: Task): boolean {
    try {
      const worker = slot.worker;
      if (slot.name !== task.name) {
        worker.postMessage(task.name);
        slot.name = task.name;
      }
      // A lone argument that is not a string or an array goes bare: much cheaper to clone.
      const args = task.args;
      const one = args[0];
      const data =
        args.length === 1 && one !== undefined && typeof one !== "string" && !Array.isArray(one)
          ? one
          : args;
      if (task.transfer === undefined) worker.postMessage(data);
      else worker.postMessage(data, task.transfer);
    } catch (error) {
      this.#settle(task);
      task.reject(
        new DOMException(
          `Cannot send the arguments of '${task.name}' to a worker: ${(error as Error)?.message}`,
          "DataCloneError",
        ),
      );
      return false;
    }
    task.state = RUNNING;
    task.slot = slot;
    slot.task = task;
    this.#running++;
    if (task.timeout !== undefined) task.timer = setTimeout(this.#onTimeout, task.timeout, task);
    return true;
  }

  #onTimeout = (task: Task): void => {
    this.#stop(task, timeoutError(`WorkerPool task '${task.name}'`, task.timeout!));
  };

  /** Marks `task` settled and removes its timer and abort listener. */
  #settle(task: Task): void {
    task.state = SETTLED;
    if (task.timer !== undefined) clearTimeout(task.timer);
    if (task.onAbort !== undefined) task.signal!.removeEventListener("abort", task.onAbort);
  }

  /**
   * Detaches the running task from `slot`, gives `slot` its next task and returns the detached
   * one, or `undefined` if none was running.
   */
  #finish(slot: Slot): Task | undefined {
    const task = slot.task;
    if (task !== undefined) {
      slot.task = undefined;
      this.#running--;
      this.#settle(task);
      this.#next(slot);
    }
    return task;
  }

  /** Starts the next queued task on `slot`, or parks it as idle. */
  #next(slot: Slot): void {
    while (this.#queued > 0) {
      const task = this.#queue.shift()!;
      if (task.state !== QUEUED) continue;
      this.#queued--;
      if (this.#start(slot, task)) {
        this.#wakeRoom();
        return;
      }
    }
    this.#idleSlots.push(slot);
    this.#wakeRoom();
    this.#checkIdle();
  }

  #onControl(slot: Slot, data: [number, unknown]): void {
    const code = data[0];
    const payload = data[1];
    if (code >= 6) {
      this.#crash(slot, code === 6 ? revive(payload as Encoded) : undefined, code === 7);
      return;
    }
    const task = this.#finish(slot);
    if (task === undefined) return;
    switch (code) {
      case 0:
        return task.resolve(undefined);
      case 3:
        return task.reject(new ModuleLoadError(this.#url, revive(payload as Encoded)));
      case 4:
        return task.reject(
          new TypeError(
            `Task module ${this.#url} has no exported function '${task.name}'; its exported functions are: ${
              (payload as string[]).join(", ") || "(none)"
            }`,
          ),
        );
      case 5:
        return task.reject(
          new DOMException(
            `Cannot send the result of '${task.name}' back from the worker: ${payload}`,
            "DataCloneError",
          ),
        );
      default:
        task.reject(revive(payload as Encoded));
    }
  }

  /** Ends `slot`'s worker for good. */
  #kill(slot: Slot): void {
    const { worker, port } = slot;
    worker.onmessage = null;
    worker.onerror = null;
    worker.onmessageerror = null;
    port.onmessage = null;
    port.close();
    worker.terminate();
    this.#slots.delete(slot);
    const i = this.#idleSlots.indexOf(slot);
    if (i !== -1) this.#idleSlots.splice(i, 1);
  }

  #crash(slot: Slot, cause: unknown, closed?: boolean): void {
    const task = slot.task;
    if (task !== undefined) {
      // Only a live worker runs a task: end it, fail the task and start a new worker.
      this.#stop(
        task,
        new WorkerCrashed(
          closed
            ? `The worker running '${task.name}' called self.close()`
            : `The worker running '${task.name}' died: ${describe(cause)}`,
          task.name,
          closed ? undefined : { cause },
        ),
      );
    } else if (this.#slots.has(slot)) {
      // Died while idle: a new worker is started when one is next needed.
      this.#kill(slot);
      this.#checkIdle();
    }
  }

  /** Stops `task`: drops it from the queue, or terminates and replaces its worker. */
  #stop(task: Task, reason: unknown): void {
    if (task.state === QUEUED) {
      this.#settle(task);
      this.#queued--;
      task.reject(reason);
      this.#wakeRoom();
      this.#checkIdle();
    } else if (task.state === RUNNING) {
      const slot = task.slot!;
      slot.task = undefined;
      this.#running--;
      this.#settle(task);
      this.#kill(slot);
      task.reject(reason);
      this.#replace();
    }
  }

  /** Starts a worker in place of one that was ended, if there is or may be work for it. */
  #replace(): void {
    if (this.#terminated) return;
    if (this.#closed && this.#queued === 0) {
      this.#checkIdle();
      return;
    }
    this.#next(this.#spawn());
  }

  #wakeRoom(): void {
    if (this.#roomWaiters.size > 0 && this.#hasRoom()) wakeAll(this.#roomWaiters);
  }

  #checkIdle(): void {
    if (this.#running !== 0 || this.#queued !== 0) return;
    if (this.#idleWaiters.size > 0) wakeAll(this.#idleWaiters);
    if (this.#closing !== undefined) this.terminate(); // It does nothing once it has run.
  }

  /**
   * Runs the function `name` once per item of `items`, as `name(item)`, and yields the results in
   * input order (Python's `Executor.map`).
   *
   * At most `inFlight` tasks of this map are submitted and not yet yielded, so a slow consumer
   * holds back the input and memory stays bounded; with a finite `maxQueue`, the map waits for
   * room instead of failing with {@linkcode PoolFull}. If a task rejects, the iteration throws its
   * error; on an error, a `break` or `return()`, the tasks not started yet are dropped, running
   * ones finish unobserved and the input iterator is closed.
   *
   * @typeParam K The function's name.
   * @param name The name of an exported function of one parameter.
   * @param items Its arguments, one per task; sync or async iterable.
   * @param options The options; see {@linkcode WorkerMapOptions}.
   * @returns An async iterator of the results, in the order of `items`.
   * @throws {TypeError} If `name` is not a string, `items` not iterable, or an option has the
   * wrong type.
   * @throws {RangeError} If `inFlight` is not a positive integer or `timeout` is out of range.
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
   */
  map<K extends TaskName<M>>(
    name: K,
    items: Iterable<TaskArgs<M, K>[0]> | AsyncIterable<TaskArgs<M, K>[0]>,
    options?: WorkerMapOptions,
  ): AsyncGenerator<TaskResult<M, K>, void, undefined> {
    const what = "Cannot map on WorkerPool";
    if (typeof name !== "string") throw invalid(what, "name", "a string", name);
    iterable(what, items);
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    const timeout = timeoutOption(what, options?.timeout);
    const inFlight = options?.inFlight === undefined
      ? this.#size * 2
      : positiveInteger(what, "inFlight", options.inFlight);
    if (this.#closed) throw new PoolClosed(`Cannot map '${name}': the WorkerPool is closed`);
    const submit = async (item: unknown): Promise<Submitted<unknown>> => {
      if (!this.#hasRoom() && !this.#closed) {
        await waitFor(this.#roomWaiters, signal);
      }
      if (this.#closed) {
        return rejected(new PoolClosed(`Cannot run '${name}': the WorkerPool is closed`));
      }
      if (signal?.aborted) return rejected(signal.reason);
      return this.#submit(name, [item], signal, timeout);
    };
    return orderedMap(items, submit, inFlight) as AsyncGenerator<
      TaskResult<M, K>,
      void,
      undefined
    >;
  }

  /**
   * Waits until `run()` can accept a task without {@linkcode PoolFull}: fewer than `maxQueue`
   * tasks wait, or a worker is free. Resolves at once if it already can (always, with the default
   * `maxQueue` of `Infinity`). Use it for back-pressure: `await pool.ready(); pool.run(…)`. Every
   * waiter is woken when room appears, so with several producers one may still meet a full queue.
   *
   * Cancellation: `signal` and `timeout` stop the wait (rejecting with `signal.reason` or a
   * `TimeoutError` `DOMException`).
   *
   * @param options The options; see {@linkcode WorkerWaitOptions}.
   * @returns A promise that resolves when there is room; it rejects with {@linkcode PoolClosed}
   * if the pool is closed.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative or too large.
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
    const what = "Cannot wait on WorkerPool.ready()";
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    const timeout = timeoutOption(what, options?.timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new PoolClosed(`${what}: the WorkerPool is closed`));
    if (this.#hasRoom()) return Promise.resolve();
    return waitFor(this.#roomWaiters, signal, timeout, "WorkerPool.ready()").then(() => {
      if (this.#closed) throw new PoolClosed(`${what}: the WorkerPool is closed`);
    });
  }

  /**
   * Waits until no task runs or waits. Resolves at once if none does. Tasks submitted while
   * waiting are waited for too. The workers stay up.
   *
   * Cancellation: `signal` and `timeout` only stop the wait; the tasks go on.
   *
   * @param options The options; see {@linkcode WorkerWaitOptions}.
   * @returns A promise that resolves when the pool is idle.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative or too large.
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
    const what = "Cannot join WorkerPool";
    optionsObject(what, options);
    const signal = signalOption(what, options?.signal);
    const timeout = timeoutOption(what, options?.timeout);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#running === 0 && this.#queued === 0) return Promise.resolve();
    return waitFor(this.#idleWaiters, signal, timeout, "WorkerPool.join()");
  }

  /**
   * Refuses new tasks, lets every accepted task (running or queued) finish, then ends every
   * worker: Python's `shutdown(wait=True)`. Calling it again returns the same promise; calling
   * `terminate()` meanwhile ends everything at once and resolves it.
   *
   * @returns A promise that resolves when every task has settled and every worker has ended.
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
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#closing = Promise.withResolvers<void>();
      if (this.#terminated) this.#closing.resolve();
      else {
        wakeAll(this.#roomWaiters);
        this.#checkIdle();
      }
    }
    return this.#closing.promise;
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
    const running: Task[] = [];
    // #kill() deletes each slot from the set as the loop goes, which a Set's iteration allows.
    for (const slot of this.#slots) {
      if (slot.task !== undefined) running.push(slot.task);
      slot.task = undefined;
      this.#kill(slot);
    }
    const queued: Task[] = [];
    for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
      if (task.state === QUEUED) queued.push(task);
    }
    this.#running = 0;
    this.#queued = 0;
    URL.revokeObjectURL(this.#hostUrl);
    for (const task of running) {
      this.#settle(task);
      task.reject(new PoolClosed(`The WorkerPool was terminated while '${task.name}' was running`));
    }
    for (const task of queued) {
      this.#settle(task);
      task.reject(new PoolClosed(`The WorkerPool was terminated before '${task.name}' started`));
    }
    wakeAll(this.#roomWaiters);
    wakeAll(this.#idleWaiters);
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
