/**
 * The errors the pools reject with. Errors thrown by a task itself are rebuilt on the calling side
 * with the same `name`, `message`, `cause` and the worker-side `stack`, so they are not listed here.
 *
 * @module
 */

import { describe } from "./_helpers.ts";

/**
 * `PoolClosed` is the error of a task refused or dropped because its pool was closed: `run()` after
 * `close()` or `terminate()`, every task not started yet when `close({ cancelPending: true })` is
 * called, and every task still queued or running when `terminate()` is called (for `AsyncPool`, a
 * running task's `signal` is aborted with one).
 *
 * @example Running on a closed pool
 * ```ts
 * import { AsyncPool, PoolClosed } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * const pool = new AsyncPool({ concurrency: 2 });
 * await pool.close();
 * await assert.rejects(pool.run(() => 1), PoolClosed);
 * ```
 */
export class PoolClosed extends Error {
  /**
   * Makes the error.
   *
   * @param message What was refused and why.
   * @param options The standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PoolClosed";
  }
}

/**
 * `PoolFull` is the error of `WorkerPool.run()` when every worker is busy and `maxQueue` tasks
 * already wait. The refused task was not accepted: retry it later, or wait with
 * `WorkerPool.ready()` first.
 *
 * @example Refused when the queue is full
 * ```ts
 * import { PoolFull } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * const error = new PoolFull("Cannot run 'gcd': the queue is full (maxQueue 0)", "gcd");
 * assert.equal(error.name, "PoolFull");
 * assert.equal(error.task, "gcd");
 * ```
 */
export class PoolFull extends Error {
  /** The name of the refused task's function. */
  readonly task: string;

  /**
   * Makes the error.
   *
   * @param message What was refused and why.
   * @param task The name of the refused task's function.
   */
  constructor(message: string, task: string) {
    super(message);
    this.name = "PoolFull";
    this.task = task;
  }
}

/**
 * `WorkerCrashed` is the error of a task whose worker died under it: an uncaught error or an
 * unhandled rejection in the worker (the `cause`), the task calling `Deno.exit(code)` or
 * `process.exit(code)` (the `exitCode`), or `self.close()`. Only the task that was running on that
 * worker fails; the pool starts a new worker and goes on (Python's `BrokenProcessPool`, piscina's
 * "worker exited with code").
 *
 * @example Inspecting a crash
 * ```ts
 * import { WorkerCrashed } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * const error = new WorkerCrashed("The worker died while running 'work'", "work", {
 *   cause: new Error("boom"),
 * });
 * assert.equal(error.task, "work");
 * assert.equal((error.cause as Error).message, "boom");
 * ```
 */
export class WorkerCrashed extends Error {
  /** The name of the function that was running. */
  readonly task: string;
  /** The code the worker exited with, if it called `Deno.exit()` or `process.exit()`. */
  readonly exitCode: number | undefined;

  /**
   * Makes the error.
   *
   * @param message What died and why.
   * @param task The name of the function that was running.
   * @param options The standard error options (`cause`: the uncaught error, if any), and the
   * `exitCode`.
   */
  constructor(message: string, task: string, options?: ErrorOptions & { exitCode?: number }) {
    super(message, options);
    this.name = "WorkerCrashed";
    this.task = task;
    this.exitCode = options?.exitCode;
  }
}

/**
 * `ModuleLoadError` is the error of every task of a `WorkerPool` whose task module failed to load
 * in the worker (not found, a syntax error, an error thrown at the top level, a top-level `await`
 * that outlasts `loadTimeout`, …) or whose `initializer` failed. The message names the URL (and the
 * initializer); `cause` is the error the import or the initializer failed with.
 *
 * @example Inspecting a load failure
 * ```ts
 * import { ModuleLoadError } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * const error = new ModuleLoadError("file:///missing.ts", new TypeError("Module not found"));
 * assert.equal(error.url, "file:///missing.ts");
 * assert.match(error.message, /file:\/\/\/missing\.ts.*Module not found/);
 * ```
 */
export class ModuleLoadError extends Error {
  /** The absolute URL of the task module. */
  readonly url: string;
  /** The name of the initializer, if it is what failed. */
  readonly initializer: string | undefined;

  /**
   * Makes the error.
   *
   * @param url The absolute URL of the task module.
   * @param cause The error the import (or the initializer) failed with.
   * @param initializer The name of the initializer, if it is what failed.
   */
  constructor(url: string, cause: unknown, initializer?: string) {
    super(
      initializer === undefined
        ? `Cannot load task module ${url}: ${describe(cause)}`
        : `Cannot load task module ${url}: its initializer '${initializer}' failed: ${
          describe(cause)
        }`,
      { cause },
    );
    this.name = "ModuleLoadError";
    this.url = url;
    this.initializer = initializer;
  }
}
