// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { EnsureInstruction } from "./_cleanup.ts";

/**
 * Registers cleanup that runs when the current task ends, however it ends (it returns, fails or
 * is cancelled), like Effection's `ensure` or a `finally` block that need not enclose the code it
 * cleans up after. `fn` may return an operation, which the cleanup waits for: this is the safe
 * place for cleanup that must pause (close a connection, flush a file).
 *
 * Cleanups run newest first, one after another, together with the task's children (each cleanup
 * is a helper child task). A cancelled task tears its children down first, so its cleanups run
 * before its own `finally` blocks; a body that ends by itself (returns or throws) has run its
 * `finally` blocks by then, so its cleanups run after them. Once started, a cleanup runs
 * to its end: cancelling the task again does not interrupt it. If it throws, the task fails with
 * that error (kept beside any earlier one).
 *
 * @example Close what you open, in reverse order
 * ```ts
 * import { ensure, run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * await run(function* () {
 *   log.push("open a");
 *   yield* ensure(() => {
 *     log.push("close a");
 *   });
 *   log.push("open b");
 *   yield* ensure(function* () {
 *     yield* sleep(1); // cleanup may pause
 *     log.push("close b");
 *   });
 *   log.push("work");
 * });
 * assert.deepEqual(log, ["open a", "open b", "work", "close b", "close a"]);
 * ```
 *
 * @param fn Called once when the task ends; may return an operation to wait for (a promise, as
 * from an `async` function, fails the task with a `TypeError`: use a generator function).
 * @returns An operation that registers the cleanup and completes at once.
 * @throws {TypeError} If `fn` is not a function.
 */
export function ensure(fn: () => Operation<unknown> | void): Operation<void> {
  if (typeof fn !== "function") throw invalid("ensure()", "fn", "a function", fn);
  return new EnsureOperation(fn);
}

class EnsureOperation implements Operation<void> {
  #fn: () => Operation<unknown> | void;
  constructor(fn: () => Operation<unknown> | void) {
    this.#fn = fn;
  }
  [Symbol.iterator](): Iterator<unknown, void, unknown> {
    return new EnsureInstruction(this.#fn) as Iterator<unknown, void, unknown>;
  }
}
