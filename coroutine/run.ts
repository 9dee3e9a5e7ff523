// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { claim, iterate } from "./_iterate.ts";
import { checkSignal, checkTimeout, invalid, readOptions } from "./_options.ts";
import { runRoot } from "./_root.ts";

/** Options for {@linkcode run}. */
export interface RunOptions {
  /**
   * Cancels the task when aborted: its children's and its own `finally` blocks run, then the
   * promise rejects with `signal.reason`. An already-aborted signal rejects at once without
   * starting the task; an abort by `fn()` itself or by the body is honoured too (the body stops
   * at its next pause).
   */
  signal?: AbortSignal;
  /**
   * Cancels the task after this many milliseconds (from 0 to 2147483647), as `signal` does, and
   * rejects with a `DOMException` named `"TimeoutError"`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/**
 * Runs `fn()` as a root task on the cooperative scheduler and resolves with its return value.
 * This is the entry point from `async` code into generator tasks, like `asyncio.run` or
 * Effection's `run`.
 *
 * The body starts at once (synchronously, up to its first pause) and every task it spawns runs
 * on the same FIFO run queue, so the same program gives the same interleaving every run. The
 * promise settles only after the task and everything it spawned have finished: children still
 * running when the body returns are cancelled first, and their `finally` blocks have run.
 *
 * @example Run a task
 * ```ts
 * import { run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const answer = await run(function* () {
 *   yield* sleep(1);
 *   return 42;
 * });
 * assert.equal(answer, 42);
 * ```
 *
 * @example Cancel with a signal
 * ```ts
 * import { run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * let cleaned = false;
 * const done = run(function* () {
 *   try {
 *     yield* sleep(60_000);
 *   } finally {
 *     cleaned = true;
 *   }
 * }, { signal: controller.signal });
 * controller.abort(new Error("stop"));
 * await assert.rejects(done, { message: "stop" });
 * assert.equal(cleaned, true);
 * ```
 *
 * @typeParam T The value the task returns.
 * @param fn A function returning the task's operation, usually a generator function.
 * @param options Cancellation options.
 * @returns A promise of the task's return value. It rejects with the task's error (or a child's),
 * or with an `AggregateError` of all of them (the first as its `cause`) when there were several,
 * including errors thrown while tearing down; with `signal.reason` if `signal` aborts, or with a
 * `TimeoutError` `DOMException` if `timeout` passes (unless cleanup threw). It also rejects with
 * a `TypeError` or `RangeError` if an argument is invalid (without running anything), or if
 * `fn()` returns a generator a task already ran.
 */
export function run<T>(fn: () => Operation<T>, options?: RunOptions): Promise<T> {
  try {
    if (typeof fn !== "function") {
      throw invalid("run()", "fn", "a function returning an operation", fn);
    }
    const { signal: signalOption, timeout: timeoutOption } = readOptions("run()", options);
    const signal = checkSignal("run()", "signal", signalOption);
    const timeout = checkTimeout("run()", "timeout", timeoutOption);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const body = fn();
    claim(body, "run()", "fn()");
    return runRoot(iterate(body, "run()", "fn()"), signal, timeout);
  } catch (error) {
    return Promise.reject(error);
  }
}
