// Copyright 2025 the @effective/concurrency authors. MIT license.

/**
 * An Operation is a lazy piece of work that a task runs with `yield*`, and whose `yield*`
 * expression evaluates to a `T`. Generator objects, {@linkcode Task} handles and what
 * {@linkcode sleep}, {@linkcode spawn}, {@linkcode call}, {@linkcode all}, {@linkcode race} and
 * {@linkcode scoped} return are all operations. Those the functions return restart on each
 * `yield*` (a task handle answers with the same outcome); a generator object runs once, so
 * write operations as generator *functions* and call them for each use.
 *
 * What an operation yields to the scheduler is private: only `yield*` it from a task body run by
 * {@linkcode run} or {@linkcode spawn}. A plain `yield` (without the star) of an operation is a
 * mistake, and fails the task with a `TypeError`.
 *
 * @example Write your own operation as a generator function
 * ```ts
 * import { type Operation, run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * function* delayed<T>(ms: number, value: T): Operation<T> {
 *   yield* sleep(ms);
 *   return value;
 * }
 * assert.equal(await run(() => delayed(1, "hi")), "hi");
 * ```
 *
 * @typeParam T The value the operation evaluates to.
 */
export interface Operation<T> {
  /**
   * Starts the operation. Called by `yield*`; you do not call it yourself.
   *
   * @returns An iterator driven by the scheduler.
   */
  // deno-lint-ignore no-explicit-any
  [Symbol.iterator](): Iterator<unknown, T, any>;
}

/**
 * The value an {@linkcode Operation} evaluates to.
 *
 * @typeParam O An operation type.
 */
export type OperationResult<O> = O extends Operation<infer T> ? T : never;
