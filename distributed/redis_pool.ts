import { type ConnectionOptions, type JobsOptions, Queue, QueueEvents } from "bullmq";
import {
  armWait,
  beginWait,
  checkInteger,
  checkSignal,
  checkTimeout,
  invalid,
  MAX_TIMEOUT,
  readOptions,
  readWait,
  withResolvers,
} from "./_options.ts";
import { decodeError, notJson, type Outcome, type TaskData } from "./_codec.ts";
import { connected, parseRedisUrl } from "./_connection.ts";
import { PoolClosed, TaskLost } from "./errors.ts";
import { orderedMap } from "./_ordered_map.ts";

/** The one stream command read from BullMQ's client (ioredis's signature). */
interface StreamClient {
  xrevrange(
    key: string | undefined,
    end: string,
    start: string,
    count: "COUNT",
    n: number,
  ): Promise<[id: string, fields: string[]][]>;
}

/**
 * The shape of a task module when its type is not given: any exported function, any arguments,
 * any result. Pass `typeof import("./tasks.ts")` as the type parameter of {@linkcode RedisPool}
 * to have names, arguments and results checked.
 */
// deno-lint-ignore no-explicit-any
export type AnyTaskModule = Record<string, (...args: any[]) => any>;

/** The names of the functions a task module `M` exports. */
export type TaskName<M> =
  // deno-lint-ignore no-explicit-any
  & { [K in keyof M]: M[K] extends (...args: any[]) => unknown ? K : never }[keyof M]
  & string;

/** The parameters of the function `K` of task module `M`. */
export type TaskArgs<M, K extends keyof M> = M[K] extends (...args: infer A) => unknown ? A
  : never;

/** What `RedisPool.run()` resolves with for the function `K` of `M` (awaited). */
// deno-lint-ignore no-explicit-any
export type TaskResult<M, K extends keyof M> = M[K] extends (...args: any[]) => infer R ? Awaited<R>
  : never;

/** The queue name used when none is given, by both {@linkcode RedisPool} and `serve()`. */
export const DEFAULT_QUEUE = "effective-concurrency";

/** Options for {@linkcode RedisPool}. */
export interface RedisPoolOptions {
  /**
   * The BullMQ queue the tasks go through; workers started with the same name run them. Use one
   * name per task module.
   *
   * @default {"effective-concurrency"}
   */
  queue?: string;
  /**
   * How long the first connection to Redis may take, in ms. If Redis cannot be reached by then,
   * every call rejects with {@linkcode RedisUnavailable}. Later outages (a restart) are waited out.
   *
   * @default {10000}
   */
  connectTimeout?: number;
}

/** Options for {@linkcode RedisPool.prototype.run}. */
export interface RedisRunOptions {
  /**
   * Cancels the task. A task still waiting in Redis is removed and never runs; for a running one
   * the caller stops waiting (the remote task runs to its end and its result is dropped). The
   * promise rejects with `signal.reason`.
   */
  signal?: AbortSignal;
  /**
   * Gives up on the task after this many ms, counted from the call (time spent waiting for a
   * worker counts: across machines, that wait is the unknown one). It then behaves as an abort
   * and rejects with a `TimeoutError` `DOMException`. `Infinity` means no limit.
   */
  timeout?: number;
}

/** Options for {@linkcode RedisPool.prototype.map}. */
export interface RedisMapOptions {
  /** Cancels every task of the map, as {@linkcode RedisRunOptions.signal} does for one. */
  signal?: AbortSignal;
  /** A time limit for each task, as {@linkcode RedisRunOptions.timeout}. */
  timeout?: number;
  /**
   * How many tasks of this map may be submitted but not yet yielded: enough to keep every remote
   * worker busy, few enough to bound memory.
   *
   * @default {64}
   */
  inFlight?: number;
}

/** Options for {@linkcode RedisPool.prototype.join}. */
export interface RedisWaitOptions {
  /** Stops waiting: the call rejects with `signal.reason`. The tasks are not affected. */
  signal?: AbortSignal;
  /** Stops waiting after this many ms with a `TimeoutError` `DOMException`. */
  timeout?: number;
}

const QUEUED = 0;
const RUNNING = 1;

interface Task {
  id: string;
  name: string;
  state: number;
  /** Set once Redis has the job (its add resolved). */
  accepted: boolean;
  /** Settles when the add has been answered (either way). */
  added: Promise<void>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  disarm: () => void;
}

// Finished jobs stay in Redis an hour (so a caller that reconnects after an outage still finds its
// results), then BullMQ deletes them.
const JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 3600 },
};

/**
 * `RedisPool` runs the exported functions of a task module on worker processes anywhere, through
 * Redis and BullMQ: the distributed twin of `WorkerPool`, with the same surface (`run`, an
 * ordered `map`, `join`, `close`, `terminate`, `await using`, counts). Start workers with the
 * command in this package's README (or {@linkcode serve}) on as many machines as you like.
 *
 * Arguments and results are JSON values (BullMQ stores them as JSON); anything else is refused
 * with a `TypeError` naming the part. Errors thrown by a task arrive with their `name`,
 * `message`, `cause`, own fields and remote `stack`.
 *
 * Delivery is at-least-once: a task whose worker process dies is run again on another one, and
 * the caller gets exactly one result. Write task functions so that running one twice is harmless.
 *
 * @typeParam M The task module's type, `typeof import("./tasks.ts")`, to check names and types.
 *
 * @example Fan a batch out to the workers
 * ```ts ignore
 * import { RedisPool } from "@effective/concurrency-redis";
 *
 * await using pool = new RedisPool<typeof import("./tasks.ts")>("redis://127.0.0.1:6379");
 * for await (const g of pool.map("gcd", [[12, 18], [35, 49]])) console.log(g); // 6, 7
 * ```
 */
export class RedisPool<M extends object = AnyTaskModule> {
  #url: string;
  #name: string;
  #queue: Queue;
  #events: QueueEvents | undefined;
  #ready: Promise<void>;
  #tasks = new Map<string, Task>();
  /** Adds and removals in flight: `close()` waits for them before closing the connections. */
  #ops = new Set<Promise<void>>();
  #queued = 0;
  #running = 0;
  #idleWaiters = new Set<() => void>();
  #closed = false;
  #closing: Promise<void> | undefined;

  /**
   * Connects to Redis (in the background; the first calls wait for it).
   *
   * @param url Redis's URL: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS.
   * @param options The options; see {@linkcode RedisPoolOptions}.
   * @throws {TypeError} If `url` is not a redis URL or an option has the wrong type.
   * @throws {RangeError} If `connectTimeout` is out of range.
   */
  constructor(url: string | URL, options?: RedisPoolOptions) {
    const call = "new RedisPool()";
    const { queue, connectTimeout } = readOptions(call, options);
    const connection = parseRedisUrl(call, "url", url);
    const name = queueName(call, queue);
    // Infinity (no limit) becomes the longest timer there is.
    const limit = connectTimeout === undefined
      ? 10_000
      : checkTimeout(call, "connectTimeout", connectTimeout) ?? MAX_TIMEOUT;
    this.#url = connection.shown;
    this.#name = name;
    this.#queue = new Queue(name, { connection: connection.options });
    // Without a listener, an `error` event (Redis restarting) would be thrown.
    this.#queue.on("error", () => {});
    this.#ready = connected(this.#queue, this.#url, limit).then(() =>
      this.#listen(connection.options)
    );
    this.#ready.catch(() => {});
  }

  // Subscribes to the queue's events from the stream's current end: a QueueEvents left to
  // start at '$' by itself could miss the events of jobs finished before its first read.
  async #listen(options: ConnectionOptions): Promise<void> {
    // BullMQ types its client as a Redis-or-Cluster union that lacks the stream commands.
    const client = await this.#queue.client as unknown as StreamClient;
    const last = await client.xrevrange(this.#queue.keys.events, "+", "-", "COUNT", 1);
    const events = new QueueEvents(this.#name, {
      connection: options,
      lastEventId: last[0]?.[0] ?? "0-0",
    });
    this.#events = events;
    events.on("error", () => {});
    events.on("active", ({ jobId }) => this.#onActive(jobId));
    events.on("stalled", ({ jobId }) => this.#onStalled(jobId));
    events.on("completed", ({ jobId, returnvalue }) => {
      this.#onOutcome(jobId, returnvalue as unknown as Outcome);
    });
    events.on("failed", ({ jobId, failedReason }) => this.#onFailed(jobId, failedReason));
    await events.waitUntilReady();
    // After Redis comes back, look up every task whose events may have been missed while the
    // connection was down: a finished job settles its task; a job Redis no longer has
    // (restarted without persistence) fails it with TaskLost instead of leaving it waiting.
    (await events.client).on("ready", () => {
      if (this.#tasks.size > 0) this.#track(this.#reconcile());
    });
  }

  /** The Redis URL (without the password). */
  get url(): string {
    return this.#url;
  }

  /** The BullMQ queue's name. */
  get queue(): string {
    return this.#name;
  }

  /** How many of this pool's tasks a worker has started and not finished. */
  get running(): number {
    return this.#running;
  }

  /** How many of this pool's tasks wait: being sent to Redis, or in Redis not yet started. */
  get queued(): number {
    return this.#queued;
  }

  /** Whether `close()` or `terminate()` was called: new tasks are refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs the task module's function `name` with `args` on some worker process and resolves with
   * what it returned (Python's `executor.submit(fn, *args).result()`).
   *
   * **Cancellation**: `signal` and `timeout` remove the task from Redis if no worker has started
   * it (it never runs), or else stop waiting for it; the promise rejects at once with
   * `signal.reason` or a `TimeoutError`. A running remote task cannot be stopped from the caller:
   * it runs to its end on its worker and its result is dropped.
   *
   * @typeParam K The function's name.
   * @param name The name of an exported function of the task module.
   * @param args Its arguments: JSON values.
   * @param options The options; see {@linkcode RedisRunOptions}.
   * @returns What the function returned or resolved to. It rejects with the task's own error
   * (rebuilt: name, message, cause, remote stack); `signal.reason`; a `TimeoutError`;
   * {@linkcode PoolClosed}; {@linkcode RedisUnavailable} if Redis could not be reached at the
   * start; {@linkcode TaskLost} if BullMQ gave up after the task's workers died; a `TypeError`
   * for an unknown function, a bad argument, or arguments that are not JSON; `ModuleLoadError`
   * if the workers cannot load the task module.
   */
  run<K extends TaskName<M>>(
    name: K,
    args: TaskArgs<M, K>,
    options?: RedisRunOptions,
  ): Promise<TaskResult<M, K>> {
    const call = "RedisPool.run()";
    let wait;
    try {
      if (typeof name !== "string" || name === "") {
        throw invalid(call, "name", "a non-empty string", name);
      }
      if (!Array.isArray(args)) throw invalid(call, "args", "an array", args);
      wait = readWait(call, options);
      const bad = notJson(args, "args");
      if (bad !== undefined) {
        throw new TypeError(`${call}: 'args' must hold only JSON values; ${bad} is not`);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closed) {
      return Promise.reject(new PoolClosed(`Cannot run '${name}': the RedisPool is closed`));
    }
    if (wait.signal?.aborted) return Promise.reject(wait.signal.reason);
    return this.#submit(name, args, wait.signal, wait.timeout) as Promise<TaskResult<M, K>>;
  }

  #submit(
    name: string,
    args: unknown[],
    signal: AbortSignal | undefined,
    timeout: number | undefined,
  ): Promise<unknown> {
    const { promise, resolve, reject } = withResolvers<unknown>();
    const task: Task = {
      id: crypto.randomUUID(),
      name,
      state: QUEUED,
      accepted: false,
      added: Promise.resolve(),
      resolve,
      reject,
      disarm: () => {},
    };
    this.#tasks.set(task.id, task);
    this.#queued++;
    const data: TaskData = { args };
    // Our own job id makes the add idempotent: ioredis resends it after a reconnection, and
    // BullMQ ignores a second add of the same id.
    // A task given up before Redis was reached is never sent: no worker can pick it up before
    // its removal arrives.
    const added = task.added = this.#ready.then(async () => {
      if (this.#tasks.get(task.id) !== task) return;
      await this.#queue.add(name, data, { ...JOB_OPTIONS, jobId: task.id });
    }).then(
      () => {
        task.accepted = true;
      },
      (error) => this.#settle(task, false, error),
    );
    this.#track(added);
    task.disarm = armWait(`RedisPool.run('${name}')`, { signal, timeout }, (reason) => {
      this.#settle(task, false, reason);
      this.#remove(task);
    });
    return promise;
  }

  // Removes a given-up task's job if it still waits (a started job is locked: then nothing).
  // A task Redis never accepted has no job; and asking a queue that never connected (closed by
  // connected()) would never answer, leaving close() and join() waiting for ever.
  #remove(task: Task): void {
    this.#track(
      task.added.then(() => task.accepted ? this.#queue.remove(task.id) : 0).then(
        () => {},
        () => {},
      ),
    );
  }

  #track(op: Promise<void>): void {
    this.#ops.add(op);
    op.finally(() => {
      this.#ops.delete(op);
      this.#checkIdle();
    });
  }

  #onActive(id: string): void {
    const task = this.#tasks.get(id);
    if (task === undefined || task.state !== QUEUED) return;
    task.state = RUNNING;
    this.#queued--;
    this.#running++;
  }

  // Its worker died: BullMQ puts it back in the queue (or fails it, reported by "failed").
  #onStalled(id: string): void {
    const task = this.#tasks.get(id);
    if (task === undefined || task.state !== RUNNING) return;
    task.state = QUEUED;
    this.#running--;
    this.#queued++;
  }

  #onOutcome(id: string, outcome: Outcome | null | undefined): void {
    const task = this.#tasks.get(id);
    if (task === undefined) return;
    if (outcome !== null && typeof outcome === "object" && "error" in outcome) {
      this.#settle(task, false, decodeError(outcome.error));
    } else this.#settle(task, true, outcome?.value);
  }

  #onFailed(id: string, reason: string): void {
    const task = this.#tasks.get(id);
    if (task === undefined) return;
    this.#settle(task, false, new TaskLost(`Task '${task.name}' was lost: ${reason}`, task.name));
  }

  #settle(task: Task, ok: boolean, value: unknown): void {
    if (this.#tasks.get(task.id) !== task) return;
    this.#tasks.delete(task.id);
    if (task.state === QUEUED) this.#queued--;
    else this.#running--;
    task.disarm();
    if (ok) task.resolve(value);
    else task.reject(value);
    this.#checkIdle();
  }

  async #reconcile(): Promise<void> {
    for (const task of [...this.#tasks.values()]) {
      if (!task.accepted) continue;
      try {
        const job = await this.#queue.getJob(task.id);
        if (job === undefined || job === null) {
          this.#settle(
            task,
            false,
            new TaskLost(
              `Task '${task.name}' was lost: Redis no longer has it (restarted without persistence?)`,
              task.name,
            ),
          );
        } else if (job.finishedOn !== undefined) {
          if (job.failedReason) this.#onFailed(task.id, job.failedReason);
          else this.#onOutcome(task.id, job.returnvalue as Outcome);
        }
      } catch {
        return; // Disconnected again: the next `ready` runs this again.
      }
    }
  }

  /**
   * Runs the function `name` once per item of `items`, as `name(item)`, and yields the results in
   * input order (Python's `Executor.map`).
   *
   * At most `inFlight` tasks of this map are submitted and not yet yielded, so a slow consumer
   * holds back the input and memory stays bounded. If a task rejects, the iteration throws its
   * error; on an error, a `break` or `return()`, the map's tasks still waiting in Redis are
   * removed, running ones finish unobserved, and the input iterator is closed.
   *
   * **Cancellation**: `signal` aborts every task of the map as in `run()`, and the iteration
   * throws `signal.reason`.
   *
   * @typeParam K The function's name.
   * @param name The name of an exported function of one parameter.
   * @param items Its arguments, one per task; sync or async iterable.
   * @param options The options; see {@linkcode RedisMapOptions}.
   * @returns An async iterator of the results, in the order of `items`.
   * @throws {TypeError} If `name` is not a string, `items` not iterable, or an option has the
   * wrong type.
   * @throws {RangeError} If `inFlight` is not a positive integer or `timeout` is out of range.
   * @throws {PoolClosed} If the pool is closed.
   */
  map<K extends TaskName<M>>(
    name: K,
    items: Iterable<TaskArgs<M, K>[0]> | AsyncIterable<TaskArgs<M, K>[0]>,
    options?: RedisMapOptions,
  ): AsyncGenerator<TaskResult<M, K>, void, undefined> {
    const call = "RedisPool.map()";
    if (typeof name !== "string" || name === "") {
      throw invalid(call, "name", "a non-empty string", name);
    }
    if (
      items === null || typeof items !== "object" && typeof items !== "string" ||
      !(Symbol.iterator in Object(items) || Symbol.asyncIterator in Object(items))
    ) {
      throw invalid(call, "items", "an iterable or async iterable", items);
    }
    const { signal, timeout, inFlight } = readOptions(call, options);
    const userSignal = checkSignal(call, "signal", signal);
    const limit = checkTimeout(call, "timeout", timeout);
    const window = inFlight === undefined ? 64 : checkInteger(call, "inFlight", inFlight, 1, 1e6);
    if (this.#closed) throw new PoolClosed(`Cannot map '${name}': the RedisPool is closed`);
    return orderedMap(items, window, userSignal, (item, stop) => {
      if (this.#closed) {
        return Promise.reject(new PoolClosed(`Cannot run '${name}': the RedisPool is closed`));
      }
      const bad = notJson(item, "item");
      if (bad !== undefined) {
        return Promise.reject(
          new TypeError(`${call}: 'items' must hold only JSON values; ${bad} is not`),
        );
      }
      return this.#submit(name, [item], stop, limit);
    }) as AsyncGenerator<TaskResult<M, K>, void, undefined>;
  }

  /**
   * Waits until none of this pool's tasks is unsettled (and every removal has reached Redis).
   * Resolves at once if so. Tasks submitted while waiting are waited for too.
   *
   * **Cancellation**: `signal` and `timeout` only stop the wait; the tasks go on.
   *
   * @param options The options; see {@linkcode RedisWaitOptions}.
   * @returns A promise that resolves when the pool is idle.
   */
  join(options?: RedisWaitOptions): Promise<void> {
    const call = "RedisPool.join()";
    const wait = beginWait(call, options);
    if (wait instanceof Promise) return wait;
    if (this.#idle()) return Promise.resolve();
    const { promise, resolve, reject } = withResolvers<void>();
    const waiter = () => {
      disarm();
      resolve();
    };
    const disarm = armWait(call, wait, (reason) => {
      this.#idleWaiters.delete(waiter);
      reject(reason);
    });
    this.#idleWaiters.add(waiter);
    return promise;
  }

  #idle(): boolean {
    return this.#tasks.size === 0 && this.#ops.size === 0;
  }

  #checkIdle(): void {
    if (!this.#idle() || this.#idleWaiters.size === 0) return;
    const waiters = [...this.#idleWaiters];
    this.#idleWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  /**
   * Refuses new tasks, waits until every accepted task has settled, then closes the connections
   * to Redis: Python's `shutdown(wait=True)`. The workers are not affected (they serve other
   * callers too). Calling it again returns the same promise.
   *
   * @returns A promise that resolves when every task has settled and no connection is left.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.join().then(() => this.#disconnect(false));
    return this.#closing;
  }

  /**
   * Gives up on every task now: each unsettled task rejects with {@linkcode PoolClosed}, the
   * ones still waiting in Redis are removed (if Redis is reachable), new tasks are refused, and
   * the connections are closed. Running remote tasks finish on their workers, unobserved.
   *
   * @returns A promise that resolves when no connection is left.
   */
  terminate(): Promise<void> {
    this.#closed = true;
    for (const task of [...this.#tasks.values()]) {
      this.#settle(task, false, new PoolClosed(`Task '${task.name}' was dropped: terminated`));
      this.#remove(task);
    }
    const closing = this.#closing;
    const force = this.#disconnect(true);
    this.#closing = closing === undefined ? force : Promise.all([closing, force]).then(() => {});
    return this.#closing;
  }

  async #disconnect(force: boolean): Promise<void> {
    const up = await this.#ready.then(() => true, () => false);
    if (!up) {
      // connected() closed the queue, unless what failed came after it.
      await Promise.allSettled([this.#events?.close(), this.#queue.close()]);
      return;
    }
    const events = this.#events;
    if (force && (await this.#queue.client).status !== "ready") {
      // Redis is away: drop the commands waiting for it instead of waiting with them.
      await Promise.allSettled([this.#queue.disconnect(), events?.disconnect()]);
    } else if (force) await Promise.allSettled([...this.#ops]);
    await Promise.allSettled([events?.close(), this.#queue.close()]);
  }

  /** `await using pool = new RedisPool(…)` closes it (waiting for its tasks) at scope end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function queueName(call: string, value: unknown): string {
  if (value === undefined) return DEFAULT_QUEUE;
  if (typeof value !== "string" || !/^[\w.-]{1,100}$/.test(value)) {
    throw invalid(call, "queue", "a name of 1 to 100 letters, digits, '_', '.' or '-'", value);
  }
  return value;
}
