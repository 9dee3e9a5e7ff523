// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { SleepInstruction } from "./_operations.ts";

/**
 * Pauses the current task for `ms` milliseconds, letting other tasks run. Every sleeping task
 * shares one host timer: wake-ups are ordered by deadline, then by the order the sleeps began,
 * so ties resolve the same way every run. `sleep(0)` yields to the event loop (it resumes after
 * already-due timers and I/O, like `setTimeout(fn, 0)`); `sleep(Infinity)` sleeps until the task
 * is cancelled.
 *
 * **Cancellation**: if the task is cancelled while sleeping, the timer is removed at once (and the
 * host timer cleared when it was the last), then the task's `finally` blocks run.
 *
 * @example Sleep inside a task
 * ```ts
 * import { run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const start = performance.now();
 * await run(function* () {
 *   yield* sleep(20);
 * });
 * assert.ok(performance.now() - start >= 15);
 * ```
 *
 * @param ms How long to sleep, in milliseconds (a non-negative number, or `Infinity`).
 * @returns An operation that completes after `ms` milliseconds.
 * @throws {TypeError} If `ms` is not a number.
 * @throws {RangeError} If `ms` is negative or NaN.
 */
export function sleep(ms: number): Operation<void> {
  if (typeof ms !== "number") throw invalid("sleep()", "ms", "a number of milliseconds", ms);
  if (!(ms >= 0)) {
    throw invalid("sleep()", "ms", "a non-negative number of milliseconds, or Infinity", ms, true);
  }
  return new SleepOp(ms);
}

class SleepOp implements Operation<void> {
  #ms: number;
  constructor(ms: number) {
    this.#ms = ms;
  }
  [Symbol.iterator](): Iterator<unknown, void, unknown> {
    return new SleepInstruction(this.#ms) as Iterator<unknown, void, unknown>;
  }
}
