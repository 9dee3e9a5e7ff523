// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { CurrentTask, SpawnInstruction } from "./_operations.ts";
import { SettledWait } from "./_join.ts";
import type { TaskImpl } from "./_task.ts";

/**
 * Runs `fn()` as a nested scope that **waits** for the tasks spawned in it, as asyncio's
 * `TaskGroup` and trio's nursery do: when the body returns, the scope waits until every task it
 * spawned has finished, then evaluates to the body's value. (Compare {@linkcode scoped}, which
 * cancels them instead.)
 *
 * If the body or any task in it fails, the others are cancelled (newest first, their `finally`
 * blocks run) and the error is thrown into the current task, where `try`/`catch` can handle it;
 * several failures are thrown together as an `AggregateError`. Cleanups registered with
 * {@linkcode ensure} and values from {@linkcode resource} are not waited for: they end when
 * everything else in the scope has.
 *
 * **Cancellation**: if the current task is cancelled while waiting, the scope's tasks are cancelled
 * first (newest first), then the current task's `finally` blocks run.
 *
 * @example Wait for every task
 * ```ts
 * import { run, sleep, spawn, taskGroup } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const done: number[] = [];
 * await run(function* () {
 *   yield* taskGroup(function* () {
 *     for (const ms of [3, 1, 2]) {
 *       yield* spawn(function* () {
 *         yield* sleep(ms);
 *         done.push(ms);
 *       });
 *     }
 *   }); // returns once all three have finished
 * });
 * assert.deepEqual(done.toSorted(), [1, 2, 3]);
 * ```
 *
 * @example A failure cancels the rest and is thrown to the caller
 * ```ts
 * import { run, sleep, spawn, taskGroup } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const message = await run(function* () {
 *   try {
 *     yield* taskGroup(function* () {
 *       yield* spawn(() => sleep(60_000)); // cancelled
 *       yield* spawn(function* () {
 *         yield* sleep(1);
 *         throw new Error("boom");
 *       });
 *     });
 *     return "unreachable";
 *   } catch (error) {
 *     return (error as Error).message;
 *   }
 * });
 * assert.equal(message, "boom");
 * ```
 *
 * @typeParam T The value the body returns.
 * @param fn A function returning the scope's body, usually a generator function.
 * @returns An operation evaluating to the body's return value once every task spawned in the
 * scope has finished.
 * @throws {TypeError} If `fn` is not a function.
 */
export function taskGroup<T>(fn: () => Operation<T>): Operation<T> {
  if (typeof fn !== "function") {
    throw invalid("taskGroup()", "fn", "a function returning an operation", fn);
  }
  return new TaskGroupOperation(fn);
}

class TaskGroupOperation<T> implements Operation<T> {
  #fn: () => Operation<T>;
  constructor(fn: () => Operation<T>) {
    this.#fn = fn;
  }
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    const fn = this.#fn;
    return new SpawnInstruction(
      function* () {
        const value = yield* fn();
        const scope = (yield* new CurrentTask()) as TaskImpl<unknown>;
        // The body has returned, so nothing spawns into the scope any more: its work can be
        // listed once (a rescan past the ensure/resource helpers after each wait was O(n^2)).
        for (const task of workOf(scope)) {
          yield* new SettledWait(task); // a failure fails the scope, which halts this wait
        }
        return value;
      },
      true,
      "taskGroup()",
    ) as Iterator<unknown, T, unknown>;
  }
}

/** The children that are work to wait for (not ensure/resource helpers), newest first. */
function workOf(scope: TaskImpl<unknown>): TaskImpl<unknown>[] {
  const work: TaskImpl<unknown>[] = [];
  for (let task = scope.lastChild; task !== null; task = task.prevSibling) {
    if (!task.daemon) work.push(task);
  }
  return work;
}
