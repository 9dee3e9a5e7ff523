// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { LifetimeSignal } from "./_operations.ts";

/**
 * Evaluates to an `AbortSignal` tied to the current task's lifetime, as Effection's
 * `useAbortSignal`: it aborts when the task is cancelled (with the cancellation's reason) or its
 * body ends (with a `DOMException` named `"AbortError"`), whichever comes first. Hand it to
 * promise-based APIs (`fetch`, `Mutex.lock({ signal })`) so that their work stops with the task.
 * Asked for while the task is already cleaning up, it is already aborted.
 *
 * @example Abort a fetch-like wait with the task
 * ```ts
 * import { run, sleep, spawn, useAbortSignal } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * let seen: AbortSignal | undefined;
 * await run(function* () {
 *   const task = yield* spawn(function* () {
 *     const signal = yield* useAbortSignal();
 *     seen = signal;
 *     yield* sleep(60_000);
 *   });
 *   yield* sleep(0);
 *   yield* task.cancel();
 * });
 * assert.equal(seen?.aborted, true);
 * assert.equal((seen?.reason as DOMException).name, "AbortError");
 * ```
 *
 * @returns An operation evaluating to the task's signal (the same one on every call).
 */
export function useAbortSignal(): Operation<AbortSignal> {
  return USE_ABORT_SIGNAL;
}

const USE_ABORT_SIGNAL: Operation<AbortSignal> = {
  [Symbol.iterator]() {
    return new LifetimeSignal() as Iterator<unknown, AbortSignal, unknown>;
  },
};
