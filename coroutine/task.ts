// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";

/**
 * A Task is the handle to a child task started with {@linkcode spawn}. It is itself an
 * {@linkcode Operation}: `yield* task` (or `yield* task.join()`) waits for it and evaluates to
 * its return value.
 *
 * A task never outlives its parent: when the parent finishes, fails or is cancelled, the task
 * is cancelled. If the task throws, its parent fails with that error (and the task's siblings are
 * cancelled) whether or not anyone joins it; to catch a child's failure, run it inside
 * {@linkcode scoped}, {@linkcode all} or {@linkcode race}.
 *
 * @example Spawn, then join
 * ```ts
 * import { run, sleep, spawn } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const total = await run(function* () {
 *   const a = yield* spawn(function* () {
 *     yield* sleep(2);
 *     return 1;
 *   });
 *   const b = yield* spawn(function* () {
 *     yield* sleep(1);
 *     return 2;
 *   });
 *   return (yield* a) + (yield* b.join());
 * });
 * assert.equal(total, 3);
 * ```
 *
 * @typeParam T The value the task returns.
 */
export interface Task<T> extends Operation<T>, PromiseLike<T> {
  /**
   * Waits for the task to finish; the same as `yield* task`.
   *
   * Any number of tasks may join the same task; they resume in the order they started waiting.
   *
   * **Cancellation**: if the joining task is cancelled while waiting, it stops waiting at once (in
   * O(1), however many others wait); the joined task runs on.
   *
   * @example Join a task
   * ```ts
   * import { run, spawn } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const value = await run(function* () {
   *   const task = yield* spawn(function* () {
   *     return "done";
   *   });
   *   return yield* task.join();
   * });
   * assert.equal(value, "done");
   * ```
   *
   * @returns An operation evaluating to the task's return value. It throws the task's error if
   * the task failed, or, if the task was cancelled, the cancellation's error: a `DOMException`
   * named `"AbortError"`, or the reason it was cancelled with (the `signal.reason` or
   * `TimeoutError` of a `run` that was aborted or timed out). It throws a `TypeError` if a task
   * tries to join itself or one of its parents.
   */
  join(): Operation<T>;
  /**
   * Cancels the task: its children are cancelled first (newest first, one after another), then
   * a `DOMException` named `"AbortError"` is thrown into its body at the `yield*` it is paused
   * at, so its `finally` blocks run (and may pause) and no other code of it runs. Cancelling
   * starts at once, when `cancel()` is called; `yield*` the returned operation to wait until the
   * task's `finally` blocks have finished. Does nothing to a task that already finished or is
   * already being cancelled: a started cleanup runs to its end.
   *
   * Cancelling leaves no timer behind: a cancelled `sleep` clears its timer, and a cancelled
   * `call` aborts the `AbortSignal` it passed to its function.
   *
   * @example Cancel a sleeping task
   * ```ts
   * import { run, sleep, spawn } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const log: string[] = [];
   * await run(function* () {
   *   const task = yield* spawn(function* () {
   *     try {
   *       yield* sleep(60_000);
   *     } finally {
   *       log.push("cleaned up");
   *     }
   *   });
   *   yield* sleep(0);
   *   yield* task.cancel();
   *   log.push("after cancel");
   * });
   * assert.deepEqual(log, ["cleaned up", "after cancel"]);
   * ```
   *
   * @returns An operation that completes once the task has finished (it never throws: a failure
   * while cancelling fails the task's parent instead).
   */
  cancel(): Operation<void>;
  /**
   * Lets `async` code await the task: `await task` fulfils with its return value, or rejects
   * with its error (or, if it was cancelled, the cancellation's reason or a `DOMException` named
   * `"AbortError"`). Awaiting does not change the task: a failure still fails its parent.
   *
   * @example Await a task from async code
   * ```ts
   * import { call, run, sleep, spawn, type Task } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const answer = await run(function* () {
   *   const task: Task<number> = yield* spawn(function* () {
   *     yield* sleep(1);
   *     return 42;
   *   });
   *   // Hand the task to promise-based code:
   *   return yield* call(async () => (await task) + 0);
   * });
   * assert.equal(answer, 42);
   * ```
   *
   * @typeParam R1 What the fulfilment handler returns.
   * @typeParam R2 What the rejection handler returns.
   * @param onfulfilled Called with the task's return value.
   * @param onrejected Called with the task's error or cancellation reason.
   * @returns A promise, as `Promise.prototype.then` returns.
   */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // deno-lint-ignore no-explicit-any
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>;
}
