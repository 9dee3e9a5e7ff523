// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation, OperationResult } from "./operation.ts";
import { FirstOf } from "./_first_of.ts";
import { SpawnInstruction } from "./_operations.ts";
import type { TaskImpl } from "./_task.ts";
import { claimOperations, toOperations } from "./_iterate.ts";
import { invalid } from "./_options.ts";
import { spawn } from "./spawn.ts";

/**
 * Runs `operations` concurrently (each as a child task of a nested scope) and evaluates to the
 * result of the first to finish, like `Promise.race`; the others are cancelled, and their
 * `finally` blocks have run by the time `race` returns. If the first to finish throws, `race`
 * throws that error (the others are cancelled too). Ties go to the operation that finished
 * first in the scheduler's run order, which is the same every run: once one has finished, the
 * others are cancelled at once, even those already queued to run in the same turn.
 *
 * **Cancellation**: if the current task is cancelled while waiting, all the operations are
 * cancelled first, then the current task's `finally` blocks run.
 *
 * @example A timeout
 * ```ts
 * import { call, race, run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const winner = await run(function* () {
 *   return yield* race([
 *     (function* () {
 *       yield* sleep(60_000);
 *       return "slow";
 *     })(),
 *     (function* () {
 *       yield* sleep(1);
 *       return "fast";
 *     })(),
 *   ]);
 * });
 * assert.equal(winner, "fast");
 * ```
 *
 * @typeParam T The operations' tuple (or array) type.
 * @param operations The operations (or tasks) to race; at least one.
 * @returns An operation evaluating to the winner's result.
 * @throws {TypeError} If `operations` is not an iterable of operations.
 * @throws {RangeError} If `operations` is empty (the race could never finish).
 */
export function race<const T extends readonly Operation<unknown>[]>(
  operations: T,
): Operation<OperationResult<T[number]>> {
  const ops = toOperations(operations, "race");
  if (ops.length === 0) {
    throw invalid("race()", "operations", "a non-empty array of operations", ops, true);
  }
  return new RaceOp(ops) as Operation<OperationResult<T[number]>>;
}

class RaceOp implements Operation<unknown> {
  #ops: Operation<unknown>[];
  constructor(ops: Operation<unknown>[]) {
    this.#ops = ops;
  }
  *[Symbol.iterator](): Generator<unknown, unknown, unknown> {
    const ops = this.#ops;
    claimOperations(ops, "race()");
    return yield new SpawnInstruction(
      function* () {
        const tasks: TaskImpl<unknown>[] = [];
        for (const op of ops) tasks.push((yield* spawn(() => op)) as TaskImpl<unknown>);
        return yield new FirstOf(tasks);
      },
      true,
      "race()",
    );
  }
}
