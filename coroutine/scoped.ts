// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { SpawnInstruction } from "./_operations.ts";

/**
 * Runs `fn()` as a nested scope and evaluates to its result: a child task the current task waits
 * for, whose failure is thrown into the current task (where `try`/`catch` can handle it) instead
 * of failing it. Tasks spawned inside the scope are **cancelled** when its body returns (newest
 * first, one after another), and a failure of any of them fails the scope. This is Effection's
 * `scoped`; to **wait** for the tasks instead, as asyncio's `TaskGroup` and trio's nursery do,
 * use {@linkcode taskGroup}.
 *
 * **Cancellation**: if the current task is cancelled while waiting, the scope is cancelled first
 * (its tasks' `finally` blocks, newest first, then its own), then the current task's `finally`
 * blocks run.
 *
 * @example Catch a failing child
 * ```ts
 * import { run, scoped, sleep, spawn } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const message = await run(function* () {
 *   try {
 *     yield* scoped(function* () {
 *       yield* spawn(function* () {
 *         yield* sleep(1);
 *         throw new Error("boom");
 *       });
 *       yield* sleep(60_000); // cancelled when the child fails
 *     });
 *     return "unreachable";
 *   } catch (error) {
 *     return (error as Error).message;
 *   }
 * });
 * assert.equal(message, "boom");
 * ```
 *
 * @typeParam T The value the scope's body returns.
 * @param fn A function returning the scope's body, usually a generator function.
 * @returns An operation evaluating to the body's return value once the scope's tasks are done;
 * it throws the first error of the body or of a task spawned inside it.
 * @throws {TypeError} If `fn` is not a function.
 */
export function scoped<T>(fn: () => Operation<T>): Operation<T> {
  if (typeof fn !== "function") {
    throw invalid("scoped()", "fn", "a function returning an operation", fn);
  }
  return new ScopedOp(fn);
}

class ScopedOp<T> implements Operation<T> {
  #fn: () => Operation<T>;
  constructor(fn: () => Operation<T>) {
    this.#fn = fn;
  }
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new SpawnInstruction(this.#fn, true, "scoped()") as Iterator<unknown, T, unknown>;
  }
}
