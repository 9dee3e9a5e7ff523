// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation, OperationResult } from "./operation.ts";
import type { Task } from "./task.ts";
import { claimOperations, toOperations } from "./_iterate.ts";
import { SpawnInstruction } from "./_operations.ts";
import { spawn } from "./spawn.ts";

/**
 * Runs `operations` concurrently (each as a child task of a nested scope) and evaluates to all
 * their results, in the order given, like `Promise.all`. Tasks can be passed too: `all([a, b])`
 * joins them.
 *
 * If one fails, the others are cancelled (newest first, their `finally` blocks run) and `all`
 * throws that error into the current task, where it can be caught; errors the others throw while
 * being cancelled are kept with it in an `AggregateError`. The same generator object may not be
 * given twice, and an `all` holding generator objects may be entered (`yield*`) once: a
 * generator runs once. Pass tasks or reusable operations to enter it again.
 *
 * **Cancellation**: if the current task is cancelled while waiting, all the operations are
 * cancelled first (newest first, one after another), then the current task's `finally` blocks
 * run.
 *
 * @example Wait for several operations
 * ```ts
 * import { all, call, run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const results = await run(function* () {
 *   return yield* all([
 *     call(Promise.resolve("a")),
 *     (function* () {
 *       yield* sleep(1);
 *       return 2;
 *     })(),
 *   ]);
 * });
 * assert.deepEqual(results, ["a", 2]);
 * ```
 *
 * @typeParam T The operations' tuple (or array) type.
 * @param operations The operations (or tasks) to run.
 * @returns An operation evaluating to the array of results.
 * @throws {TypeError} If `operations` is not an iterable of operations.
 */
export function all<const T extends readonly Operation<unknown>[]>(
  operations: T,
): Operation<{ -readonly [K in keyof T]: OperationResult<T[K]> }> {
  const ops = toOperations(operations, "all");
  return new AllOp(ops) as unknown as Operation<
    { -readonly [K in keyof T]: OperationResult<T[K]> }
  >;
}

class AllOp implements Operation<unknown[]> {
  #ops: Operation<unknown>[];
  constructor(ops: Operation<unknown>[]) {
    this.#ops = ops;
  }
  *[Symbol.iterator](): Generator<unknown, unknown[], unknown> {
    const ops = this.#ops;
    if (ops.length === 0) return [];
    claimOperations(ops, "all()");
    return (yield new SpawnInstruction(
      function* () {
        const tasks: Task<unknown>[] = [];
        for (const op of ops) tasks.push(yield* spawn(() => op));
        const results = new Array(tasks.length);
        for (let i = 0; i < tasks.length; i++) results[i] = yield* tasks[i] as Task<unknown>;
        return results;
      },
      true,
      "all()",
    )) as unknown[];
  }
}
