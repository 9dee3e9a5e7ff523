// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { checkTimeout, invalid, timeoutError } from "./_options.ts";
import { race } from "./race.ts";
import { sleep } from "./sleep.ts";

/**
 * Runs `operation`, failing with a `TimeoutError` `DOMException` (message `withTimeout() timed
 * out after <ms> ms`) if it has not finished within `ms` milliseconds, as trio's `fail_after` and
 * Python's `asyncio.timeout` do. On timeout the operation is cancelled first: its `finally`
 * blocks have run when the error is thrown.
 *
 * **Cancellation**: the operation runs as a child task of a nested scope beside a sleeping timer
 * (a {@linkcode race}); whichever finishes first in run order cancels the other, so the timer is
 * removed when the operation finishes in time. Cancelling the current task cancels both.
 *
 * @example Fail after a deadline
 * ```ts
 * import { run, sleep, withTimeout } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const fast = await run(function* () {
 *   return yield* withTimeout(
 *     (function* () {
 *       yield* sleep(1);
 *       return "done";
 *     })(),
 *     60_000,
 *   );
 * });
 * assert.equal(fast, "done");
 *
 * await assert.rejects(
 *   run(() => withTimeout(sleep(60_000), 5)),
 *   { name: "TimeoutError", message: "withTimeout() timed out after 5 ms" },
 * );
 * ```
 *
 * @typeParam T The value the operation evaluates to.
 * @param operation The operation (or task) to run.
 * @param ms The time limit in milliseconds, from 0 to 2147483647, or `Infinity` for none.
 * @returns An operation evaluating to the operation's result.
 * @throws {TypeError} If `operation` is not an operation or `ms` not a number.
 * @throws {RangeError} If `ms` is out of range.
 */
export function withTimeout<T>(operation: Operation<T>, ms: number): Operation<T> {
  if (
    operation === null || typeof operation !== "object" ||
    typeof operation[Symbol.iterator] !== "function"
  ) {
    throw invalid("withTimeout()", "operation", "an operation", operation);
  }
  const limit = checkTimeout("withTimeout()", "ms", ms);
  if (limit === undefined) return operation;
  return race([operation, timer(limit)]) as Operation<T>;
}

function* timer(ms: number): Operation<never> {
  yield* sleep(ms);
  throw timeoutError("withTimeout()", ms);
}
