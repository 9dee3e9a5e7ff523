/**
 * The errors of {@linkcode RedisPool}. Errors thrown by a task itself are rebuilt on the calling side
 * with the same `name`, `message`, `cause` and the remote `stack`, so they are not listed here.
 *
 * @module
 */

/**
 * `PoolClosed` is the error of a task refused or dropped because its pool was closed: for a
 * {@linkcode RedisPool}, `run()` after `close()` or `terminate()`, and every task still unsettled
 * when `terminate()` is called. It is `WorkerPool`'s own class, so code that catches it keeps
 * working when its pool moves from one machine to many.
 *
 * @example Running on a closed pool
 * ```ts
 * import { PoolClosed } from "@effective/concurrency-redis";
 * import { PoolClosed as WorkerPoolClosed } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PoolClosed, WorkerPoolClosed);
 * ```
 */
export { PoolClosed } from "@effective/concurrency/pool";

/**
 * `RedisUnavailable` is the error of a {@linkcode RedisPool} (or `serve()`) that could not reach
 * Redis within `connectTimeout` when it started: the host does not answer, refuses, or rejects the
 * password. The `cause` is the driver's last error, when there was one. Once connected, a pool
 * rides out Redis restarts instead (its calls wait for the reconnection).
 *
 * @example Inspecting the error
 * ```ts
 * import { RedisUnavailable } from "@effective/concurrency-redis";
 * import assert from "node:assert/strict";
 *
 * const error = new RedisUnavailable("Cannot reach Redis at redis://127.0.0.1:1", {
 *   cause: new Error("connect ECONNREFUSED 127.0.0.1:1"),
 * });
 * assert.equal(error.name, "RedisUnavailable");
 * ```
 */
export class RedisUnavailable extends Error {
  /**
   * Makes the error.
   *
   * @param message Which Redis, and for how long it was tried.
   * @param options The standard error options (`cause`: the driver's last error).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RedisUnavailable";
  }
}

/**
 * `TaskLost` is the error of a task that BullMQ gave up on: its worker process died (or lost its
 * lock) while running it more often than the worker's `maxStalledCount` allows, so it was not run
 * again. The message is BullMQ's reason.
 *
 * @example Inspecting the error
 * ```ts
 * import { TaskLost } from "@effective/concurrency-redis";
 * import assert from "node:assert/strict";
 *
 * const error = new TaskLost("Task 'gcd' was lost: job stalled more than allowable limit", "gcd");
 * assert.equal(error.task, "gcd");
 * ```
 */
export class TaskLost extends Error {
  /** The name of the task's function. */
  readonly task: string;

  /**
   * Makes the error.
   *
   * @param message What happened.
   * @param task The name of the task's function.
   */
  constructor(message: string, task: string) {
    super(message);
    this.name = "TaskLost";
    this.task = task;
  }
}
