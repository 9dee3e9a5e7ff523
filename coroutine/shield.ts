// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { SpawnInstruction } from "./_operations.ts";

/**
 * Runs `fn()` to its end even if the current task is cancelled meanwhile, as trio's
 * `CancelScope(shield=True)`, and evaluates to its result. The cancellation waits: once `fn()`
 * has finished, it is thrown into the current task at the `yield* shield(...)`.
 *
 * Cleanup that a cancellation starts (a `finally` entered because the task was cancelled, an
 * {@linkcode ensure} callback, a {@linkcode resource}'s teardown) is never interrupted, so it
 * needs no shield. A `finally` entered normally is ordinary code, though: a cancellation arriving
 * while it pauses is thrown at that pause and skips the rest of the block, as in asyncio and
 * trio. Shield such cleanup when it must finish:
 * `finally { yield* shield(function* () { yield* flush(); yield* close(); }) }`.
 *
 * `fn()` runs as a child task (like {@linkcode scoped}): its failure is thrown into the current
 * task, and tasks it spawns are cancelled when it returns. Shield only what must finish, and
 * bound it with {@linkcode withTimeout} if it might not.
 *
 * @example Two cleanup steps survive a cancellation that arrives between them
 * ```ts
 * import { call, run, shield, sleep, spawn } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * let flushDone = () => {};
 * const flushed = new Promise<void>((resolve) => flushDone = resolve);
 * await run(function* () {
 *   const task = yield* spawn(function* () {
 *     try {
 *       log.push("work");
 *     } finally { // entered normally: the try finished
 *       yield* shield(function* () {
 *         yield* call(flushed);
 *         log.push("flushed");
 *         yield* sleep(1);
 *         log.push("closed");
 *       });
 *       log.push("after shield"); // skipped: the cancellation is thrown here
 *     }
 *   });
 *   yield* sleep(0); // the task is now waiting for the flush, inside the shield
 *   task.cancel();
 *   flushDone();
 *   yield* task.cancel();
 * });
 * assert.deepEqual(log, ["work", "flushed", "closed"]);
 * ```
 *
 * @typeParam T The value `fn()` evaluates to.
 * @param fn A function returning the operation to protect, usually a generator function.
 * @returns An operation evaluating to `fn()`'s result.
 * @throws {TypeError} If `fn` is not a function.
 */
export function shield<T>(fn: () => Operation<T>): Operation<T> {
  if (typeof fn !== "function") {
    throw invalid("shield()", "fn", "a function returning an operation", fn);
  }
  return new ShieldOperation(fn);
}

class ShieldOperation<T> implements Operation<T> {
  #fn: () => Operation<T>;
  constructor(fn: () => Operation<T>) {
    this.#fn = fn;
  }
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new SpawnInstruction(this.#fn, true, "shield()", false, true) as Iterator<
      unknown,
      T,
      unknown
    >;
  }
}
