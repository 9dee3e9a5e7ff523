// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { isGeneratorFunction } from "./_iterate.ts";
import { invalid } from "./_options.ts";
import { CallInstruction } from "./_operations.ts";

/**
 * Awaits a promise from inside a task: `const res = yield* call(fetch(url))`. Given a function,
 * calls it with an `AbortSignal` and awaits what it returns, so the work can be cancelled:
 * `yield* call((signal) => fetch(url, { signal }))`. A function returning a plain value (not a
 * promise) answers at once.
 *
 * Each `yield*` of the returned operation awaits again; with a function, each one calls the
 * function again.
 *
 * **Cancellation**: if the task is cancelled while waiting, it stops waiting at once (a later
 * settlement of the promise is ignored; a later rejection is handled, so it is not reported as
 * unhandled) and the signal passed to the function aborts with a `DOMException` named
 * `"AbortError"`. An `abort` listener that throws fails the task with that error (in Deno and
 * browsers; an EventTarget would otherwise report it as uncaught).
 *
 * @example Await a promise
 * ```ts
 * import { call, run } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const n = await run(function* () {
 *   const a = yield* call(Promise.resolve(20));
 *   const b = yield* call(async () => 22);
 *   return a + b;
 * });
 * assert.equal(n, 42);
 * ```
 *
 * @example Cancellable work
 * ```ts
 * import { call, run, sleep, spawn } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * let aborted = false;
 * await run(function* () {
 *   const task = yield* spawn(function* () {
 *     yield* call((signal) =>
 *       new Promise((resolve) => {
 *         const id = setTimeout(resolve, 60_000);
 *         signal.addEventListener("abort", () => {
 *           aborted = true;
 *           clearTimeout(id);
 *         });
 *       })
 *     );
 *   });
 *   yield* sleep(0);
 *   yield* task.cancel();
 * });
 * assert.equal(aborted, true);
 * ```
 *
 * @typeParam T The value the promise fulfils with.
 * @param source A promise (or thenable), or a function of an `AbortSignal` returning one.
 * @returns An operation evaluating to the fulfilment value. It throws the rejection reason, or
 * what the function throws.
 * @throws {TypeError} If `source` is neither a thenable nor a function, or is a generator
 * function (run those with `yield*`).
 */
export function call<T>(
  source: PromiseLike<T> | ((signal: AbortSignal) => T | PromiseLike<T>),
): Operation<T> {
  if (
    typeof source !== "function" &&
    (source === null || typeof source !== "object" ||
      typeof (source as PromiseLike<T>).then !== "function")
  ) {
    throw invalid("call()", "source", "a promise or a function", source);
  }
  if (isGeneratorFunction(source)) {
    throw invalid(
      "call()",
      "source",
      "a promise or a function returning one (run a generator function with `yield* fn()`)",
      source,
    );
  }
  return new CallOp<T>(source);
}

class CallOp<T> implements Operation<T> {
  #source: unknown;
  constructor(source: unknown) {
    this.#source = source;
  }
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new CallInstruction(this.#source) as Iterator<unknown, T, unknown>;
  }
}
